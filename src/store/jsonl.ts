// The one JSON-lines reader: traces, the episode ledger, shard merges and the candidate history all read lines
// through it. Streams (memory bounded by the longest kept line), drops runaway lines unbuffered, and tells a torn
// last line (a writer killed mid-write) from a malformed one.
import { createReadStream } from 'node:fs';

/** One non-blank line: its parsed JSON, or why it is not JSON. `line` is 1-based. */
export type JsonLine =
  | { line: number; value: unknown }
  | { line: number; problem: 'not-json' | 'too-long'; /** The last line, without a newline: a torn write. */ torn: boolean; text?: string };

/** Lines longer than this are dropped unread by default (16 MiB). */
export const MAX_JSON_LINE_CHARS = 16 * 1024 * 1024;
/** A malformed line is quoted in `text` only when it is this short. */
const QUOTE_CHARS = 60;

/**
 * The lines of `chunks` (a file stream or any byte source), a chunk's worth at a time: like readline, but a
 * runaway line is dropped instead of held in memory (it comes out as undefined).
 */
export async function* boundedLines(chunks: AsyncIterable<Buffer | string>, maxChars = MAX_JSON_LINE_CHARS): AsyncGenerator<Array<string | undefined>> {
  let pending = '';
  let dropping = false;
  const decoder = new TextDecoder('utf-8');
  const finish = (line: string): string | undefined => (line.length > maxChars ? undefined : line.endsWith('\r') ? line.slice(0, -1) : line);
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const batch: Array<string | undefined> = [];
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      const piece = text.slice(start, newline);
      start = newline + 1;
      batch.push(dropping ? undefined : finish(pending + piece));
      dropping = false;
      pending = '';
    }
    if (!dropping) {
      pending += text.slice(start);
      if (pending.length > maxChars) {
        dropping = true;
        pending = '';
      }
    }
    if (batch.length > 0) yield batch;
  }
  pending += decoder.decode();
  if (dropping) yield [undefined];
  else if (pending !== '') yield [finish(pending)];
}

/** Parsed JSON lines of `chunks`, batched per chunk; blank lines are counted but not yielded. */
export async function* jsonLines(chunks: AsyncIterable<Buffer | string>, maxChars = MAX_JSON_LINE_CHARS): AsyncGenerator<JsonLine[]> {
  let line = 0;
  let held: JsonLine[] = [];
  // A batch is held back one round so the very last line can be marked torn when the source ends without '\n'.
  let endsWithNewline = true;
  for await (const batch of boundedLines(
    tagEnding(chunks, (ends) => {
      endsWithNewline = ends;
    }),
    maxChars,
  )) {
    if (held.length > 0) yield held;
    held = [];
    for (const text of batch) {
      line += 1;
      if (text === undefined) {
        held.push({ line, problem: 'too-long', torn: false });
        continue;
      }
      if (text.trim() === '') continue;
      try {
        held.push({ line, value: JSON.parse(text) });
      } catch {
        held.push({ line, problem: 'not-json', torn: false, ...(text.length <= QUOTE_CHARS ? { text } : {}) });
      }
    }
  }
  const last = held[held.length - 1];
  if (last && 'problem' in last && !endsWithNewline) last.torn = true;
  if (held.length > 0) yield held;
}

/** The JSON lines of a file (an error such as ENOENT surfaces on the first read). */
export function jsonLinesOfFile(file: string, maxChars = MAX_JSON_LINE_CHARS): AsyncGenerator<JsonLine[]> {
  return jsonLines(createReadStream(file, { highWaterMark: 256 * 1024 }), maxChars);
}

/** Passes chunks through, reporting whether the data seen so far ends with a newline. */
async function* tagEnding(chunks: AsyncIterable<Buffer | string>, report: (endsWithNewline: boolean) => void): AsyncGenerator<Buffer | string> {
  for await (const chunk of chunks) {
    if (chunk.length > 0) {
      const lastChar = typeof chunk === 'string' ? chunk.charCodeAt(chunk.length - 1) : chunk[chunk.length - 1];
      report(lastChar === 0x0a);
    }
    yield chunk;
  }
}
