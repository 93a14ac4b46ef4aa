// Reads `.self-harness.yml`, validates it, and reports problems as `file:line field: what, fix`.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import { ConfigSchema, type LoadedConfig } from './schema.js';
import { UserError } from '../core/types.js';

export const DEFAULT_CONFIG_FILE = '.self-harness.yml';

export function loadConfig(configPath?: string, cwd = process.cwd()): LoadedConfig {
  const file = path.resolve(cwd, configPath ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    throw new UserError(
      `${path.relative(cwd, file) || file}: config file not found. Create it (see README "Config reference"), run \`self-harness init\`, or pass --config PATH.`,
    );
  }
  const text = readFileSync(file, 'utf8');
  return { config: parseConfigText(text, file), path: file, root: path.dirname(file) };
}

export function parseConfigText(text: string, file: string): LoadedConfig['config'] {
  const display = path.relative(process.cwd(), file) || file;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = err.linePos?.[0]?.line ?? 1;
    throw new UserError(`${display}:${line}: not valid YAML: ${err.message.split('\n')[0]}. Fix the syntax at that line.`);
  }
  const raw = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UserError(`${display}:1: expected a mapping with "harness" and "suite" sections, got ${Array.isArray(raw) ? 'a list' : typeof raw}.`);
  }
  const parsed = ConfigSchema.safeParse(raw, { reportInput: true });
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.map((issue) => {
    const keyPath = issue.path.map(String);
    const line = lineOf(doc.contents as Node | null, keyPath, lineCounter);
    const field = keyPath.join('.') || '(top level)';
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling against schema/self-harness.schema.json`;
      const keyLine = lineOf(doc.contents as Node | null, [...keyPath, issue.keys[0]!], lineCounter);
      return `${display}:${keyLine} ${field}: ${message}`;
    }
    if (issue.code === 'invalid_type' && !('input' in issue && issue.input !== undefined)) message = `required, missing`;
    return `${display}:${line} ${field}: ${message}`;
  });
  throw new UserError(messages.join('\n'));
}

/** The 1-based line of the deepest node that exists along `keyPath`. */
function lineOf(root: Node | null, keyPath: string[], lineCounter: LineCounter): number {
  let node: Node | null = root;
  let offset = node?.range?.[0] ?? 0;
  for (const key of keyPath) {
    if (isMap(node)) {
      const pair = node.items.find((item) => String((item.key as { value?: unknown } | null)?.value ?? item.key) === key);
      if (!pair) break;
      const keyNode = pair.key as Node | null;
      offset = (pair.value as Node | null)?.range?.[0] ?? keyNode?.range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      const item = node.items[Number(key)] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return lineCounter.linePos(offset).line;
}
