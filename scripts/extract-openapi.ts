// Extracts the GitHub REST operations the action uses from the official OpenAPI description into a small,
// checked-in subset (test/fixtures/github/openapi-subset.json) that the test REST double validates every request with.
//
// The description ships in `@octokit/openapi` (hundreds of MB, never a dependency). To refresh the subset:
//   flock /tmp/npm.lock npm install --no-save @octokit/openapi
//   npx tsx scripts/extract-openapi.ts [path/to/api.github.com.json]
// Only the single JSON file is read; the package's index (which loads every variant) is never imported.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The operations the action calls, by operationId. Keep in step with src/github/*. */
export const USED_OPERATIONS = [
  'repos/get',
  'repos/get-collaborator-permission-level',
  'pulls/list',
  'pulls/get',
  'pulls/create',
  'pulls/update',
  'pulls/list-files',
  'pulls/request-reviewers',
  'issues/add-labels',
  'issues/create-comment',
  'reactions/create-for-issue-comment',
  'checks/create',
  'checks/update',
  'checks/list-for-ref',
] as const;

interface SubsetParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: unknown;
}

export interface SubsetOperation {
  operationId: string;
  method: string;
  /** OpenAPI path template, e.g. /repos/{owner}/{repo}/pulls/{pull_number}. */
  path: string;
  parameters: SubsetParameter[];
  /** JSON schema of the request body (refs resolved), when the operation takes one. */
  requestBody?: { required: boolean; schema: unknown };
}

export interface OpenApiSubset {
  source: string;
  info: { version: string };
  operations: SubsetOperation[];
}

type Json = any;

function resolveRef(spec: Json, ref: string): Json {
  if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .reduce((node: Json, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
}

/** Inlines every $ref (request schemas of these operations are small and acyclic) and drops prose to keep the file small. */
function inline(spec: Json, node: Json, seen: string[] = []): Json {
  if (Array.isArray(node)) return node.map((item) => inline(spec, item, seen));
  if (!node || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    if (seen.includes(node.$ref)) throw new Error(`cyclic $ref ${node.$ref}`);
    return inline(spec, resolveRef(spec, node.$ref), [...seen, node.$ref]);
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' || key === 'examples' || key === 'example' || key.startsWith('x-')) continue;
    out[key] = inline(spec, value, seen);
  }
  return out;
}

export function extractSubset(spec: Json, operationIds: readonly string[], source: string): OpenApiSubset {
  const operations: SubsetOperation[] = [];
  for (const operationId of operationIds) {
    let found: SubsetOperation | undefined;
    for (const [template, item] of Object.entries<Json>(spec.paths)) {
      for (const method of ['get', 'post', 'patch', 'put', 'delete']) {
        const op = item[method];
        if (op?.operationId !== operationId) continue;
        const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])]
          .map((p: Json) => inline(spec, p))
          .filter((p: Json) => p.in === 'path' || p.in === 'query')
          .map((p: Json) => ({ name: p.name, in: p.in, required: Boolean(p.required), schema: p.schema ?? {} }));
        const body = op.requestBody ? inline(spec, op.requestBody) : undefined;
        const schema = body?.content?.['application/json']?.schema;
        found = {
          operationId,
          method: method.toUpperCase(),
          path: template,
          parameters,
          ...(schema ? { requestBody: { required: Boolean(body.required), schema } } : {}),
        };
      }
    }
    if (!found) throw new Error(`operation ${operationId} not found in ${source}`);
    operations.push(found);
  }
  return { source, info: { version: String(spec.info?.version ?? '') }, operations };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const input = process.argv[2] ?? path.join(root, 'node_modules/@octokit/openapi/generated/api.github.com.json');
  const output = path.join(root, 'test/fixtures/github/openapi-subset.json');
  let spec: Json;
  try {
    spec = JSON.parse(readFileSync(input, 'utf8'));
  } catch (error) {
    console.error(`extract-openapi: cannot read ${input} (${(error as Error).message}). Install it first: npm install --no-save @octokit/openapi`);
    process.exit(2);
  }
  const subset = extractSubset(spec, USED_OPERATIONS, '@octokit/openapi generated/api.github.com.json');
  writeFileSync(output, JSON.stringify(subset, null, 1) + '\n');
  console.log(`extract-openapi: wrote ${subset.operations.length} operations to ${path.relative(root, output)}`);
}
