// The one JSON-lines reader shared by traces, the ledger, shard merges and the candidate history.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { boundedLines, jsonLines, jsonLinesOfFile, type JsonLine } from '../../src/store/jsonl.js';
import { tempDir } from '../helpers/git.js';

async function all(source: AsyncGenerator<JsonLine[]>): Promise<JsonLine[]> {
  const out: JsonLine[] = [];
  for await (const batch of source) out.push(...batch);
  return out;
}

async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.from(part, 'utf8');
}

describe('boundedLines', () => {
  it('drops a runaway line without buffering it and reads CRLF lines', async () => {
    const file = path.join(tempDir('sh-jsonl-'), 'trace.jsonl');
    writeFileSync(file, `{"a":1}\r\n${'y'.repeat(5000)}\n{"b":2}\n${'z'.repeat(5000)}`);
    const { createReadStream } = await import('node:fs');
    const lines: Array<string | undefined> = [];
    for await (const batch of boundedLines(createReadStream(file), 1000)) lines.push(...batch);
    expect(lines).toEqual(['{"a":1}', undefined, '{"b":2}', undefined]);
  });

  it('keeps a multi-byte character split across chunks whole', async () => {
    const bytes = Buffer.from('"é"\n', 'utf8');
    async function* split() {
      yield bytes.subarray(0, 2);
      yield bytes.subarray(2);
    }
    const lines: Array<string | undefined> = [];
    for await (const batch of boundedLines(split())) lines.push(...batch);
    expect(lines).toEqual(['"é"']);
  });
});

describe('jsonLines', () => {
  it('numbers lines, skips blank ones, and tells a torn last line from a malformed one', async () => {
    const lines = await all(jsonLines(chunks('{"a":1}\n\nnot json\n{"b":', '2}\n{"c":')));
    expect(lines).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 3, problem: 'not-json', torn: false, text: 'not json' },
      { line: 4, value: { b: 2 } },
      { line: 5, problem: 'not-json', torn: true, text: '{"c":' },
    ]);
  });

  it('reads a complete last line without a newline as a value', async () => {
    expect(await all(jsonLines(chunks('{"a":1}\n{"b":2}')))).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, value: { b: 2 } },
    ]);
  });

  it('reads a file and reports a missing one as an error', async () => {
    const dir = tempDir('sh-jsonl-');
    writeFileSync(path.join(dir, 'x.jsonl'), '[1]\n');
    expect(await all(jsonLinesOfFile(path.join(dir, 'x.jsonl')))).toEqual([{ line: 1, value: [1] }]);
    await expect(all(jsonLinesOfFile(path.join(dir, 'missing.jsonl')))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
