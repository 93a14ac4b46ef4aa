import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { materializeRef, projectRootIn } from '../../src/git/worktree.js';
import { git, makeRepo, writeFiles } from '../helpers/git.js';

/** A repo with two commits where the prompt differs, and a dirty working copy on top. */
function dirtyRepo(): { repo: string; first: string; second: string } {
  const repo = makeRepo({ 'agent/prompt.md': 'v1\n', 'README.md': 'readme\n', '.gitignore': '.self-harness/episodes.jsonl\n' });
  const first = git(repo, 'rev-parse', 'HEAD');
  writeFiles(repo, { 'agent/prompt.md': 'v2\n', 'agent/tools.json': '{}\n' });
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'second');
  const second = git(repo, 'rev-parse', 'HEAD');
  // Dirty: a modified tracked file, a staged change and an untracked file.
  writeFiles(repo, { 'agent/prompt.md': 'v3 uncommitted\n', 'README.md': 'staged readme\n', 'notes.txt': 'untracked\n' });
  git(repo, 'add', 'README.md');
  return { repo, first, second };
}

function snapshot(repo: string) {
  return {
    head: git(repo, 'rev-parse', 'HEAD'),
    branch: git(repo, 'symbolic-ref', 'HEAD'),
    status: git(repo, 'status', '--porcelain=v1', '--untracked-files=all'),
    staged: git(repo, 'diff', '--cached'),
    unstaged: git(repo, 'diff'),
    index: readFileSync(path.join(repo, '.git', 'index')).toString('base64'),
    prompt: readFileSync(path.join(repo, 'agent/prompt.md'), 'utf8'),
  };
}

describe('materializing a ref in a worktree', () => {
  it('checks out HEAD~1 without touching the working copy, index or HEAD', async () => {
    const { repo, first } = dirtyRepo();
    const before = snapshot(repo);
    const tree = await materializeRef(repo, 'HEAD~1', { stateDir: '.self-harness' });
    expect(tree.commit).toBe(first);
    expect(tree.root).toBe(path.join(repo, '.self-harness', 'worktrees', first));
    expect(readFileSync(path.join(tree.root, 'agent/prompt.md'), 'utf8')).toBe('v1\n');
    expect(existsSync(path.join(tree.root, 'agent/tools.json'))).toBe(false);
    expect(existsSync(path.join(tree.root, 'notes.txt'))).toBe(false);
    expect(git(tree.root, 'rev-parse', 'HEAD')).toBe(first);
    expect(snapshot(repo)).toEqual(before);
    await tree.dispose();
    expect(existsSync(tree.root)).toBe(false);
    expect(git(repo, 'worktree', 'list', '--porcelain')).not.toContain(first);
    expect(snapshot(repo)).toEqual(before);
  });

  it('does not run the repository hooks in the worktree', async () => {
    const { repo } = dirtyRepo();
    writeFiles(repo, { '.git/hooks/post-checkout': `#!/bin/sh\necho ran > "${path.join(repo, 'hook-ran')}"\n` });
    await execa('chmod', ['+x', path.join(repo, '.git/hooks/post-checkout')]);
    const tree = await materializeRef(repo, 'HEAD~1', { stateDir: '.self-harness' });
    expect(existsSync(path.join(repo, 'hook-ran'))).toBe(false);
    await tree.dispose();
  });

  it('shares one worktree between concurrent calls for the same commit and removes it after the last dispose', async () => {
    const { repo, first } = dirtyRepo();
    const trees = await Promise.all(['HEAD~1', first, first.slice(0, 10), 'main~1'].map((ref) => materializeRef(repo, ref, { stateDir: '.self-harness' })));
    expect(new Set(trees.map((t) => t.root)).size).toBe(1);
    expect(readFileSync(path.join(trees[0]!.root, 'agent/prompt.md'), 'utf8')).toBe('v1\n');
    await trees[0]!.dispose();
    await trees[0]!.dispose(); // twice is harmless
    expect(existsSync(trees[0]!.root)).toBe(true);
    await Promise.all(trees.slice(1).map((t) => t.dispose()));
    expect(existsSync(trees[0]!.root)).toBe(false);
  });

  it('is safe when other processes materialize the same commit at the same time', async () => {
    const { repo, first } = dirtyRepo();
    const script = `import { materializeRef } from ${JSON.stringify(path.resolve('src/git/worktree.ts'))};
const t = await materializeRef(process.env.SH_REPO, 'HEAD~1', { stateDir: '.self-harness' });
console.log(t.root);`;
    const children = [1, 2, 3].map(() =>
      execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { reject: false, env: { SH_REPO: repo } }),
    );
    const others = await Promise.all(children);
    const mine = await Promise.all([1, 2].map(() => materializeRef(repo, 'HEAD~1', { stateDir: '.self-harness' })));
    for (const other of others) {
      expect(other.exitCode, other.stderr).toBe(0);
      expect(other.stdout.trim()).toBe(mine[0]!.root);
    }
    expect(git(mine[0]!.root, 'rev-parse', 'HEAD')).toBe(first);
    expect(git(mine[0]!.root, 'status', '--porcelain')).toBe('');
    await Promise.all(mine.map((t) => t.dispose()));
  });

  it('reuses an existing worktree, restoring it when an episode left it dirty', async () => {
    const { repo, first } = dirtyRepo();
    const stateDir = path.join(repo, '.self-harness');
    const a = await materializeRef(repo, 'HEAD~1', { stateDir });
    writeFileSync(path.join(a.root, 'agent/prompt.md'), 'scribbled\n');
    writeFileSync(path.join(a.root, 'junk.txt'), 'junk\n');
    const b = await materializeRef(repo, first, { stateDir });
    expect(b.root).toBe(a.root);
    expect(readFileSync(path.join(b.root, 'agent/prompt.md'), 'utf8')).toBe('v1\n');
    expect(existsSync(path.join(b.root, 'junk.txt'))).toBe(false);
    await a.dispose();
    await b.dispose();
  });

  it('keeps the worktrees out of git status of the working copy', async () => {
    const { repo } = dirtyRepo();
    const before = git(repo, 'status', '--porcelain', '--untracked-files=all');
    const tree = await materializeRef(repo, 'HEAD', { stateDir: '.self-harness' });
    expect(git(repo, 'status', '--porcelain', '--untracked-files=all')).toBe(before);
    await tree.dispose();
  });

  it('maps a config subdirectory into the checkout', async () => {
    const repo = makeRepo({ 'examples/demo/agent/prompt.md': 'demo\n' });
    const tree = await materializeRef(path.join(repo, 'examples/demo'), 'HEAD', { stateDir: '.self-harness' });
    expect(tree.root).toBe(path.join(repo, 'examples/demo/.self-harness/worktrees', tree.commit));
    const projectRoot = await projectRootIn(tree.root, path.join(repo, 'examples/demo'));
    expect(projectRoot).toBe(path.join(tree.root, 'examples/demo'));
    expect(readFileSync(path.join(projectRoot, 'agent/prompt.md'), 'utf8')).toBe('demo\n');
    await tree.dispose();
  });

  it('refuses an unknown ref with a UserError', async () => {
    const { repo } = dirtyRepo();
    await expect(materializeRef(repo, 'no-such-branch', { stateDir: '.self-harness' })).rejects.toThrow(/git ref "no-such-branch" is not a commit/);
  });
});
