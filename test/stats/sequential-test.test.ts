import { describe, expect, it } from 'vitest';
import { alternativeWinChance, fixedSampleDiscordant, netView, startSequentialTest, takeLook, type SequentialState } from '../../src/stats/sequential-test.js';
import { hsdSpending } from '../../src/stats/spending.js';
import { signTestPValue } from '../../src/stats/sign-test.js';
import { seededRandom } from '../../src/stats/rng.js';

const design = { alpha: 0.05, beta: 0.2, minEffect: 0.1 };

describe('error spending', () => {
  it('spends the whole error rate at full information and nothing at the start', () => {
    for (const gamma of [-4, -1, 0, 1, 2]) {
      expect(hsdSpending(0.05, 0, gamma)).toBeCloseTo(0, 12);
      expect(hsdSpending(0.05, 1, gamma)).toBeCloseTo(0.05, 12);
    }
  });
  it('matches the Hwang-Shih-DeCani formula (gamma 1 at t = 0.5) and spends late for negative gamma', () => {
    expect(hsdSpending(0.05, 0.5, 1)).toBeCloseTo((0.05 * (1 - Math.exp(-0.5))) / (1 - Math.exp(-1)), 12); // 0.031122...
    expect(hsdSpending(0.05, 0.5, 1)).toBeCloseTo(0.0311225, 6);
    expect(hsdSpending(0.05, 0.5, -4)).toBeLessThan(hsdSpending(0.05, 0.5, 0));
    expect(hsdSpending(0.05, 0.5, 0)).toBeCloseTo(0.025, 12);
  });
});

describe('sign test and planning', () => {
  it('gives the exact binomial tail under a fair coin', () => {
    // P(X >= 8 | n = 10, p = 1/2) = (45 + 10 + 1) / 1024
    expect(signTestPValue(8, 10)).toBeCloseTo(56 / 1024, 12);
    expect(signTestPValue(0, 10)).toBe(1);
    expect(signTestPValue(10, 10)).toBeCloseTo(1 / 1024, 12);
  });
  it('maps the minimum effect to a win chance among discordant pairs', () => {
    // +10 points when 30% of pairs disagree: wins - losses = 0.1, wins + losses = 0.3 -> wins 0.2 of 0.3.
    expect(alternativeWinChance(0.1, 0.3)).toBeCloseTo(2 / 3, 12);
    expect(alternativeWinChance(0.1, 0.05)).toBe(0.95);
  });
  it('plans the textbook fixed sample for a one-sided sign test', () => {
    // ((1.6449 * 0.5 + 0.8416 * sqrt(0.7 * 0.3)) / 0.2)^2 = 36.93 -> 37
    expect(fixedSampleDiscordant(0.05, 0.2, 0.7)).toBe(37);
  });
});

describe('sequential sign test boundaries', () => {
  it('puts the first look boundaries where the exact binomial tails say', () => {
    // 20 pairs, 10 discordant: theta1 from (10 + 1) / (20 + 2) = 0.5 discordance -> 0.6; plan 1.1 x fixed(0.05, 0.2, 0.6).
    const state = takeLook(startSequentialTest(design), { pairs: 20, discordant: 10, wins: 5 });
    const look = state.looks[0]!;
    expect(look.theta1).toBeCloseTo(0.6, 12);
    expect(look.plannedDiscordant).toBe(Math.ceil(fixedSampleDiscordant(0.05, 0.2, 0.6) * 1.1));
    const allowed = hsdSpending(0.05, look.t, 1);
    // The upper boundary is the smallest u whose exact tail fits the alpha spent so far.
    expect(signTestPValue(look.upper, 10)).toBeLessThanOrEqual(allowed + 1e-12);
    expect(signTestPValue(look.upper - 1, 10)).toBeGreaterThan(allowed);
    expect(look.alphaSpent).toBeCloseTo(signTestPValue(look.upper, 10), 12);
    expect(state.decision).toBe('continue');
  });

  it('promotes on overwhelming wins and rejects on overwhelming losses at the first look', () => {
    expect(takeLook(startSequentialTest(design), { pairs: 40, discordant: 20, wins: 20 }).decision).toBe('promote');
    expect(takeLook(startSequentialTest(design), { pairs: 40, discordant: 20, wins: 0 }).decision).toBe('reject');
  });

  it('takes no look (spends nothing) when no new discordant pair arrived', () => {
    const first = takeLook(startSequentialTest(design), { pairs: 10, discordant: 3, wins: 2 });
    const again = takeLook(first, { pairs: 14, discordant: 3, wins: 2 });
    expect(again).toBe(first);
  });

  it('spends all of alpha at a final look and leaves a gap (inconclusive) when the data are too few', () => {
    const state = takeLook(startSequentialTest(design), { pairs: 12, discordant: 4, wins: 3, final: true });
    const look = state.looks[0]!;
    expect(look.t).toBe(1);
    // With 4 discordant pairs even 4 wins has p = 1/16 > 0.05: promotion is impossible.
    expect(look.upper).toBe(5);
    expect(state.decision).toBe('continue');
  });

  it('reports the statistic as net wins with boundaries on the same scale', () => {
    const look = takeLook(startSequentialTest(design), { pairs: 40, discordant: 20, wins: 13 }).looks[0]!;
    const view = netView(look);
    expect(view.statistic).toBe(6);
    expect(view.upper).toBe(2 * look.upper - 20);
    expect(view.lower).toBe(2 * look.lower - 20);
  });

  it('spends exactly the alpha it reports, checked by enumerating every win/loss sequence', () => {
    // Three looks at 4, 8 and 12 discordant pairs; enumerate all 2^12 fair sequences.
    let state = startSequentialTest(design);
    const looksAt = [
      { pairs: 12, discordant: 4 },
      { pairs: 24, discordant: 8 },
      { pairs: 36, discordant: 12 },
    ];
    // Feed wins that never stop the test so all three looks are taken with their boundaries.
    for (const at of looksAt) state = takeLook(state, { ...at, wins: Math.floor(at.discordant / 2) });
    expect(state.looks).toHaveLength(3);
    let promoted = 0;
    for (let mask = 0; mask < 1 << 12; mask++) {
      let wins = 0;
      for (let i = 0; i < 12; i++) {
        if (mask & (1 << i)) wins++;
        const look = state.looks.find((l) => l.discordant === i + 1);
        if (!look) continue;
        if (wins >= look.upper) {
          promoted++;
          break;
        }
        if (wins <= look.lower) break;
      }
    }
    expect(promoted / 4096).toBeCloseTo(state.looks[2]!.alphaSpent, 12);
    expect(state.looks[2]!.alphaSpent).toBeLessThanOrEqual(hsdSpending(0.05, state.looks[2]!.t, 1) + 1e-12);
  });

  it('rejects bad error rates with a message naming the field', () => {
    expect(() => startSequentialTest({ ...design, alpha: 0 })).toThrow(/alpha/);
    expect(() => startSequentialTest({ ...design, minEffect: 1.5 })).toThrow(/minEffect/);
  });
});

function simulate(theta: number, discordance: number, seed: number, maxPairs = 300) {
  const random = seededRandom(seed);
  let state: SequentialState = startSequentialTest(design);
  let pairs = 0;
  let discordant = 0;
  let wins = 0;
  while (state.decision === 'continue' && pairs < maxPairs) {
    for (let k = 0; k < 4; k++) {
      pairs++;
      if (random() < discordance) {
        discordant++;
        if (random() < theta) wins++;
      }
    }
    state = takeLook(state, { pairs, discordant, wins, final: pairs >= maxPairs });
  }
  return { decision: state.decision, pairs };
}

describe('sequential sign test error rates (simulated)', () => {
  it('promotes a no-effect candidate at about alpha and rejects a clearly harmful one', () => {
    const trials = 600;
    let promoted = 0;
    for (let i = 0; i < trials; i++) if (simulate(0.5, 0.3, i).decision === 'promote') promoted++;
    // alpha = 0.05 exactly in theory; 3 standard errors of slack for 1500 trials.
    expect(promoted / trials).toBeLessThan(0.05 + 3 * Math.sqrt((0.05 * 0.95) / trials));
    expect(promoted / trials).toBeGreaterThan(0.02);
    let harmfulPromoted = 0;
    for (let i = 0; i < 200; i++) if (simulate(1 / 3, 0.3, 10_000 + i).decision === 'promote') harmfulPromoted++;
    expect(harmfulPromoted).toBeLessThanOrEqual(2);
  });
});

describe('non-inferiority (the PR gate)', () => {
  const ni = { alpha: 0.05, beta: 0.1, minEffect: 0.1, question: 'non-inferiority' as const, margin: 0.1 };

  it('sets the null win chance from the margin and the discordance, and the alternative at no effect', async () => {
    const { hypotheses } = await import('../../src/stats/sequential-test.js');
    const state = startSequentialTest(ni);
    // A drop of 10 points with 40% of pairs discordant: losses - wins = 0.1 per pair, so theta0 = 0.5 - 0.1 / 0.8.
    expect(hypotheses(state.design, 0.4)).toEqual({ theta0: 0.375, theta1: 0.5 });
    // Fewer discordant pairs than the margin: the null is floored, the test stays a proper binomial test.
    expect(hypotheses(state.design, 0.05).theta0).toBeGreaterThan(0);
  });

  it('passes a candidate that wins as often as it loses, and ends inconclusive, not "regress", when the data are too few', () => {
    let state: SequentialState = startSequentialTest(ni);
    state = takeLook(state, { pairs: 400, discordant: 120, wins: 60, planningDiscordance: 0.3 });
    expect(state.decision).toBe('promote');
    let short: SequentialState = startSequentialTest(ni);
    short = takeLook(short, { pairs: 20, discordant: 6, wins: 2, planningDiscordance: 0.3, final: true });
    expect(short.decision).toBe('continue');
    const look = short.looks.at(-1)!;
    expect(look.lower).toBeLessThan(look.upper - 1);
  });

  it('finds a regression when the candidate loses far more than the margin allows', () => {
    let state: SequentialState = startSequentialTest(ni);
    state = takeLook(state, { pairs: 200, discordant: 60, wins: 5, planningDiscordance: 0.3 });
    expect(state.decision).toBe('reject');
  });

  it('refuses a non-inferiority design without a margin', () => {
    expect(() => startSequentialTest({ ...ni, margin: 0 })).toThrow(/margin/);
  });
});
