// `git worktree add` for a detached checkout, safe beside other processes adding worktrees to the same repository.
// git lists every registered worktree while it adds one, and fails ("failed to read .git/worktrees/<x>/commondir")
// when it meets the half-written registration another process is creating at that moment: shards, parallel CI jobs
// and several self-harness commands on one checkout all do this. Those failures are transient, so they are retried.
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { git, GitError } from './git.js';

const ATTEMPTS = 8;
// What git says when it meets another process's half-written registration, or a registration left by a killed run.
const TRANSIENT = /failed to read|commondir|gitdir|already registered|missing but|could not lock|unable to create|File exists/i;

/** Adds a detached worktree of `commit` at `root` (which must not exist or be an empty leftover of ours). */
export async function addWorktree(top: string, root: string, commit: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    // From the second attempt on, --force also takes over a registration of `root` whose directory is gone (a run
    // killed mid-way); unlike `git worktree prune`, it never drops another process's half-made registration.
    const force = attempt > 1 ? ['--force'] : [];
    try {
      await git(['worktree', 'add', '--detach', '--quiet', ...force, root, commit], { cwd: top });
      return;
    } catch (error) {
      if (!(error instanceof GitError) || !TRANSIENT.test(error.stderr) || attempt >= ATTEMPTS) throw error;
      await rm(root, { recursive: true, force: true });
      await sleep(Math.round((25 + Math.random() * 75) * 2 ** Math.min(attempt, 5)));
    }
  }
}
