import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addWorktree } from '../../src/git/add-worktree.js';
import { git, makeRepo } from '../helpers/git.js';

describe('addWorktree', () => {
  it('adds many worktrees to one repository at once, as parallel shards do, without the registration race failing any', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const head = git(repo, 'rev-parse', 'HEAD');
    // Plain `git worktree add` run 40 at a time fails about once per batch here ("failed to read .git/worktrees/x/commondir").
    const roots = Array.from({ length: 40 }, (_, i) => path.join(repo, '..', `${path.basename(repo)}-wt-${i}`));
    await Promise.all(roots.map((root) => addWorktree(repo, root, head)));
    for (const root of roots) expect(existsSync(path.join(root, 'a.txt'))).toBe(true);
    expect(git(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(41);
  });

  it('takes over a registration whose directory was deleted (a killed run) without pruning others', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const head = git(repo, 'rev-parse', 'HEAD');
    const gone = path.join(repo, '..', `${path.basename(repo)}-gone`);
    const kept = path.join(repo, '..', `${path.basename(repo)}-kept`);
    await addWorktree(repo, gone, head);
    await addWorktree(repo, kept, head);
    rmSync(gone, { recursive: true, force: true });
    await addWorktree(repo, gone, head);
    expect(existsSync(path.join(gone, 'a.txt'))).toBe(true);
    expect(git(repo, 'worktree', 'list', '--porcelain')).toContain(kept);
  });

  it('still fails, naming the command, on an error that is not transient', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    await expect(addWorktree(repo, path.join(repo, '..', `${path.basename(repo)}-bad`), 'f'.repeat(40))).rejects.toThrow(/git worktree add/);
  }, 30_000);
});
