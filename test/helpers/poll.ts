// Waiting on a condition instead of the clock: tests poll with a generous deadline, so a loaded machine only makes
// them slower, never wrong.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** True as soon as `condition` holds; false when it still does not after `deadlineMs` (default 30 s). */
export async function pollUntil(condition: () => boolean | Promise<boolean>, deadlineMs = 30_000, everyMs = 25): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > until) return false;
    await sleep(everyMs);
  }
}

/** The process no longer runs: gone, or a zombie where PID 1 does not reap orphans (as in some containers). */
export function processGone(pid: number): boolean {
  try {
    const state = /State:\s+(\w)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return state === 'Z' || state === 'X';
  } catch {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }
}
