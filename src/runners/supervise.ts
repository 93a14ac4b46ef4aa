// Supervises one episode's process tree: kills it at the deadline or on abort, and ends anything it left running.
import type { ChildProcess } from 'node:child_process';
import { killTree, treeAlive } from './kill-tree.js';

export interface ChildEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: Error;
}

export interface Supervised {
  end: ChildEnd;
  timedOut: boolean;
  aborted: boolean;
}

/** How the child ended. Call right after spawn, before any await: a spawn error is emitted on the next tick. */
export function childEnded(child: ChildProcess): Promise<ChildEnd> {
  return new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, spawnError: error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/**
 * Waits for a process-group leader (spawned `detached`) to end. Past `timeoutMs`, or when `signal` aborts, its whole
 * tree is killed (SIGTERM, then SIGKILL after `killGraceMs`); background processes it left behind are ended too.
 */
export async function superviseTree(
  pid: number | undefined,
  ended: Promise<ChildEnd>,
  options: { timeoutMs: number; killGraceMs: number; signal?: AbortSignal },
): Promise<Supervised> {
  let timedOut = false;
  let aborted = false;
  let killing: Promise<void> | undefined;
  const kill = () => {
    if (pid !== undefined && !killing) killing = killTree(pid, options.killGraceMs);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, options.timeoutMs);
  const onAbort = () => {
    aborted = true;
    kill();
  };
  const { signal } = options;
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const end = await ended;
  clearTimeout(timer);
  signal?.removeEventListener('abort', onAbort);
  // Processes the episode left behind (background jobs, a docker client) belong to it: end them too.
  if (!killing && pid !== undefined && !end.spawnError && treeAlive(pid)) kill();
  await killing;
  return { end, timedOut, aborted };
}
