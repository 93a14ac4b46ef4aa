// The one bounded-concurrency loop: never more than the limit at once, every item once, stops on error or on request.
import { describe, expect, it } from 'vitest';
import { forEachLimited } from '../../src/domain/concurrency.js';

/** A promise the test settles by hand, so the interleaving is decided by the test, not by timers. */
function gate(): { promise: Promise<void>; open(): void; fail(error: Error): void } {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('forEachLimited', () => {
  it('runs every item once, in start order, with at most `limit` running', async () => {
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const done = forEachLimited(gates, 2, async (g, index) => {
      started.push(index);
      most = Math.max(most, ++running);
      await g.promise;
      running--;
    });
    await settle();
    expect(started).toEqual([0, 1]);
    gates[1]!.open();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    await done;
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('starts nothing more after an error, lets the running item finish, then rejects with that error', async () => {
    const gates = Array.from({ length: 4 }, gate);
    const started: number[] = [];
    const finished: number[] = [];
    const done = forEachLimited(gates, 2, async (g, index) => {
      started.push(index);
      await g.promise;
      finished.push(index);
    });
    await settle();
    gates[0]!.fail(new Error('boom'));
    await settle();
    expect(started).toEqual([0, 1]);
    gates[1]!.open();
    await expect(done).rejects.toThrow('boom');
    expect(finished).toEqual([1]);
  });

  it('starts no further item once stop() says so', async () => {
    const started: number[] = [];
    await forEachLimited([0, 1, 2, 3], 1, async (item) => void started.push(item), { stop: () => started.length >= 2 });
    expect(started).toEqual([0, 1]);
  });

  it('returns at once for an empty list', async () => {
    await forEachLimited([], 3, async () => {
      throw new Error('never called');
    });
  });
});
