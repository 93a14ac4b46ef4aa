// Checks one REST request against GitHub's OpenAPI description (the checked-in subset of the operations the action
// uses): the operation exists, path and query parameters and the JSON body match their schemas. Used by the double.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const subsetFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'github', 'openapi-subset.json');

interface SubsetOperation {
  operationId: string;
  method: string;
  path: string;
  parameters: { name: string; in: 'path' | 'query'; required: boolean; schema: unknown }[];
  requestBody?: { required: boolean; schema: unknown };
}

interface CompiledOperation {
  op: SubsetOperation;
  regex: RegExp;
  names: string[];
  params: ValidateFunction;
  body?: ValidateFunction;
}

let compiled: CompiledOperation[] | undefined;

function operations(): CompiledOperation[] {
  if (compiled) return compiled;
  const subset = JSON.parse(readFileSync(subsetFile, 'utf8')) as { operations: SubsetOperation[] };
  const bodyAjv = new Ajv({ strict: false, allErrors: true });
  addFormats(bodyAjv);
  // GitHub's own format for "owner/name".
  bodyAjv.addFormat('repo.nwo', /^[^/\s]+\/[^/\s]+$/);
  // Path and query values arrive as strings; coerce them to the declared types.
  const paramAjv = new Ajv({ strict: false, allErrors: true, coerceTypes: true });
  addFormats(paramAjv);
  compiled = subset.operations.map((op) => {
    const names: string[] = [];
    const regex = new RegExp(
      `^${op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`,
    );
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const p of op.parameters) {
      properties[`${p.in}:${p.name}`] = p.schema;
      if (p.required) required.push(`${p.in}:${p.name}`);
    }
    const params = paramAjv.compile({ type: 'object', properties, required, additionalProperties: false });
    const body = op.requestBody ? bodyAjv.compile(op.requestBody.schema as object) : undefined;
    return { op, regex, names, params, body };
  });
  return compiled;
}

export type CheckResult = { operationId: string; pathParams: Record<string, string> } | { operationId?: string; problem: string };

export function checkRequest(method: string, pathname: string, query: Record<string, string>, body: unknown): CheckResult {
  const matched = operations().find((o) => o.op.method === method && o.regex.test(pathname));
  if (!matched) return { problem: 'not an operation of the OpenAPI subset (add it to scripts/extract-openapi.ts)' };
  const operationId = matched.op.operationId;
  const values = matched.regex.exec(pathname)!.slice(1).map(decodeURIComponent);
  const pathParams = Object.fromEntries(matched.names.map((name, i) => [name, values[i]!]));
  const paramObject: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(pathParams)) paramObject[`path:${k}`] = v;
  for (const [k, v] of Object.entries(query)) paramObject[`query:${k}`] = v;
  if (!matched.params(paramObject)) {
    const detail = matched.params.errors
      ?.map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`)
      .join('; ');
    return { operationId, problem: `parameters: ${detail}` };
  }
  if (matched.body) {
    if (body === undefined && matched.op.requestBody?.required) return { operationId, problem: 'request body is required' };
    if (body !== undefined && !matched.body(body)) {
      return {
        operationId,
        problem: `body: ${matched.body.errors
          ?.slice(0, 5)
          .map((e) => `${e.instancePath || '/'} ${e.message}`)
          .join('; ')}`,
      };
    }
  }
  return { operationId, pathParams };
}
