// Bounded concurrency: the one worker loop that runs async work over a list with at most N items at once.

export interface LimitedOptions {
  /** Checked before each item starts: once true, no further item starts (running ones finish). */
  stop?: () => boolean;
}

/**
 * Runs `work` on every item, at most `limit` at once, starting items in list order. When one rejects, no further
 * item starts and the call rejects with that error once the running items have settled.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
  options: LimitedOptions = {},
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed && !options.stop?.()) {
      const index = next++;
      try {
        await work(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  const rejected = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (rejected) throw rejected.reason;
}
