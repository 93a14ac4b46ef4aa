import { describe, it, expect } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runEpisodes, type PoolProgress } from '../../src/flows/episode-pool.js';
import { planEpisodes, keyOf } from '../../src/domain/plan.js';
import { episodeId } from '../../src/domain/episode-id.js';
import { EpisodeStore } from '../../src/store/ledger.js';
import { CommandRunner } from '../../src/runners/command.js';
import { summarize } from '../../src/report/run-summary.js';
import { UserError, type EpisodeRunner } from '../../src/domain/types.js';
import { tempDir } from '../helpers/git.js';
import { harness, ledgerLines, task } from '../runners/helpers.js';

const tasks = ['alpha', 'beta', 'gamma', 'delta'].map((id) => task(id));
const splitOf = (id: string) => (id === 'delta' ? ('holdout' as const) : ('train' as const));

async function setup(command: string) {
  const stateDir = tempDir('sh-state-');
  const log = path.join(tempDir(), 'starts.log');
  const runner = new CommandRunner({ command, env: { START_LOG: log }, killGraceMs: 200 });
  const store = await EpisodeStore.open(stateDir);
  return { stateDir, log, runner, store, version: harness() };
}

const starts = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
const base = { concurrency: 3, timeoutMs: 20_000, infraRetries: 2, retryBackoffMs: 10 };

describe('planEpisodes', () => {
  it('plans every task for each attempt, attempt-major, with its split', () => {
    const plans = planEpisodes(tasks.slice(0, 2), splitOf, harness('/x'), 2, 1);
    expect(plans.map((p) => `${p.task.id}#${p.attempt}:${p.split}`)).toEqual(['alpha#1:train', 'beta#1:train', 'alpha#2:train', 'beta#2:train']);
  });
});

describe('runEpisodes', () => {
  it('runs every episode once, returns records in plan order, and a re-run hits the cache', async () => {
    const { stateDir, log, runner, store, version } = await setup(
      'echo "$SELF_HARNESS_TASK#$SELF_HARNESS_ATTEMPT" >> "$START_LOG"; [ "$SELF_HARNESS_TASK" != beta ]',
    );
    const plans = planEpisodes(tasks, splitOf, version, 2);
    const progress: PoolProgress[] = [];
    const records = await runEpisodes(plans, { ...base, runner, store, onProgress: (p) => progress.push(p) });
    expect(records.map((r) => `${r.key.taskId}#${r.key.attempt}`)).toEqual(plans.map((p) => `${p.task.id}#${p.attempt}`));
    expect(records.map((r) => r.outcome)).toEqual(['pass', 'fail', 'pass', 'pass', 'pass', 'fail', 'pass', 'pass']);
    expect(records[3]!.split).toBe('holdout');
    expect(records[0]!.id).toBe(episodeId(keyOf(plans[0]!, runner)));
    expect(records[0]!.artifacts).toBe(`episodes/${records[0]!.id}`);
    expect(existsSync(path.join(stateDir, records[0]!.artifacts, 'stdout.txt'))).toBe(true);
    expect(starts(log)).toHaveLength(8);
    expect(ledgerLines(stateDir)).toHaveLength(8);
    expect(progress.at(-1)).toMatchObject({ total: 8, done: 8, cached: 0, passed: 6, failed: 2, infra: 0, running: 0 });

    const again = await runEpisodes(plans, { ...base, runner, store: await EpisodeStore.open(stateDir) });
    expect(again).toEqual(records);
    expect(starts(log)).toHaveLength(8);
    expect(ledgerLines(stateDir)).toHaveLength(8);

    const fresh = await runEpisodes(plans.slice(0, 2), { ...base, runner, store, useCache: false });
    expect(fresh.map((r) => r.id)).toEqual(records.slice(0, 2).map((r) => r.id));
    expect(starts(log)).toHaveLength(10);
    expect(ledgerLines(stateDir)).toHaveLength(10);
  });

  it('a new harness hash, attempt or command is a new episode', async () => {
    const { log, runner, store, version } = await setup('echo x >> "$START_LOG"');
    await runEpisodes(planEpisodes(tasks.slice(0, 1), splitOf, version, 1), { ...base, runner, store });
    await runEpisodes(planEpisodes(tasks.slice(0, 1), splitOf, { ...version, hash: 'h1' }, 1), { ...base, runner, store });
    await runEpisodes(planEpisodes(tasks.slice(0, 1), splitOf, version, 1, 1), { ...base, runner, store });
    const other = new CommandRunner({ command: 'echo x >> "$START_LOG" ', env: { START_LOG: log } });
    await runEpisodes(planEpisodes(tasks.slice(0, 1), splitOf, version, 1), { ...base, runner: other, store });
    expect(starts(log)).toHaveLength(4);
  });

  it('retries an infrastructure error and records the pass with its tries', async () => {
    const counter = path.join(tempDir(), 'n');
    const { stateDir, runner, store, version } = await setup(
      `n=$(cat ${counter} 2>/dev/null || echo 0); echo $((n+1)) > ${counter}; ` +
        `if [ "$n" = 0 ]; then echo '{"reward":0,"error":{"type":"Docker","message":"daemon away","infrastructure":true}}' > "$SELF_HARNESS_OUT/result.json"; fi`,
    );
    const warnings: string[] = [];
    const [record] = await runEpisodes(planEpisodes(tasks.slice(0, 1), splitOf, version, 1), {
      ...base,
      runner,
      store,
      logger: { info: () => {}, warn: (m) => warnings.push(m) },
    });
    expect(record).toMatchObject({ outcome: 'pass', tries: 2 });
    expect(existsSync(path.join(stateDir, record!.artifacts, 'result.json'))).toBe(false);
    expect(warnings[0]).toContain('alpha#0: infrastructure error (Docker: daemon away); retry 1 of 2');
  });

  it('reports episodes killed from outside as infra errors after the retries, apart from agent failures, and runs them again next time', async () => {
    const { log, runner, store, version } = await setup(
      'echo "$SELF_HARNESS_TASK" >> "$START_LOG"; if [ "$SELF_HARNESS_TASK" = gamma ]; then kill -9 $$; else exit 1; fi',
    );
    const plans = planEpisodes(tasks.slice(0, 3), splitOf, version, 1);
    const records = await runEpisodes(plans, { ...base, runner, store });
    expect(records.map((r) => [r.outcome, r.tries])).toEqual([
      ['fail', 1],
      ['fail', 1],
      ['infra-error', 3],
    ]);
    expect(summarize(records)).toMatchObject({ passed: 0, total: 2, infra: 1 });
    expect(starts(log).filter((l) => l === 'gamma')).toHaveLength(3);
    await runEpisodes(plans, { ...base, runner, store });
    expect(starts(log).filter((l) => l === 'gamma')).toHaveLength(6);
    expect(starts(log).filter((l) => l === 'alpha')).toHaveLength(1);
  });

  it('stops at the first run-command config error: not retried, nothing more started, a UserError with the fix', async () => {
    const { log, runner, store, version } = await setup('echo "$SELF_HARNESS_TASK" >> "$START_LOG"; ./missing-agent');
    const plans = planEpisodes(tasks.slice(0, 3), splitOf, version, 1);
    const run = runEpisodes(plans, { ...base, concurrency: 1, runner, store });
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toThrow(
      /"\.\/missing-agent" was not found .* Fix: set suite\.run in \.self-harness\.yml .* The episode's stderr: .*stderr\.txt\. \(alpha#0; the run stopped/,
    );
    expect(starts(log)).toEqual(['alpha']);
    expect(store.all().map((r) => [r.key.taskId, r.outcome, r.tries])).toEqual([['alpha', 'infra-error', 1]]);
  });

  it('records a runner that throws as an infra error instead of failing the run', async () => {
    const store = await EpisodeStore.open(tempDir());
    const broken: EpisodeRunner = {
      name: 'broken',
      model: '',
      runCommand: 'x',
      run: async () => {
        throw new Error('socket hang up');
      },
    };
    const [record] = await runEpisodes(planEpisodes(tasks.slice(0, 1), splitOf, harness('/x'), 1), { ...base, infraRetries: 0, runner: broken, store });
    expect(record).toMatchObject({ outcome: 'infra-error', runner: 'broken', error: { type: 'runner-crash' } });
    expect(record!.error?.message).toContain('socket hang up');
  });

  it('clears an artifact directory that has no ledger record before running the episode', async () => {
    const { runner, store, version } = await setup('ls "$SELF_HARNESS_OUT"');
    const plans = planEpisodes(tasks.slice(0, 1), splitOf, version, 1);
    const stale = store.artifactsPath(episodeId(keyOf(plans[0]!, runner)));
    mkdirSync(stale, { recursive: true });
    writeFileSync(path.join(stale, 'left-by-a-killed-run.txt'), 'old');
    const [record] = await runEpisodes(plans, { ...base, runner, store, shard: '2/3' });
    expect(existsSync(path.join(stale, 'left-by-a-killed-run.txt'))).toBe(false);
    expect(readFileSync(path.join(stale, 'stdout.txt'), 'utf8')).not.toContain('left-by');
    expect(record!.shard).toBe('2/3');
  });

  it('fails the run when the ledger cannot be written instead of losing records silently', async () => {
    const { stateDir, log, runner, store, version } = await setup('echo x >> "$START_LOG"');
    mkdirSync(path.join(stateDir, 'episodes.jsonl')); // a directory where the ledger file should be
    await expect(runEpisodes(planEpisodes(tasks, splitOf, version, 2), { ...base, concurrency: 1, runner, store })).rejects.toThrow(/EISDIR/);
    expect(starts(log).length).toBeLessThan(8);
  });

  it('stops starting episodes when aborted and records none of the unfinished ones', async () => {
    const { stateDir, log, runner, store, version } = await setup('echo x >> "$START_LOG"; sleep 0.3');
    const controller = new AbortController();
    const plans = planEpisodes(tasks, splitOf, version, 3);
    const onProgress = (p: PoolProgress) => {
      if (p.done >= 2) controller.abort(new Error('stop'));
    };
    await expect(runEpisodes(plans, { ...base, concurrency: 2, runner, store, signal: controller.signal, onProgress })).rejects.toThrow('stop');
    const recorded = ledgerLines(stateDir).length;
    expect(recorded).toBeGreaterThanOrEqual(2);
    expect(recorded).toBeLessThan(12);
    expect(starts(log).length).toBeLessThanOrEqual(recorded + 2);
  });
});
