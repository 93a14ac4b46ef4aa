// Writes schema/cli/<command>.schema.json (JSON Schema draft-07) of every `--json` output from the types in
// src/cli/json-output.ts. Run: npx tsx scripts/gen-json-schemas.ts   (test/cli/json-schemas.test.ts checks the
// committed files equal a fresh generation, and validates real outputs against them)
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';
import { JSON_OUTPUTS } from '../src/cli/json-output.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const JSON_SCHEMA_DIR = path.join(ROOT, 'schema', 'cli');

export type OutputName = keyof typeof JSON_OUTPUTS;

export function schemaFile(name: OutputName): string {
  return path.join(JSON_SCHEMA_DIR, `${name}.schema.json`);
}

/** Every output's schema text, generated from its type (no extra keys allowed anywhere: a new key needs a new schema). */
export function renderJsonSchemas(): Record<OutputName, string> {
  const generator = createGenerator({
    path: path.join(ROOT, 'src', 'cli', 'json-output.ts'),
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    skipTypeCheck: true,
    additionalProperties: false,
    expose: 'export',
    topRef: false,
    jsDoc: 'extended',
    sortProps: true,
  });
  const out = {} as Record<OutputName, string>;
  for (const [name, type] of Object.entries(JSON_OUTPUTS) as [OutputName, string][]) {
    const schema = generator.createSchema(type);
    const command = name === 'validate-shard' ? 'validate --shard I/N' : name;
    const ordered = { $schema: schema.$schema, $id: `schema/cli/${name}.schema.json`, title: `self-harness ${command} --json`, ...schema };
    out[name] = `${JSON.stringify(ordered, null, 2)}\n`;
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  mkdirSync(JSON_SCHEMA_DIR, { recursive: true });
  for (const [name, text] of Object.entries(renderJsonSchemas()) as [OutputName, string][]) {
    writeFileSync(schemaFile(name), text);
    console.log(`wrote ${path.relative(process.cwd(), schemaFile(name))}`);
  }
}
