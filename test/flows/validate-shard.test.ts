// Spreading a validation over machines: each shard pre-runs its part of the worst-case plan, the shards are merged,
// and the decision taken on the merged state is the one an unsharded validation takes, with no episode run again.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { git, removeDir } from '../helpers/git.js';
import { makeSuiteRepo } from '../e2e/fixture-suite.js';

const repos: string[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) removeDir(repo);
});

function repoWithChange(): { repo: string; base: string } {
  const repo = makeSuiteRepo();
  repos.push(repo);
  const base = git(repo, 'rev-parse', 'HEAD');
  writeFileSync(path.join(repo, 'harness/prompt.md'), '# System prompt\n\nVERIFY the output before you call finish.\n');
  git(repo, 'commit', '-qam', 'verify before finishing');
  return { repo, base };
}

describe('validate --shard', () => {
  it('3 shards run as separate processes, merged, decide as the unsharded run does, without running anything again', async () => {
    const sharded = repoWithChange();
    const shardRuns = await Promise.all(
      [1, 2, 3].map((i) => runCli(['validate', '--base', sharded.base, '--shard', `${i}/3`, '--state-dir', `shard-${i}`, '--json'], { cwd: sharded.repo })),
    );
    const planned = shardRuns.map((r) => {
      expect(r.exitCode, String(r.all)).toBe(0);
      return JSON.parse(String(r.stdout)) as { planned: number; worstCase: number; run: number };
    });
    // The shards partition the worst-case plan.
    expect(planned.reduce((sum, p) => sum + p.planned, 0)).toBe(planned[0]!.worstCase);
    expect(planned.every((p) => p.run === p.planned && p.planned > 0)).toBe(true);

    const merged = await runCli(['merge', 'shard-1', 'shard-2', 'shard-3'], { cwd: sharded.repo });
    expect(merged.exitCode, String(merged.all)).toBe(0);
    const decided = await runCli(['validate', '--base', sharded.base, '--report', 'report.json'], { cwd: sharded.repo });
    expect(decided.exitCode, String(decided.all)).toBe(0);
    const shardedReport = JSON.parse(readFileSync(path.join(sharded.repo, 'report.json'), 'utf8'));
    expect(shardedReport.episodes.run).toBe(0);

    const plain = repoWithChange();
    const direct = await runCli(['validate', '--base', plain.base, '--report', 'report.json'], { cwd: plain.repo });
    expect(direct.exitCode, String(direct.all)).toBe(0);
    const plainReport = JSON.parse(readFileSync(path.join(plain.repo, 'report.json'), 'utf8'));
    expect(plainReport.episodes.run).toBeGreaterThan(0);
    expect(shardedReport.decision).toBe(plainReport.decision);
    expect(shardedReport.train).toEqual(plainReport.train);
    expect(shardedReport.holdout).toEqual(plainReport.holdout);
  });
});
