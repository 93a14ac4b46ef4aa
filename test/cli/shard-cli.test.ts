import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';
import { installStandIn } from '../runners/harbor-stand-in.js';

interface Line {
  id: string;
  outcome: string;
  shard?: string;
  key: { taskId: string; attempt: number };
}
const ledger = (stateDir: string): Line[] =>
  readFileSync(path.join(stateDir, 'episodes.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const outcomes = (lines: Line[]) => lines.map((l) => `${l.id} ${l.key.taskId}#${l.key.attempt} ${l.outcome}`).sort();

function harborProject() {
  const files: Record<string, string> = {
    '.gitignore': '.self-harness/\n',
    '.self-harness.yml': [
      'harness:',
      "  include: ['agent/**']",
      'suite:',
      '  runner: harbor',
      '  harbor:',
      '    path: tasks',
      "    agent-import-path: 'my_agent:Agent'",
      '    inject: agent-import-path',
      '    inject-path: agent',
      '    model: openai/gpt-5-mini',
      '  concurrency: 3',
      '  attempts: 2',
      '  holdout: 0.25',
      '  seed: fixed',
      '  infra-retries: 0',
    ].join('\n'),
    'agent/my_agent.py': 'class Agent: pass\n',
  };
  for (const id of ['pass-alpha', 'pass-beta', 'fail-gamma', 'timeout-delta', 'pass-epsilon', 'fail-zeta', 'pass-eta', 'rewardfile-theta']) {
    files[`tasks/${id}/instruction.md`] = `Do ${id}.\n`;
    files[`tasks/${id}/task.toml`] = 'schema_version = "1.1"\n';
  }
  const root = makeRepo(files, 'sh-shard-');
  return { root, config: path.join(root, '.self-harness.yml') };
}

describe('self-harness run --shard and merge', () => {
  it('four shards run as separate processes merge into the same episodes as one unsharded run, and a re-run or re-merge changes nothing', async () => {
    const p = harborProject();
    const standIn = installStandIn();
    const base = tempDir('sh-shards-');
    const shardDir = (i: number) => path.join(base, `shard-${i}`);
    const run = (args: string[]) => runCli(['run', '--config', p.config, '--json', ...args], { env: standIn.env });

    const [full, ...shards] = await Promise.all([
      run(['--state-dir', path.join(base, 'full')]),
      ...[1, 2, 3, 4].map((i) => run(['--shard', `${i}/4`, '--state-dir', shardDir(i)])),
    ]);
    expect(full!.exitCode, String(full!.all)).toBe(0);
    for (const shard of shards) expect(shard.exitCode, String(shard.all)).toBe(0);
    expect(shards[1]!.stderr).toMatch(/shard 2\/4: \d+ of 16 episode\(s\)/);
    const fullLines = ledger(path.join(base, 'full'));
    expect(fullLines).toHaveLength(16);
    const shardLines = [1, 2, 3, 4].map((i) => ledger(shardDir(i)));
    expect(shardLines.reduce((n, lines) => n + lines.length, 0)).toBe(16);
    shardLines.forEach((lines, i) => lines.forEach((line) => expect(line.shard).toBe(`${i + 1}/4`)));
    expect(standIn.invocations()).toHaveLength(32);

    // A shard run again (e.g. after its machine died) redoes nothing it finished.
    const again = await run(['--shard', '3/4', '--state-dir', shardDir(3)]);
    expect(JSON.parse(String(again.stdout)).episodes).toMatchObject({ run: 0, cached: shardLines[2]!.length });
    expect(standIn.invocations()).toHaveLength(32);

    const merged = path.join(base, 'merged');
    const shardArgs = [1, 2, 3, 4].map(shardDir);
    const first = await runCli(['merge', ...shardArgs, '--state-dir', merged, '--json']);
    expect(first.exitCode, String(first.all)).toBe(0);
    expect(JSON.parse(String(first.stdout))).toMatchObject({ added: 16, duplicates: 0, conflicts: [], skipped: 0, missingArtifacts: 0 });
    expect(outcomes(ledger(merged))).toEqual(outcomes(fullLines));
    expect(new Set(fullLines.map((l) => l.outcome))).toEqual(new Set(['pass', 'fail', 'timeout']));

    const before = readFileSync(path.join(merged, 'episodes.jsonl'), 'utf8');
    const second = await runCli(['merge', ...shardArgs, '--state-dir', merged]);
    expect(second.exitCode, String(second.all)).toBe(0);
    expect(second.stdout).toMatch(/merged into .*: 0 added, 16 duplicate\(s\), 0 conflict\(s\), 0 skipped/);
    expect(readFileSync(path.join(merged, 'episodes.jsonl'), 'utf8')).toBe(before);

    // The merged state is a full cache: the decision step runs on it without running anything.
    const decide = await runCli(['run', '--config', p.config, '--json', '--state-dir', merged], { env: standIn.env });
    expect(JSON.parse(String(decide.stdout)).episodes).toEqual({ total: 16, run: 0, cached: 16 });
    expect(standIn.invocations()).toHaveLength(32);

    // A shard that recorded a different outcome for an episode is a reported conflict; the merged record stays.
    const rogue = path.join(base, 'rogue');
    mkdirSync(rogue);
    const flipped = shardLines[0]![0]!;
    writeFileSync(path.join(rogue, 'episodes.jsonl'), `${JSON.stringify({ ...flipped, outcome: flipped.outcome === 'pass' ? 'fail' : 'pass' })}\n`);
    const conflict = await runCli(['merge', rogue, '--state-dir', merged]);
    expect(conflict.exitCode, String(conflict.all)).toBe(0);
    expect(conflict.stdout).toMatch(/0 added, 0 duplicate\(s\), 1 conflict\(s\)/);
    expect(conflict.stdout).toContain(`${flipped.key.taskId}#${flipped.key.attempt} (${flipped.id}): kept ${flipped.outcome}`);
    expect(ledger(merged).find((l) => l.id === flipped.id)!.outcome).toBe(flipped.outcome);
  });

  it('rejects a malformed --shard and a merge without directories as usage errors', async () => {
    const p = harborProject();
    const bad = await runCli(['run', '--config', p.config, '--shard', '5/4']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--shard: the shard number must be from 1 to 4/);
    const none = await runCli(['merge', '--state-dir', tempDir()]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/name at least one shard state directory/);
  });
});
