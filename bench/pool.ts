// Pool overhead: 200 episodes that each `sleep 1`, at concurrency 8, through the real CommandRunner,
// pool and ledger. Ideal wall time is 200 / 8 x 1 s = 25 s; the goal is within 5 %.
// Run: npx tsx bench/pool.ts [episodes] [concurrency] [sleepSeconds]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommandRunner } from '../src/runners/command.js';
import { EpisodeStore } from '../src/store/ledger.js';
import { planEpisodes } from '../src/domain/plan.js';
import { runEpisodes } from '../src/flows/episode-pool.js';
import type { Task } from '../src/domain/types.js';

const episodes = Number(process.argv[2] ?? 200);
const concurrency = Number(process.argv[3] ?? 8);
const sleepSeconds = Number(process.argv[4] ?? 1);

const work = mkdtempSync(path.join(os.tmpdir(), 'sh-bench-pool-'));
try {
  const store = await EpisodeStore.open(path.join(work, 'state'));
  const runner = new CommandRunner({ command: `sleep ${sleepSeconds}` });
  const tasks: Task[] = Array.from({ length: episodes }, (_, i) => ({ id: `task-${i}`, contentHash: `c${i}` }));
  const plans = planEpisodes(tasks, () => 'train', { hash: `bench-${Date.now()}`, root: work, label: 'bench' }, 1);

  const started = performance.now();
  const records = await runEpisodes(plans, { runner, store, concurrency, timeoutMs: 60_000, infraRetries: 0 });
  const wallMs = performance.now() - started;

  const idealMs = Math.ceil(episodes / concurrency) * sleepSeconds * 1000;
  const passed = records.filter((r) => r.outcome === 'pass').length;
  const meanEpisodeMs = records.reduce((sum, r) => sum + r.durationMs, 0) / records.length;
  // Per-episode overhead: what the wall time adds over the ideal, spread over the episodes each slot ran in turn.
  const perEpisodeOverheadMs = (wallMs - idealMs) / Math.ceil(episodes / concurrency);

  const cachedStart = performance.now();
  await runEpisodes(plans, { runner, store: await EpisodeStore.open(path.join(work, 'state')), concurrency, timeoutMs: 60_000, infraRetries: 0 });
  const cachedMs = performance.now() - cachedStart;

  // Pure overhead: episodes that do nothing (`true`), one at a time: spawn, wait, kill check, result read, ledger append.
  const emptyRunner = new CommandRunner({ command: 'true' });
  const emptyPlans = planEpisodes(tasks.slice(0, 100), () => 'train', { hash: `bench-empty-${Date.now()}`, root: work, label: 'bench' }, 1);
  const emptyStart = performance.now();
  await runEpisodes(emptyPlans, { runner: emptyRunner, store, concurrency: 1, timeoutMs: 60_000, infraRetries: 0 });
  const emptyMs = (performance.now() - emptyStart) / emptyPlans.length;

  console.log(`episodes            ${episodes} (passed ${passed}) at concurrency ${concurrency}, sleep ${sleepSeconds}s each`);
  console.log(
    `wall time           ${(wallMs / 1000).toFixed(2)} s (ideal ${(idealMs / 1000).toFixed(2)} s, ${(((wallMs - idealMs) / idealMs) * 100).toFixed(2)} % over; goal <= 5 %)`,
  );
  console.log(
    `overhead / episode  ${perEpisodeOverheadMs.toFixed(1)} ms wall per slot turn; mean recorded episode ${meanEpisodeMs.toFixed(1)} ms (sleep ${sleepSeconds * 1000} ms)`,
  );
  console.log(`empty episode       ${emptyMs.toFixed(1)} ms each (\`true\`, concurrency 1: the runner + pool + ledger cost per episode)`);
  console.log(`cached re-run       ${cachedMs.toFixed(1)} ms for ${episodes} episodes from the ledger`);
  console.log(
    `cpus ${os.cpus().length}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, node ${process.version}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
