// The validator through the real episode pool, ledger and command runner on a tiny suite of shell episodes.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEpisodes } from '../../src/flows/episode-pool.js';
import type { HarnessVersion, Task } from '../../src/domain/types.js';
import { CommandRunner } from '../../src/runners/command.js';
import { EpisodeStore } from '../../src/store/ledger.js';
import { holdoutUsesCounter } from '../../src/store/holdout-uses.js';
import { validateCandidate } from '../../src/validate/validate.js';
import { tempDir } from '../helpers/git.js';
import { defaultSettings } from './helpers.js';

describe('validateCandidate with the real pool and command runner', () => {
  it('promotes a candidate that fixes every task, excludes infra errors, and reuses the ledger on a re-run', async () => {
    const work = tempDir('sh-validate-pool-');
    const stateDir = path.join(work, 'state');
    const agent = path.join(work, 'agent.mjs');
    // The candidate harness passes every task; the baseline fails them; one task is broken infrastructure.
    writeFileSync(
      agent,
      `import { writeFileSync } from 'node:fs';
const task = process.env.SELF_HARNESS_TASK;
if (task === 'broken-env') {
  writeFileSync(process.env.SELF_HARNESS_OUT + '/result.json', JSON.stringify({ error: { type: 'docker', message: 'no daemon', infrastructure: true } }));
  process.exit(0);
}
process.exit(process.env.SELF_HARNESS_HARNESS === 'candidate-hash' ? 0 : 1);
`,
    );
    const baseline: HarnessVersion = { hash: 'baseline-hash', root: work, label: 'main' };
    const candidate: HarnessVersion = { hash: 'candidate-hash', root: work, label: 'edit' };
    const trainTasks: Task[] = ['a', 'b', 'c', 'd', 'e', 'broken-env'].map((id) => ({ id, contentHash: `h-${id}` }));
    const holdoutTasks: Task[] = ['x', 'y'].map((id) => ({ id, contentHash: `h-${id}` }));
    const runner = new CommandRunner({ command: `"${process.execPath}" "${agent}"` });
    const settings = { ...defaultSettings, maxAttempts: 4, holdoutAttempts: 8, concurrency: 4 };

    const validate = async () => {
      const store = await EpisodeStore.open(stateDir);
      return validateCandidate({
        baseline,
        candidate,
        trainTasks,
        holdoutTasks,
        runHoldout: true,
        settings,
        runEpisodes: (plans) => runEpisodes(plans, { runner, store, concurrency: 4, timeoutMs: 20_000, infraRetries: 1, retryBackoffMs: 1 }),
        holdoutUses: holdoutUsesCounter(stateDir),
      });
    };

    const first = await validate();
    expect(first.decision).toBe('promote');
    expect(first.train.baseline.rate).toBe(0);
    expect(first.train.candidate.rate).toBe(1);
    expect(first.episodes.infra).toBeGreaterThan(0);
    expect(first.train.baseline.infra).toBeGreaterThan(0);
    expect(first.train.tasks).toBe(5);
    expect(first.holdout?.candidate.rate).toBe(1);
    expect(first.holdoutUses).toBe(1);
    expect(first.episodes.cached).toBe(0);

    // Same versions again: every judged episode comes from the ledger; infra errors are run again.
    const second = await validate();
    expect(second.decision).toBe('promote');
    expect(second.holdoutUses).toBe(2);
    expect(second.episodes.run).toBe(second.episodes.infra);
    expect(second.episodes.cached).toBe(first.episodes.run - first.episodes.infra);
  });
});
