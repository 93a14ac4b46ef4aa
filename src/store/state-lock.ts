// One writer per state directory: a lock file naming the holder's pid. A second process is refused with a clear
// message; a lock left by a process that no longer runs (SIGKILL, a crash) is taken over. Re-entrant in-process.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { UserError } from '../domain/types.js';
import { isAlive } from '../domain/process-alive.js';

export const STATE_LOCK_FILE = 'writer.lock';

export interface StateLock {
  release(): void;
}

// In-process holders of each lock file: sessions of one process share the state directory.
const held = new Map<string, number>();
let exitHookInstalled = false;

/** Takes the state directory's writer lock; throws a UserError naming the pid that holds it. */
export async function lockStateDir(stateDir: string): Promise<StateLock> {
  const dir = path.resolve(stateDir);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, STATE_LOCK_FILE);
  if (!held.has(file)) takeOver(file, dir);
  held.set(file, (held.get(file) ?? 0) + 1);
  installExitHook();
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      const left = (held.get(file) ?? 1) - 1;
      if (left > 0) {
        held.set(file, left);
        return;
      }
      held.delete(file);
      removeIfOurs(file);
    },
  };
}

function takeOver(file: string, dir: string): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      try {
        writeSync(fd, `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`);
      } finally {
        closeSync(fd);
      }
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    if (holder && holder.pid !== process.pid && holder.host === hostname() && isAlive(holder.pid)) {
      throw new UserError(
        `another self-harness process (pid ${holder.pid}) is using ${displayDir(dir)}/ since ${holder.since ?? 'an unknown time'}; wait for it to finish, stop it, or give this run its own --state-dir. If no such process runs, delete ${path.join(displayDir(dir), STATE_LOCK_FILE)}.`,
      );
    }
    if (holder && holder.host !== hostname() && holder.pid !== process.pid) {
      throw new UserError(
        `${displayDir(dir)}/ is locked by a self-harness process on another machine (${holder.host}, pid ${holder.pid}); give this run its own --state-dir, or delete ${path.join(displayDir(dir), STATE_LOCK_FILE)} if that process is gone.`,
      );
    }
    // The holder is gone (killed, crashed) or the lock is unreadable: take it over.
    rmSync(file, { force: true });
  }
  throw new UserError(`could not take the writer lock ${file}: other processes keep taking it; run one self-harness at a time on a state directory.`);
}

function readHolder(file: string): { pid: number; host: string; since?: string } | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown; host?: unknown; since?: unknown };
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return undefined;
    return { pid: value.pid, host: value.host, ...(typeof value.since === 'string' ? { since: value.since } : {}) };
  } catch {
    return undefined;
  }
}

function removeIfOurs(file: string): void {
  if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const file of held.keys()) removeIfOurs(file);
  });
}

function displayDir(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
}
