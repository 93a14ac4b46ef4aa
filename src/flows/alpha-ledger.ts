// The run's error budget: every test that can promote spends a share of `validate.alpha`, and the shares never add up
// to more. A share is fixed from what already happened (never from the test's own data), so the chance that a run
// promotes anything with no effect stays at or below the total (a union bound over the tests actually run).

import type { AlphaSpend } from '../domain/flows.js';

export type { AlphaSpend };

/** An alpha share as reports print it (four decimals). */
export const shownAlpha = (alpha: number): number => Math.round(alpha * 10_000) / 10_000;

export class AlphaLedger {
  readonly spends: AlphaSpend[] = [];

  constructor(readonly total: number) {}

  spent(): number {
    return this.spends.reduce((sum, spend) => sum + spend.alpha, 0);
  }

  left(): number {
    return Math.max(0, this.total - this.spent());
  }

  /**
   * The share for the next test: what is left, split evenly over the tests that may still come (`testsLeft`, at least
   * 1). Unspent shares carry forward: a round that confirmed nothing leaves its share to the later rounds.
   */
  share(testsLeft: number): number {
    return this.left() / Math.max(1, testsLeft);
  }

  spend(spend: AlphaSpend): void {
    // A rounding guard: the ledger refuses to go over the total rather than trusting the callers' arithmetic.
    if (spend.alpha <= 0 || this.spent() + spend.alpha > this.total * (1 + 1e-9)) {
      throw new Error(`alpha ledger: spending ${spend.alpha} on ${spend.test} would exceed the run's alpha ${this.total} (spent ${this.spent()})`);
    }
    this.spends.push(spend);
  }
}
