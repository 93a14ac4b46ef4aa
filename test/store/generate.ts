// Writes shard state directories (ledger + artifact dirs) straight to disk, as `self-harness run --shard` would.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EpisodeRecord, Outcome } from '../../src/domain/types.js';
import { episodeId } from '../../src/domain/episode-id.js';

export function makeRecord(taskId: string, attempt: number, outcome: Outcome, shard?: string): EpisodeRecord {
  const key = { harnessHash: 'harness-a', taskId, taskHash: `hash-${taskId}`, attempt, runCommand: 'agent', model: 'm' };
  const id = episodeId(key);
  return {
    id,
    key,
    split: 'train',
    outcome,
    reward: outcome === 'pass' ? 1 : 0,
    exitCode: outcome === 'pass' ? 0 : 1,
    startedAt: '2026-11-29T10:00:00.000Z',
    durationMs: 1000,
    artifacts: `episodes/${id}`,
    tries: 1,
    runner: 'command',
    ...(shard ? { shard } : {}),
  };
}

/** A state dir with these records; each gets an artifact dir holding `trace.txt` (unless `artifacts` is false). */
export function writeState(dir: string, records: EpisodeRecord[], options: { artifacts?: boolean; tail?: string } = {}): void {
  mkdirSync(path.join(dir, 'episodes'), { recursive: true });
  const lines = records.map((r) => JSON.stringify(r)).join('\n');
  writeFileSync(path.join(dir, 'episodes.jsonl'), (lines ? `${lines}\n` : '') + (options.tail ?? ''));
  if (options.artifacts === false) return;
  for (const r of records) {
    const artifactDir = path.join(dir, r.artifacts);
    mkdirSync(artifactDir, { recursive: true });
    writeFileSync(path.join(artifactDir, 'trace.txt'), `${r.key.taskId}#${r.key.attempt} ${r.outcome}\n`);
  }
}
