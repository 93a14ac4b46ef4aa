// A private, writable worktree for one candidate edit: detached at a commit, under the state dir, removed after use.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { git } from './git.js';
import { addWorktree } from './add-worktree.js';
import { UserError } from '../domain/types.js';

export interface CandidateWorktree {
  root: string;
  /** Commits everything staged under `paths` (forced past .gitignore) and returns the new commit sha. */
  commit(paths: string[], message: string): Promise<string>;
  dispose(): Promise<void>;
}

const BOT_NAME = 'self-harness';
const BOT_EMAIL = 'self-harness@users.noreply.github.com';

export async function createCandidateWorktree(repo: string, commit: string, stateDir: string, name: string): Promise<CandidateWorktree> {
  const root = path.join(stateDir, 'candidates', `${name}-${process.pid}-${Date.now().toString(36)}`);
  await addWorktree(repo, root, commit);
  return {
    root,
    async commit(paths, message) {
      await git(['add', '--force', '--', ...paths], { cwd: root });
      // The bot's identity unless the environment names an author (GIT_AUTHOR_* / GIT_COMMITTER_* take precedence over -c).
      await git(
        ['-c', `user.name=${BOT_NAME}`, '-c', `user.email=${BOT_EMAIL}`, '-c', 'commit.gpgsign=false', 'commit', '--quiet', '--no-verify', '-m', message],
        { cwd: root },
      );
      return git(['rev-parse', 'HEAD'], { cwd: root });
    },
    async dispose() {
      await git(['worktree', 'remove', '--force', root], { cwd: repo }).catch(async () => {
        await rm(root, { recursive: true, force: true });
        await git(['worktree', 'prune'], { cwd: repo }).catch(() => {});
      });
    },
  };
}

/** Refuses a branch name self-harness may not move: invalid, or checked out in the user's working copy. */
export async function checkBranchUsable(repo: string, branch: string): Promise<void> {
  await git(['check-ref-format', '--branch', branch], { cwd: repo }).catch(() => {
    throw new UserError(`"${branch}" is not a valid branch name. Choose another with --branch.`);
  });
  const checkedOut = await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: repo }).catch(() => '');
  if (checkedOut === branch) {
    throw new UserError(
      `refusing to use branch "${branch}": it is checked out in ${repo}, and self-harness never moves your branch. Choose another with --branch.`,
    );
  }
}

/** Points a local branch at a commit, refusing the branch that is checked out in the user's working copy. */
export async function setBranch(repo: string, branch: string, commit: string): Promise<void> {
  await checkBranchUsable(repo, branch);
  await git(['branch', '--force', branch, commit], { cwd: repo });
}
