// Reading a plain JSON trace file (size-capped, through the confined opener) and finding JSON files below a folder.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { mb, readBytes, readProblem, TraceFileRefused } from './confined.js';

/** A plain JSON file larger than this is never loaded; jsonl and .eval are streamed instead. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

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

/** Every .json / .jsonl file below a folder (none when it does not exist). */
export async function jsonFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && /\.jsonl?$/i.test(entry.name))
    .map((entry) => join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name));
}
