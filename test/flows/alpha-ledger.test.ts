import { describe, expect, it } from 'vitest';
import { AlphaLedger } from '../../src/flows/alpha-ledger.js';
import { judgedBefore, screenStream } from '../../src/flows/evolve-lineage.js';
import type { HistoryEntry } from '../../src/propose/types.js';
import { seededRandom } from '../../src/stats/rng.js';

describe("the run's alpha ledger", () => {
  it('never lets the shares of any sequence of rounds add up to more than the total', () => {
    for (let trial = 0; trial < 200; trial++) {
      const random = seededRandom(`ledger-${trial}`);
      const rounds = 1 + Math.floor(random() * 6);
      const ledger = new AlphaLedger(0.05);
      for (let round = 1; round <= rounds; round++) {
        // A round confirms something or not, at random: unspent shares carry forward.
        if (random() < 0.6) ledger.spend({ round, test: `confirmation ${round}`, alpha: ledger.share(rounds - round + 1), outcome: 'reject' });
      }
      expect(ledger.spent()).toBeLessThanOrEqual(0.05 * (1 + 1e-9));
    }
  });

  it('gives a round that follows an unspent one its share too (carry forward), and refuses to overspend', () => {
    const ledger = new AlphaLedger(0.05);
    expect(ledger.share(2)).toBeCloseTo(0.025, 12);
    // Round 1 confirmed nothing: round 2, the last, may spend all of it.
    expect(ledger.share(1)).toBeCloseTo(0.05, 12);
    ledger.spend({ round: 2, test: 'confirmation', alpha: 0.05, outcome: 'promote' });
    expect(() => ledger.spend({ round: 2, test: 'one more', alpha: 0.001, outcome: 'promote' })).toThrow(/exceed the run's alpha/);
  });
});

describe('screening streams', () => {
  const entry = (id: string, parentHash: string, decision: HistoryEntry['decision'], stream?: string): HistoryEntry => ({
    id,
    round: 1,
    parentHash,
    weaknessId: 'w',
    mechanism: 'other',
    summary: '',
    diff: '',
    decision,
    reason: '',
    at: '2026-01-01T00:00:00Z',
    proposer: 'model',
    ...(stream ? { stream } : {}),
  });

  it('gives a candidate retried on the same parent a new stream, so it is judged on new episodes', () => {
    const parent = 'a'.repeat(64);
    expect(screenStream(parent, [])).toBe(`screen:${'a'.repeat(16)}:0`);
    const earlier = [entry('c-1', parent, 'inconclusive', screenStream(parent, []))];
    expect(screenStream(parent, earlier)).toBe(`screen:${'a'.repeat(16)}:1`);
    // Another parent's screenings do not count.
    expect(screenStream('b'.repeat(64), earlier)).toBe(`screen:${'b'.repeat(16)}:0`);
    // An earlier run's inconclusive candidate is tried again; a rejected one is not.
    expect(judgedBefore('c-1', parent, earlier, [])).toBeUndefined();
    expect(judgedBefore('c-2', parent, [entry('c-2', parent, 'reject', 's')], [])?.decision).toBe('reject');
  });
});
