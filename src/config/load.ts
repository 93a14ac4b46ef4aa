// Reads `.self-harness.yml`, validates it, and reports problems as `file:line field: what, fix`.
import { readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import { ConfigSchema, show, type LoadedConfig } from './schema.js';
import { UserError } from '../domain/types.js';

export const DEFAULT_CONFIG_FILE = '.self-harness.yml';
/** A config is a few hundred bytes; anything this large is a mistake or an attack, refused before it is read. */
export const MAX_CONFIG_BYTES = 256 * 1024;
/** YAML aliases allowed in one config (a small number: an alias bomb expands exponentially). */
const MAX_ALIASES = 50;

export function loadConfig(configPath?: string, cwd = process.cwd()): LoadedConfig {
  const file = path.resolve(cwd, configPath ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    throw new UserError(
      `${path.relative(cwd, file) || file}: config file not found. Create it (see README "Config reference"), run \`self-harness init\`, or pass --config PATH.`,
    );
  }
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_CONFIG_BYTES) {
      throw new UserError(
        `${path.relative(cwd, file) || file}:1: the config file is ${size.toLocaleString('en-US')} bytes, over the ${MAX_CONFIG_BYTES.toLocaleString('en-US')}-byte limit; a config is a short YAML file: point --config at the right file.`,
      );
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      `${path.relative(cwd, file) || file}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); pass --config with the path of a .self-harness.yml file.`,
    );
  }
  return { config: parseConfigText(text, file), path: file, root: path.dirname(file) };
}

export function parseConfigText(text: string, file: string): LoadedConfig['config'] {
  const display = path.relative(process.cwd(), file) || file;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = err.linePos?.[0]?.line ?? lineCounter.linePos(err.pos[0]).line;
    throw new UserError(`${display}:${line}: not valid YAML: ${err.message.split('\n')[0]}. Fix the syntax at that line.`);
  }
  if (text.length > MAX_CONFIG_BYTES) {
    throw new UserError(
      `${display}:1: the config is ${text.length.toLocaleString('en-US')} characters, over the ${MAX_CONFIG_BYTES.toLocaleString('en-US')} limit; a config is a short YAML file.`,
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (error) {
    const line = firstAliasLine(text);
    throw new UserError(
      `${display}:${line}: YAML aliases expand to too much (${(error as Error).message.split('\n')[0]}); write the values out instead of using more than ${MAX_ALIASES} aliases.`,
    );
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UserError(
      `${display}:1: expected a mapping with "harness" and "suite" sections, got ${Array.isArray(raw) ? 'a list' : show(raw)}. See docs/config.md for an example.`,
    );
  }
  const parsed = ConfigSchema.safeParse(raw, { reportInput: true });
  if (parsed.success) return parsed.data;
  const contents = doc.contents as Node | null;
  const messages = parsed.error.issues.flatMap((issue) => {
    const keyPath = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const keyLine = lineOf(contents, [...keyPath, key], lineCounter);
        const suggestion = closest(key, knownKeys(keyPath));
        const hint = suggestion ? `did you mean "${suggestion}"?` : `known keys: ${knownKeys(keyPath).join(', ')}`;
        return `${display}:${keyLine} ${[...keyPath, key].join('.')}: unknown key; ${hint} (see schema/self-harness.schema.json)`;
      });
    }
    const line = lineOf(contents, keyPath, lineCounter);
    const field = keyPath.join('.') || '(top level)';
    const input = (issue as { input?: unknown }).input;
    let message = issue.message;
    if (issue.code === 'invalid_type' && input === undefined) {
      message = keyPath.length === 1 ? `required section missing; ${SECTION_HINTS[keyPath[0]!] ?? 'add it'}` : 'required, missing';
    } else if (issue.code === 'invalid_type' && !/\bgot\b/.test(message)) {
      message = `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${show(input)}`;
    } else if (issue.code === 'invalid_union') {
      message = `not an allowed value, got ${show(input)}; see schema/self-harness.schema.json`;
    } else if (issue.code !== 'custom' && input !== undefined && !/\bgot\b/.test(message)) {
      message = `${message.replace(/^Too (big|small): /, '').replace(/^Invalid (option|input): /, '')}, got ${show(input)}`;
    }
    return [`${display}:${line} ${field}: ${message}`];
  });
  throw new UserError(messages.join('\n'));
}

/** The line of the first `*alias` in the text (1 when none is found). */
function firstAliasLine(text: string): number {
  const index = text.search(/(^|[\s,[{:-])\*[^\s,\]}]+/m);
  return index < 0 ? 1 : text.slice(0, index + 1).split('\n').length;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping of keys',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

const SECTION_HINTS: Record<string, string> = {
  harness: 'add harness.include, the globs of the files self-harness may edit (e.g. ["agent/prompts/**"])',
  suite: 'add suite.tasks (e.g. "tasks/*") and suite.run (the command run once per episode)',
};

/** The keys the schema allows at `keyPath` (an object nested in defaults/optionals). */
function knownKeys(keyPath: string[]): string[] {
  let schema: unknown = ConfigSchema;
  for (const key of [...keyPath, '']) {
    while (true) {
      const def = (schema as { def?: { type?: string; innerType?: unknown } } | undefined)?.def;
      if (def && (def.type === 'default' || def.type === 'optional' || def.type === 'nullable' || def.type === 'prefault')) schema = def.innerType;
      else break;
    }
    if (key === '') break;
    schema = (schema as { shape?: Record<string, unknown> } | undefined)?.shape?.[key];
  }
  return Object.keys((schema as { shape?: Record<string, unknown> } | undefined)?.shape ?? {});
}

/** The known key nearest to `key` by edit distance, when it is near enough to be a typo. */
function closest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The 1-based line of the deepest key (or list item) that exists along `keyPath`. */
function lineOf(root: Node | null, keyPath: string[], lineCounter: LineCounter): number {
  let node: Node | null = root;
  let offset = node?.range?.[0] ?? 0;
  for (const key of keyPath) {
    if (isMap(node)) {
      const pair = node.items.find((item) => String((item.key as { value?: unknown } | null)?.value ?? item.key) === key);
      if (!pair) break;
      const keyNode = pair.key as Node | null;
      offset = keyNode?.range?.[0] ?? (pair.value as Node | null)?.range?.[0] ?? offset;
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
