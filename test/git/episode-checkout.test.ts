// Every episode runs in its own copy of the harness version: a private worktree (overlays and uncommitted files
// included) that concurrent episodes never share and that is gone after the try.
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createEpisodeCheckout, episodeCheckouts } from '../../src/git/episode-checkout.js';
import { materializeRef } from '../../src/git/worktree.js';
import { runCli } from '../helpers/cli.js';
import { git, makeRepo, tempDir, writeFiles } from '../helpers/git.js';

describe('createEpisodeCheckout', () => {
  it('copies a worktree with its uncommitted and ignored overlay files, gives it its own HEAD, and removes it', async () => {
    const repo = makeRepo({ '.gitignore': '.self-harness/\nignored.md\n', 'proj/agent/run.sh': 'echo hi\n', 'proj/agent/old.md': 'old\n' });
    const stateDir = path.join(repo, '.self-harness');
    const version = await materializeRef(repo, 'HEAD', { stateDir });
    const root = path.join(version.root, 'proj');
    // What an overlay leaves: a changed file, a new one, an ignored one, a deleted one, an executable bit.
    writeFiles(root, { 'agent/run.sh': 'echo overlaid\n', 'agent/new.md': 'new\n', 'ignored.md': 'surface file git ignores\n' });
    rmSync(path.join(root, 'agent/old.md'));
    chmodSync(path.join(root, 'agent/run.sh'), 0o755);

    const checkout = await createEpisodeCheckout(root, stateDir, 'ep');
    expect(checkout.root).not.toBe(root);
    expect(checkout.root.startsWith(path.join(stateDir, 'episode-checkouts'))).toBe(true);
    expect(path.basename(checkout.root)).toBe('proj');
    expect(readFileSync(path.join(checkout.root, 'agent/run.sh'), 'utf8')).toBe('echo overlaid\n');
    expect(statSync(path.join(checkout.root, 'agent/run.sh')).mode & 0o111).not.toBe(0);
    expect(readFileSync(path.join(checkout.root, 'agent/new.md'), 'utf8')).toBe('new\n');
    expect(readFileSync(path.join(checkout.root, 'ignored.md'), 'utf8')).toBe('surface file git ignores\n');
    expect(existsSync(path.join(checkout.root, 'agent/old.md'))).toBe(false);
    // git run in the copy sees the copy, not the version's worktree or the user's repository.
    const copyTop = path.dirname(checkout.root);
    expect(git(checkout.root, 'rev-parse', '--show-toplevel')).toBe(copyTop);
    writeFileSync(path.join(checkout.root, 'scribble.txt'), 'x');
    expect(existsSync(path.join(root, 'scribble.txt'))).toBe(false);

    await checkout.dispose();
    expect(existsSync(copyTop)).toBe(false);
    expect(git(repo, 'worktree', 'list')).not.toContain('episode-checkouts');
    await version.dispose();
  });

  it('copies a plain directory (no git) without the state dir inside it', async () => {
    const dir = tempDir('sh-plain-');
    const stateDir = path.join(dir, '.self-harness');
    writeFiles(dir, { 'harness/prompt.md': 'p\n', '.self-harness/episodes.jsonl': '' });
    const checkout = await createEpisodeCheckout(dir, stateDir, 'ep');
    expect(readFileSync(path.join(checkout.root, 'harness/prompt.md'), 'utf8')).toBe('p\n');
    expect(existsSync(path.join(checkout.root, '.self-harness'))).toBe(false);
    await checkout.dispose();
    expect(existsSync(checkout.root)).toBe(false);
  });
});

describe('episodeCheckouts', () => {
  it('hands an untouched copy to the next episode of the version, and never one an episode wrote in', async () => {
    const repo = makeRepo({ 'agent/run.sh': 'echo hi\n' });
    const stateDir = path.join(repo, '.self-harness');
    const version = await materializeRef(repo, 'HEAD', { stateDir });
    const checkouts = episodeCheckouts(stateDir);
    const first = await checkouts.create(version.root, 'v');
    await first.dispose();
    const second = await checkouts.create(version.root, 'v');
    expect(second.root).toBe(first.root);
    // A concurrent episode never gets a copy in use.
    const third = await checkouts.create(version.root, 'v');
    expect(third.root).not.toBe(second.root);
    writeFileSync(path.join(second.root, 'left-behind.txt'), 'x');
    await second.dispose();
    expect(existsSync(second.root)).toBe(false);
    // git state counts too: a commit made in the copy moves its HEAD.
    git(third.root, 'commit', '-q', '--allow-empty', '-m', 'episode commit');
    await third.dispose();
    expect(existsSync(third.root)).toBe(false);
    const fourth = await checkouts.create(version.root, 'v');
    expect([first.root, third.root]).not.toContain(fourth.root);
    expect(existsSync(path.join(fourth.root, 'left-behind.txt'))).toBe(false);
    await fourth.dispose();
    await checkouts.close();
    expect(existsSync(fourth.root)).toBe(false);
    expect(git(repo, 'worktree', 'list')).not.toContain('episode-checkouts');
    await version.dispose();
  });
});

describe('orphaned copies', () => {
  it('removes the copies of a run that was killed, and keeps those of a live process', async () => {
    const repo = makeRepo({ 'agent/run.sh': 'echo hi\n' });
    const stateDir = path.join(repo, '.self-harness');
    const gone = spawnSync('true').pid!;
    const base = path.join(stateDir, 'episode-checkouts');
    git(repo, 'worktree', 'add', '-q', '--detach', path.join(base, `v-${gone}-1`), 'HEAD');
    writeFiles(base, { [`v-${process.ppid}-7/file`]: "a live process's copy\n" });
    const checkout = await episodeCheckouts(stateDir).create(repo, 'v');
    expect(existsSync(path.join(base, `v-${gone}-1`))).toBe(false);
    expect(git(repo, 'worktree', 'list')).not.toContain(`v-${gone}-1`);
    expect(existsSync(path.join(base, `v-${process.ppid}-7`, 'file'))).toBe(true);
    await checkout.dispose();
  });
});

describe('concurrent episodes of one harness version', () => {
  it('each see only their own writes in their cwd (a real run, two episodes at once)', async () => {
    const barrier = tempDir('sh-barrier-');
    // Each episode writes its task id to the same relative file, waits (polling, generous deadline) until the other
    // has written too, then checks the file still holds its own id: in a shared cwd one of them reads the other's.
    const agent = [
      'echo "$SELF_HARNESS_TASK" > shared.txt',
      `touch "${barrier}/$SELF_HARNESS_TASK"`,
      'i=0',
      `while [ "$(ls "${barrier}" | wc -l)" -lt 2 ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done`,
      'cat shared.txt > "$SELF_HARNESS_OUT/seen"',
      'pwd > "$SELF_HARNESS_OUT/cwd"',
      '[ "$(cat shared.txt)" = "$SELF_HARNESS_TASK" ]',
    ].join('\n');
    const repo = makeRepo({
      '.gitignore': '.self-harness/\n',
      '.self-harness.yml': [
        'harness:',
        "  include: ['agent/**']",
        'suite:',
        "  tasks: 'tasks/*'",
        "  run: 'sh agent/run.sh'",
        '  concurrency: 2',
        '  holdout: 0',
        '  infra-retries: 0',
      ].join('\n'),
      'agent/run.sh': agent,
      'tasks/a/x': 'a\n',
      'tasks/b/x': 'b\n',
    });
    const result = await runCli(['run', '--config', path.join(repo, '.self-harness.yml'), '--json']);
    expect(result.exitCode, String(result.all)).toBe(0);
    const summary = JSON.parse(String(result.stdout));
    expect(summary.records.map((r: { outcome: string }) => r.outcome)).toEqual(['pass', 'pass']);
    const stateDir = path.join(repo, '.self-harness');
    const seen = summary.records.map((r: { taskId: string; artifacts: string }) => [
      r.taskId,
      readFileSync(path.join(stateDir, r.artifacts, 'seen'), 'utf8').trim(),
    ]);
    expect(seen.sort()).toEqual([
      ['a', 'a'],
      ['b', 'b'],
    ]);
    const cwds = summary.records.map((r: { artifacts: string }) => readFileSync(path.join(stateDir, r.artifacts, 'cwd'), 'utf8').trim());
    expect(new Set(cwds).size).toBe(2);
    // Both ran (the barrier saw two), and the copies are gone afterwards; the working copy was never written.
    expect(readdirSync(barrier).sort()).toEqual(['a', 'b']);
    expect(readdirSync(path.join(stateDir, 'episode-checkouts')).filter((f) => f !== '.gitignore')).toEqual([]);
    expect(existsSync(path.join(repo, 'shared.txt'))).toBe(false);
  });
});
