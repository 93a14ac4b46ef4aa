// The one usage arithmetic: totals count missing fields as 0, partial sums keep "unreported" apart from 0.
import { describe, expect, it } from 'vitest';
import { accumulateUsage, makeUsage, sumUsage, totalUsage, zeroUsage } from '../../src/domain/usage.js';

describe('usage arithmetic', () => {
  it('totals episodes, counting a missing field or a missing usage as 0', () => {
    const total = totalUsage([{ inputTokens: 10, outputTokens: 2, costUsd: 0.5 }, undefined, { inputTokens: 5 }, { costUsd: 0.25 }]);
    expect(total).toEqual({ inputTokens: 15, outputTokens: 2, costUsd: 0.75 });
  });

  it('accumulates into the total it is given and returns it', () => {
    const total = zeroUsage();
    expect(accumulateUsage(total, { inputTokens: 3, outputTokens: 4, costUsd: 1 })).toBe(total);
    accumulateUsage(total, { outputTokens: 1 });
    expect(total).toEqual({ inputTokens: 3, outputTokens: 5, costUsd: 1 });
  });

  it('keeps a field nobody reported unreported in a partial sum', () => {
    expect(sumUsage(makeUsage(10), makeUsage(5))).toEqual({ inputTokens: 15 });
    expect(sumUsage(makeUsage(10), makeUsage(undefined, 3))).toEqual({ inputTokens: 10, outputTokens: 3 });
    expect(sumUsage(undefined, undefined)).toBeUndefined();
    expect(makeUsage()).toBeUndefined();
  });
});
