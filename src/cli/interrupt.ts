// Ctrl-C for the long commands: ends the running episodes, records none of them, removes the worktrees the run made
// under the state directory and exits 130; what finished is in the ledger, so the same command resumes.
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { EpisodeRunner, Logger } from '../domain/types.js';
import { git } from '../git/git.js';
import { removeEpisodeCheckouts } from '../git/episode-checkout.js';

export interface Interruptible {
  /** The runner to hand to the flow: `inner`, but stoppable. */
  runner: EpisodeRunner;
  /** Ends the running episodes (their process trees are killed) and resolves when they have; none is recorded. */
  stop(): Promise<void>;
}

/** Never settles: a stopped episode must not reach the ledger, and the flow must not go on to the next step. */
const never = <T>() => new Promise<T>(() => {});

export function interruptibleRunner(inner: EpisodeRunner): Interruptible {
  const controller = new AbortController();
  const running = new Set<Promise<unknown>>();
  const runner: EpisodeRunner = {
    get name() {
      return inner.name;
    },
    get model() {
      return inner.model;
    },
    get runCommand() {
      return inner.runCommand;
    },
    async run(request) {
      if (controller.signal.aborted) return never();
      const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
      const result = inner.run({ ...request, signal });
      running.add(result);
      try {
        const settled = await result;
        if (controller.signal.aborted) return never();
        return settled;
      } finally {
        running.delete(result);
      }
    },
  };
  return {
    runner,
    async stop() {
      controller.abort();
      await Promise.allSettled([...running]);
    },
  };
}

/** Removes every git worktree registered under `stateDir` (materialised versions and candidate worktrees). */
export async function removeStateWorktrees(repo: string, stateDir: string): Promise<string[]> {
  const inside = `${await realpath(stateDir).catch(() => path.resolve(stateDir))}${path.sep}`;
  const listed = await git(['worktree', 'list', '--porcelain'], { cwd: repo });
  const removed: string[] = [];
  for (const line of listed.split('\n')) {
    if (!line.startsWith('worktree ')) continue;
    const root = line.slice('worktree '.length);
    const real = await realpath(root).catch(() => root);
    if (!`${real}${path.sep}`.startsWith(inside)) continue;
    await git(['worktree', 'remove', '--force', root], { cwd: repo }).catch(() => {});
    removed.push(root);
  }
  await git(['worktree', 'prune'], { cwd: repo }).catch(() => {});
  return removed;
}

/**
 * On SIGINT or SIGTERM: says so, stops the episodes, removes the state directory's worktrees and exits 130 (143 for
 * SIGTERM). A second signal during the cleanup ends the process at once. Returns the function that uninstalls it.
 */
export function onInterrupt(options: { logger: Logger; stop: () => Promise<void>; repo: string; stateDir: string; beforeExit?: () => void }): () => void {
  const exitCode = (signal: NodeJS.Signals) => (signal === 'SIGTERM' ? 143 : 130);
  let stopping = false;
  // Installed with `on`, not `once`, for the whole cleanup: a library's exit hook (signal-exit, under proper-lockfile)
  // re-raises a signal that no other listener handles, which would kill the process half way through the cleanup.
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(exitCode(signal));
    stopping = true;
    options.logger.warn(
      `${signal}: stopping; ending the running episodes and removing the candidate worktrees. Finished episodes are recorded: run the same command again to resume.`,
    );
    void options
      .stop()
      .then(() => removeEpisodeCheckouts(options.stateDir))
      .then(() => removeStateWorktrees(options.repo, options.stateDir))
      .catch((error: unknown) => options.logger.warn(`cleanup after ${signal}: ${(error as Error).message}`))
      .finally(() => {
        options.beforeExit?.();
        process.exit(exitCode(signal));
      });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.removeListener('SIGINT', handler);
    process.removeListener('SIGTERM', handler);
  };
}
