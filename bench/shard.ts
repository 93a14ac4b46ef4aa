// Merge time for 100,000 episodes across 64 shard state directories (generated ledgers, one small
// artifact file per episode), then the time of merging the same shards again (all duplicates).
// Run: npx tsx bench/shard.ts [episodes] [shards]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mergeStates } from '../src/store/merge.js';
import { episodeId } from '../src/domain/episode-id.js';
import { selectShard, shardOfId } from '../src/domain/shard.js';
import { planEpisodes } from '../src/domain/plan.js';
import type { EpisodeRecord, Outcome, Task } from '../src/domain/types.js';

const episodes = Number(process.argv[2] ?? 100_000);
const shards = Number(process.argv[3] ?? 64);
const base = mkdtempSync(path.join(os.tmpdir(), 'sh-bench-shard-'));
const outcomes: Outcome[] = ['pass', 'fail', 'timeout', 'pass', 'fail'];

try {
  // Shard assignment the way `run --shard` does it: 1,000 tasks x 100 attempts.
  const taskCount = 1000;
  const tasks: Task[] = Array.from({ length: taskCount }, (_, i) => ({ id: `task-${i}`, contentHash: `h${i}` }));
  const harness = { hash: 'harness-bench', root: '/repo', label: 'bench' };
  const plans = planEpisodes(tasks, () => 'train', harness, Math.ceil(episodes / taskCount)).slice(0, episodes);
  const identity = { runCommand: 'agent run', model: 'model' };
  let started = performance.now();
  selectShard(plans, 1, shards, identity);
  const selectMs = performance.now() - started;
  const assigned: (typeof plans)[] = Array.from({ length: shards }, () => []);
  for (const plan of plans) {
    const key = { harnessHash: harness.hash, taskId: plan.task.id, taskHash: plan.task.contentHash, attempt: plan.attempt, ...identity };
    assigned[shardOfId(episodeId(key), shards)]!.push(plan);
  }
  const sizes = assigned.map((s) => s.length);

  started = performance.now();
  const dirs: string[] = [];
  assigned.forEach((shardPlans, i) => {
    const dir = path.join(base, `shard-${i + 1}`);
    dirs.push(dir);
    const lines: string[] = [];
    for (const plan of shardPlans) {
      const key = { harnessHash: harness.hash, taskId: plan.task.id, taskHash: plan.task.contentHash, attempt: plan.attempt, ...identity };
      const id = episodeId(key);
      const outcome = outcomes[(plan.attempt + Number(plan.task.id.slice(5))) % outcomes.length]!;
      const record: EpisodeRecord = {
        id,
        key,
        split: 'train',
        outcome,
        reward: outcome === 'pass' ? 1 : 0,
        exitCode: 0,
        startedAt: '2026-11-29T10:00:00.000Z',
        durationMs: 1234,
        artifacts: `episodes/${id}`,
        tries: 1,
        runner: 'command',
        shard: `${i + 1}/${shards}`,
      };
      lines.push(JSON.stringify(record));
      mkdirSync(path.join(dir, 'episodes', id), { recursive: true });
      writeFileSync(path.join(dir, 'episodes', id, 'stdout.txt'), `episode ${id}\n`);
    }
    writeFileSync(path.join(dir, 'episodes.jsonl'), `${lines.join('\n')}\n`);
  });
  const generateMs = performance.now() - started;

  const target = path.join(base, 'merged');
  started = performance.now();
  const first = await mergeStates(target, dirs);
  const mergeMs = performance.now() - started;
  started = performance.now();
  const second = await mergeStates(target, dirs);
  const remergeMs = performance.now() - started;

  console.log(`episodes: ${episodes} across ${shards} shards (smallest ${Math.min(...sizes)}, largest ${Math.max(...sizes)})`);
  console.log(`selectShard (what one machine computes for its shard): ${(selectMs / 1000).toFixed(2)} s`);
  console.log(`generate shard dirs: ${(generateMs / 1000).toFixed(1)} s`);
  console.log(
    `merge (ledgers + artifact dirs): ${(mergeMs / 1000).toFixed(2)} s; added ${first.added}, duplicates ${first.duplicates}, conflicts ${first.conflicts.length}`,
  );
  console.log(`merge again (idempotent): ${(remergeMs / 1000).toFixed(2)} s; added ${second.added}, duplicates ${second.duplicates}`);
  const moveTarget = path.join(base, 'merged-move');
  started = performance.now();
  const moved = await mergeStates(moveTarget, dirs, { move: true });
  const moveMs = performance.now() - started;
  console.log(`merge --move (rename artifact dirs): ${(moveMs / 1000).toFixed(2)} s; added ${moved.added}`);
  console.log(`goal: merge under 10 s -> copy ${mergeMs < 10_000 ? 'met' : 'NOT met'}, move ${moveMs < 10_000 ? 'met' : 'NOT met'}`);
} finally {
  rmSync(base, { recursive: true, force: true });
}
