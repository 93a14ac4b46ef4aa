import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/types.js';
import { appendHistory, historyEntry, historyFile, readHistory } from '../../src/propose/history.js';
import type { HistoryEntry } from '../../src/propose/types.js';
import { tempDir } from '../helpers/git.js';
import { candidate } from './fixture.js';

const entry = (id: string, decision: HistoryEntry['decision'] = 'reject'): HistoryEntry => ({
  id,
  round: 1,
  parentHash: 'abc',
  weaknessId: 'w-1',
  mechanism: 'prompt_instruction',
  summary: `idea ${id}`,
  diff: '--- a/x\n+++ b/x\n',
  decision,
  reason: 'no gain',
  numbers: { delta: -0.05 },
  at: '2026-11-29T12:00:00.000Z',
  proposer: 'model',
});

describe('candidate history', () => {
  it('lives at <config root>/.self-harness/history.jsonl', () => {
    expect(historyFile('/repo/examples/demo')).toBe(path.join('/repo/examples/demo', '.self-harness', 'history.jsonl'));
  });

  it('reads nothing from a missing file and reads back what was appended, in order', async () => {
    const file = historyFile(tempDir('sh-history-'));
    expect(await readHistory(file)).toEqual([]);
    await appendHistory(file, [entry('c-1'), entry('c-2', 'promote')]);
    await appendHistory(file, [entry('c-3', 'inconclusive')]);
    expect(await readHistory(file)).toEqual([entry('c-1'), entry('c-2', 'promote'), entry('c-3', 'inconclusive')]);
  });

  it('tolerates a torn last line, and the next append cuts it off', async () => {
    const file = historyFile(tempDir('sh-history-'));
    await appendHistory(file, [entry('c-1')]);
    appendFileSync(file, JSON.stringify(entry('c-2')).slice(0, 40));
    expect(await readHistory(file)).toEqual([entry('c-1')]);
    await appendHistory(file, [entry('c-3')]);
    expect(await readHistory(file)).toEqual([entry('c-1'), entry('c-3')]);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('reports a corrupt line in the middle with the file and line number', async () => {
    const file = path.join(tempDir('sh-history-'), 'history.jsonl');
    writeFileSync(file, `${JSON.stringify(entry('c-1'))}\nnot json\n${JSON.stringify(entry('c-2'))}\n`);
    await expect(readHistory(file)).rejects.toThrow(UserError);
    await expect(readHistory(file)).rejects.toThrow(`${file}:2`);
    writeFileSync(file, `${JSON.stringify({ ...entry('c-1'), decision: 'maybe' })}\n`);
    await expect(readHistory(file)).rejects.toThrow(`${file}:1 decision`);
  });

  it('builds an entry from a judged candidate', () => {
    const c = candidate([{ kind: 'create', file: 'harness/a.md', content: 'a\n' }], { summary: 'add a' });
    const e = historyEntry(c, { round: 2, parentHash: 'p', diff: 'd', decision: 'reject', reason: 'r', at: new Date('2026-01-01T00:00:00Z') });
    expect(e).toEqual({
      id: c.id,
      round: 2,
      parentHash: 'p',
      weaknessId: c.weaknessId,
      mechanism: 'prompt_instruction',
      summary: 'add a',
      diff: 'd',
      decision: 'reject',
      reason: 'r',
      at: '2026-01-01T00:00:00.000Z',
      proposer: 'model',
    });
  });
});
