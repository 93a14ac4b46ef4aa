// The episode protocol hands every episode its ledger id (SELF_HARNESS_EPISODE): distinct for each purpose (stream),
// so an agent that seeds anything per episode draws afresh for fresh evidence; the simulated demo agent does.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planSimulatedEpisode } from '../../src/agent/simulated.js';
import { planEpisodes } from '../../src/domain/plan.js';
import type { Task } from '../../src/domain/types.js';
import { runEpisodes } from '../../src/flows/episode-pool.js';
import { CommandRunner } from '../../src/runners/command.js';
import { EpisodeStore } from '../../src/store/ledger.js';
import { tempDir } from '../helpers/git.js';

describe('SELF_HARNESS_EPISODE', () => {
  it('is the ledger id of the episode, different for the same task, attempt and harness on another stream', async () => {
    const work = tempDir('sh-episode-env-');
    const store = await EpisodeStore.open(path.join(work, 'state'));
    const runner = new CommandRunner({ command: 'printf %s "$SELF_HARNESS_EPISODE" > "$SELF_HARNESS_OUT/episode.txt"' });
    const tasks: Task[] = [{ id: 't1', contentHash: 'c1' }];
    const version = { hash: 'h-env', root: work, label: 'env' };
    const mining = planEpisodes(tasks, () => 'train', version, 1);
    const screening = planEpisodes(tasks, () => 'train', version, 1, 0, 'screen:abc:0');
    const records = await runEpisodes([...mining, ...screening], { runner, store, concurrency: 1, timeoutMs: 20_000, infraRetries: 0 });
    expect(records).toHaveLength(2);
    const seen = records.map((record) => readFileSync(path.join(store.artifactsPath(record.id), 'episode.txt'), 'utf8'));
    expect(seen).toEqual(records.map((record) => record.id));
    expect(new Set(seen).size).toBe(2);
  });

  it('gives the simulated agent an independent draw per episode id, and the old draw without one', () => {
    const task = { id: 'csv-sum', traits: ['verify'] };
    const without = planSimulatedEpisode(task, 0, 'h1', '');
    expect(planSimulatedEpisode(task, 0, 'h1', '', undefined)).toEqual(without);
    const draws = new Set(Array.from({ length: 20 }, (_, i) => planSimulatedEpisode(task, 0, 'h1', '', `episode-${i}`).draw));
    expect(draws.size).toBe(20);
  });
});
