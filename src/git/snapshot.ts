// A private snapshot of the working copy: a worktree at HEAD with the working copy's uncommitted changes (modified,
// deleted and untracked files that git does not ignore) applied, so `run` judges what is on disk without its episodes
// ever running in, or writing to, the user's checkout.
import { copyFile, lstat, mkdir, readlink, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { git, repoTopLevel, resolveRef } from './git.js';
import { createCandidateWorktree, type CandidateWorktree } from './candidate-worktree.js';

/** Undefined when the repository has no commit yet (there is nothing to check out). */
export async function snapshotWorkingCopy(repo: string, stateDir: string): Promise<CandidateWorktree | undefined> {
  const top = await repoTopLevel(repo);
  const head = await resolveRef(top, 'HEAD').catch(() => undefined);
  if (head === undefined) return undefined;
  const snapshot = await createCandidateWorktree(top, head, stateDir, 'working-copy');
  try {
    const listed = await git(['ls-files', '-z', '--modified', '--others', '--exclude-standard'], { cwd: top });
    const state = path.relative(top, path.resolve(stateDir)).split(path.sep).join('/');
    const insideState = (file: string) => state !== '' && !state.startsWith('..') && (file === state || file.startsWith(`${state}/`));
    for (const file of new Set(listed.split('\0').filter(Boolean))) {
      if (insideState(file)) continue;
      const from = path.join(top, file);
      const to = path.join(snapshot.root, file);
      const stats = await lstat(from).catch(() => undefined);
      await rm(to, { force: true, recursive: true });
      if (!stats) continue; // deleted in the working copy
      await mkdir(path.dirname(to), { recursive: true });
      if (stats.isSymbolicLink()) await symlink(await readlink(from), to);
      else if (stats.isFile()) await copyFile(from, to);
    }
    return snapshot;
  } catch (error) {
    await snapshot.dispose();
    throw error;
  }
}
