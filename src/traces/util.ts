// Shared pieces of the trace readers: bounded file reading, lenient parsing, text and step limits.
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { z } from 'zod';
import type { Usage } from '../domain/types.js';
import type { ArtifactReadResult, ParsedTrace, SkippedFile, TraceStep } from './model.js';
import { truncateMiddle } from './text.js';
import { mb, readBytes, readProblem, TraceFileRefused } from './confined.js';

export { readHead } from './confined.js';

/** A plain JSON file larger than this is never loaded; jsonl and .eval are streamed instead. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;
/** One message, reasoning text or observation is kept up to this many characters (head + tail). */
export const MAX_FIELD_CHARS = 16_000;
/** A trace keeps its first and last this-many steps; the middle is counted in `skipped`. */
export const KEEP_HEAD_STEPS = 1000;
export const KEEP_TAIL_STEPS = 1000;

export const emptyResult = (): ArtifactReadResult => ({ traces: [], skipped: [] });

export function relPath(file: string, baseDir: string): string {
  const rel = relative(baseDir, file);
  const shown = rel === '' || rel.startsWith('..') ? file : rel;
  return shown.split(sep).join('/');
}

export function skip(file: string, reason: string): ArtifactReadResult {
  return { traces: [], skipped: [{ file, reason }] };
}

export function newTrace(format: ParsedTrace['format'], file: string): ParsedTrace {
  return { format, file, steps: [], tests: [], skipped: [] };
}

/** True when the bytes look like binary data rather than UTF-8 text. */
export function looksBinary(head: Buffer): boolean {
  if (head.includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return false;
  } catch {
    return true;
  }
}

export type JsonRead = { ok: true; value: unknown } | { ok: false; reason: string };

/** Reads and parses a plain JSON file, refusing files over the size cap, empty, binary or malformed ones. */
export async function readJsonFile(file: string, maxBytes = MAX_JSON_BYTES): Promise<JsonRead> {
  let bytes: Buffer;
  try {
    bytes = await readBytes(file, maxBytes);
  } catch (error) {
    if (error instanceof TraceFileRefused && error.size !== undefined) {
      return {
        ok: false,
        reason: `plain JSON of ${mb(error.size)} is over the ${mb(maxBytes)} cap and was not loaded; write large traces as trace.jsonl or Inspect .eval, which are streamed`,
      };
    }
    return { ok: false, reason: readProblem(error) };
  }
  return parseJsonBytes(bytes);
}

export function parseJsonBytes(bytes: Buffer): JsonRead {
  if (bytes.length === 0) return { ok: false, reason: 'empty file (0 bytes)' };
  if (looksBinary(bytes.subarray(0, 8192))) return { ok: false, reason: 'binary content, not UTF-8 JSON text' };
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { ok: false, reason: 'empty file (only whitespace)' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: jsonErrorReason(text, error) };
  }
}

function jsonErrorReason(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const truncated = `truncated JSON: the text ends before the document is closed (${text.length} chars read)`;
  if (/end of JSON input/i.test(message)) return truncated;
  const position = /position (\d+)/.exec(message);
  if (!position) return `invalid JSON: ${message}`;
  const at = Number(position[1]);
  if (at >= text.trimEnd().length) return truncated;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return `invalid JSON at line ${line}, column ${column}: ${message}`;
}


export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A short account of why a value did not match a schema: `path: message` of the first issue. */
export function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'does not match the expected shape';
  const path = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${path}${issue.message}`;
}

/** Parses each element on its own; bad elements are left out with a reason. */
export function parseEach<T>(
  items: unknown[],
  schema: z.ZodType<T>,
  label: (index: number) => string,
  skipped: string[],
): Array<{ index: number; value: T }> {
  const out: Array<{ index: number; value: T }> = [];
  items.forEach((item, index) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push({ index, value: parsed.data });
    else skipped.push(`${label(index)}: ${issueText(parsed.error)}, skipped`);
  });
  return out;
}

/** Plain text of a message content: a string, a list of parts ({type:'text',text} ...) or anything else as JSON. */
export function contentText(content: unknown, attachments?: Record<string, unknown>): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return resolveAttachment(content, attachments);
  if (Array.isArray(content)) {
    return content
      .map((part) => partText(part, attachments))
      .filter((text) => text !== '')
      .join('\n');
  }
  if (isRecord(content)) return partText(content, attachments);
  return String(content);
}

function partText(part: unknown, attachments?: Record<string, unknown>): string {
  if (typeof part === 'string') return resolveAttachment(part, attachments);
  if (!isRecord(part)) return part === null || part === undefined ? '' : String(part);
  for (const key of ['text', 'content', 'reasoning', 'refusal']) {
    const value = part[key];
    if (typeof value === 'string') return resolveAttachment(value, attachments);
  }
  if (typeof part.type === 'string') return `[${part.type}]`;
  return safeJson(part);
}

function resolveAttachment(text: string, attachments?: Record<string, unknown>): string {
  if (!attachments || !text.startsWith('attachment://')) return text;
  const value = attachments[text.slice('attachment://'.length)];
  return typeof value === 'string' ? value : text;
}

export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

/** Tool-call arguments as JSON text (strings are kept as given). */
export function argumentsText(args: unknown): string {
  if (args === undefined || args === null) return '{}';
  if (typeof args === 'string') return clip(args);
  return clip(safeJson(args));
}

export const clip = (text: string): string => truncateMiddle(text, MAX_FIELD_CHARS);

export function clipOptional(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : clip(text);
}

export function finiteNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** Drops undefined fields so that usage objects compare and serialise cleanly. */
export function makeUsage(input?: number, output?: number, cost?: number): Usage | undefined {
  const usage: Usage = {};
  if (input !== undefined) usage.inputTokens = input;
  if (output !== undefined) usage.outputTokens = output;
  if (cost !== undefined) usage.costUsd = cost;
  return Object.keys(usage).length > 0 ? usage : undefined;
}

export function addUsage(total: Usage | undefined, more: Usage | undefined): Usage | undefined {
  if (!more) return total;
  if (!total) return { ...more };
  const sum = (a?: number, b?: number) => (a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0));
  return makeUsage(sum(total.inputTokens, more.inputTokens), sum(total.outputTokens, more.outputTokens), sum(total.costUsd, more.costUsd));
}

/** Keeps the first and last steps of very long traces so memory stays bounded; counts the middle. */
export class StepCollector {
  private readonly head: TraceStep[] = [];
  private tail: TraceStep[] = [];
  private tailStart = 0;
  private omitted = 0;
  private count = 0;

  constructor(
    private readonly keepHead = KEEP_HEAD_STEPS,
    private readonly keepTail = KEEP_TAIL_STEPS,
  ) {}

  get size(): number {
    return this.count;
  }

  push(step: TraceStep): void {
    this.count += 1;
    if (this.head.length < this.keepHead) {
      this.head.push(step);
      return;
    }
    this.tail.push(step);
    if (this.tail.length - this.tailStart > this.keepTail) {
      this.tailStart += 1;
      this.omitted += 1;
      // Compact now and then instead of shifting on every push.
      if (this.tailStart > this.keepTail) {
        this.tail = this.tail.slice(this.tailStart);
        this.tailStart = 0;
      }
    }
  }

  /** The most recent kept step (to attach tool results to). */
  last(): TraceStep | undefined {
    if (this.tail.length > this.tailStart) return this.tail[this.tail.length - 1];
    return this.head[this.head.length - 1];
  }

  /** Finds a kept step by predicate, newest first. */
  findRecent(predicate: (step: TraceStep) => boolean, depth = 50): TraceStep | undefined {
    const all = [...this.head.slice(-depth), ...this.tail.slice(Math.max(this.tailStart, this.tail.length - depth))];
    for (let i = all.length - 1; i >= 0; i -= 1) if (predicate(all[i])) return all[i];
    return undefined;
  }

  finish(skipped: string[]): TraceStep[] {
    if (this.omitted > 0) {
      skipped.push(`${this.omitted} steps in the middle of the trace omitted to bound memory (kept the first ${this.keepHead} and last ${this.keepTail} of ${this.count})`);
    }
    return [...this.head, ...this.tail.slice(this.tailStart)];
  }
}

export function skippedFile(file: string, reason: string): SkippedFile {
  return { file, reason };
}

/** Every .json / .jsonl file below a folder (none when it does not exist). */
export async function jsonFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && /\.jsonl?$/i.test(entry.name))
    .map((entry) => join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name));
}

/**
 * Lenient schemas turn a wrong-typed optional field into undefined; this says so in `skipped`
 * (`step 3: tool_calls has the wrong type (string), ignored`).
 */
export function noteDropped(raw: unknown, parsed: object, keys: readonly string[], where: string, skipped: string[]): void {
  if (!isRecord(raw)) return;
  const values = parsed as Record<string, unknown>;
  for (const key of keys) {
    const given = raw[key];
    if (given !== undefined && given !== null && values[key] === undefined) {
      skipped.push(`${where}${where ? ': ' : ''}${key} has the wrong type (${Array.isArray(given) ? 'array' : typeof given}), ignored`);
    }
  }
}
