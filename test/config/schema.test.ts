import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { renderSchema, SCHEMA_FILE } from '../../scripts/gen-schema.js';

const committed = readFileSync(SCHEMA_FILE, 'utf8');

const example = `
harness:
  include: [agent/prompts/**, agent/tools.json]
  exclude: [agent/prompts/legal.md]
suite:
  tasks: tasks/*
  run: node agent/run.js
  concurrency: 2
  holdout: 0.25
  seed: 42
  holdout-tasks: [hard-one]
model:
  name: gpt-4o-mini
  base-url: http://127.0.0.1:8080/v1
validate:
  alpha: 0.05
  min-effect: 0.1
budget:
  episodes: 400
state-dir: .self-harness
`;

function validator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  return ajv.compile(JSON.parse(committed));
}

describe('published config schema', () => {
  it('equals a fresh generation from ConfigSchema (run `npx tsx scripts/gen-schema.ts` after changing the schema)', () => {
    expect(committed).toBe(renderSchema());
  });

  it('validates a good example config', () => {
    const validate = validator();
    expect(validate(parse(example)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects unknown keys, wrong types and missing sections', () => {
    const validate = validator();
    const good = parse(example);
    expect(validate({ ...good, extra: 1 })).toBe(false);
    expect(validate({ ...good, suite: { ...good.suite, concurrency: 'four' } })).toBe(false);
    expect(validate({ suite: good.suite })).toBe(false);
  });

  it('describes every field, with a title for the file', () => {
    const schema = JSON.parse(committed);
    expect(schema.title).toMatch(/self-harness/);
    const undescribed: string[] = [];
    const walk = (node: { properties?: Record<string, { description?: string }> }, prefix: string) => {
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        if (!child.description) undescribed.push(prefix + key);
        walk(child as never, `${prefix}${key}.`);
      }
    };
    walk(schema, '');
    expect(undescribed).toEqual([]);
  });

  it('every field is documented in docs/config.md', () => {
    const docs = readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8');
    const missing: string[] = [];
    const walk = (node: { properties?: Record<string, unknown> }, prefix: string) => {
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        if (!docs.includes(`\`${prefix}${key}\``)) missing.push(prefix + key);
        walk(child as never, `${prefix}${key}.`);
      }
    };
    walk(JSON.parse(committed), '');
    expect(missing).toEqual([]);
  });
});
