// Whether a process id names a live process (ours or another user's): how a killed run's leftovers are told apart.

/** True when `pid` is running (EPERM: it runs under another user, so it is alive too). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
