// Checks out any ref in its own worktree under the state directory, so the user's working copy,
// index and HEAD are never touched. Worktrees are keyed by commit and shared by concurrent callers.
import { existsSync } from 'node:fs';
import { mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { addWorktree } from './add-worktree.js';
import { git, repoTopLevel, resolveRef } from './git.js';

export interface Materialized {
  /** Absolute top-level directory of the worktree (the repository root at `commit`). */
  root: string;
  commit: string;
  /** Removes the worktree once no caller in this process uses it any more. */
  dispose(): Promise<void>;
}

// In-process users of each worktree directory; the directory is removed when the last one disposes.
const users = new Map<string, number>();

/**
 * Materializes `ref` of the repository containing `repo` at `<stateDir>/worktrees/<commit>`
 * (a relative stateDir is resolved against `repo`). Reuses an existing worktree, restoring it
 * to a clean checkout of the commit when it was modified.
 */
export async function materializeRef(repo: string, ref: string, options: { stateDir: string }): Promise<Materialized> {
  const top = await repoTopLevel(repo);
  const commit = await resolveRef(top, ref);
  const base = path.resolve(repo, options.stateDir, 'worktrees');
  const root = path.join(base, commit);
  users.set(root, (users.get(root) ?? 0) + 1);
  try {
    await mkdir(base, { recursive: true });
    // Keeps the worktrees out of `git status` when the state directory sits inside the repository.
    if (!existsSync(path.join(base, '.gitignore'))) await writeFile(path.join(base, '.gitignore'), '*\n');
    await withLock(base, () => prepare(top, root, commit));
  } catch (error) {
    release(root);
    throw error;
  }
  let disposed = false;
  return {
    root,
    commit,
    async dispose() {
      if (disposed) return;
      disposed = true;
      if (release(root) > 0) return;
      await withLock(base, async () => {
        if ((users.get(root) ?? 0) === 0) await removeWorktree(top, root);
      });
    },
  };
}

/** The directory inside a checkout that corresponds to `projectRoot` (a config in a subdirectory of the repository). */
export async function projectRootIn(checkoutRoot: string, projectRoot: string): Promise<string> {
  const top = await repoTopLevel(projectRoot);
  return path.join(checkoutRoot, path.relative(await realpath(top), await realpath(projectRoot)));
}

function release(root: string): number {
  const left = (users.get(root) ?? 1) - 1;
  if (left > 0) users.set(root, left);
  else users.delete(root);
  return left;
}

async function prepare(top: string, root: string, commit: string): Promise<void> {
  if (existsSync(root)) {
    if (await isWorktreeAt(root)) {
      const head = await git(['rev-parse', 'HEAD'], { cwd: root }).catch(() => '');
      const dirty = await git(['status', '--porcelain', '--untracked-files=all'], { cwd: root });
      if (head === commit && dirty === '') return;
      await git(['reset', '--hard', '--quiet', commit], { cwd: root });
      await git(['clean', '-ffdq'], { cwd: root });
      return;
    }
    // A leftover directory that git no longer knows as a worktree: it is ours (named by a commit), so replace it.
    await rm(root, { recursive: true, force: true });
  }
  await addWorktree(top, root, commit);
}

async function isWorktreeAt(root: string): Promise<boolean> {
  try {
    const topOfDir = await git(['rev-parse', '--show-toplevel'], { cwd: root });
    return (await realpath(topOfDir)) === (await realpath(root));
  } catch {
    return false;
  }
}

async function removeWorktree(top: string, root: string): Promise<void> {
  try {
    await git(['worktree', 'remove', '--force', root], { cwd: top });
  } catch {
    await rm(root, { recursive: true, force: true });
    await git(['worktree', 'prune'], { cwd: top });
  }
}

/** Serializes worktree changes under one state directory across processes (git's own locks do not cover reuse). */
async function withLock<T>(base: string, action: () => Promise<T>): Promise<T> {
  const unlock = await lockfile.lock(base, {
    lockfilePath: path.join(base, '.materialize.lock'),
    realpath: false,
    stale: 60_000,
    retries: { retries: 1200, minTimeout: 25, maxTimeout: 250 },
  });
  try {
    return await action();
  } finally {
    await unlock();
  }
}
