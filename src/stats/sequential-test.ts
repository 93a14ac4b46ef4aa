// Group-sequential exact sign test on paired episodes: promote, reject or continue after each batch,
// with the chance of promoting a no-effect edit fixed in advance (alpha) and the chance of missing an
// edit of the minimum effect bounded (beta).
//
// Baseline and candidate run the same (task, attempt) pairs. Only discordant pairs (one side passes, the
// other fails) carry information about a difference. Under "no effect" (the candidate's pass probability
// equals the baseline's on every task) each discordant pair is won by the candidate with probability 1/2,
// whatever the task's difficulty, so the candidate's wins form a fair random walk over discordant pairs.
// Boundaries are computed exactly on that walk (binomial convolution), with alpha and beta spent by a
// Hwang–Shih–DeCani function of the information gathered; the look schedule depends only on how many
// pairs and discordant pairs were seen, never on who won them, so the alpha guarantee is exact.
import binomialPmf from '@stdlib/stats-base-dists-binomial-pmf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { hsdSpending } from './spending.js';
import type { Question } from '../domain/validation.js';

export interface SequentialDesign {
  /** Chance of promoting a candidate with no effect (one-sided type I error). */
  alpha: number;
  /** Chance of not promoting a candidate that improves the pass rate by exactly `minEffect`. */
  beta: number;
  /** The smallest improvement worth promoting, in absolute pass-rate points (0.1 = 10 points). */
  minEffect: number;
  /** Spending shape for alpha (default 1: spends early, Pocock-like, for short runs). */
  alphaGamma?: number;
  /** Spending shape for beta (default 1). */
  betaGamma?: number;
  /** Planned discordant pairs = fixed-sample need x this inflation, to pay for the looks (default 1.1). */
  inflation?: number;
  /**
   * The question asked (default superiority). Superiority: "is the candidate better by `minEffect`?" — the null is no
   * effect (exact). Non-inferiority: "is the candidate not worse by `margin`?" — the null is a drop of `margin` points,
   * the alternative no effect; `alpha` is then the chance of passing a change `margin` points worse.
   */
  question?: Question;
  /** Non-inferiority margin in absolute pass-rate points (0.1 = 10 points). */
  margin?: number;
}

export type { Question };

export interface SequentialObservation {
  /** Paired (task, attempt) comparisons so far. */
  pairs: number;
  /** Of those, pairs where exactly one side passed. */
  discordant: number;
  /** Discordant pairs the candidate won. */
  wins: number;
  /** No more data will come (attempts or budget exhausted): spend what is left of alpha and beta. */
  final?: boolean;
  /**
   * The discordance rate the minimum effect is spread over, when the caller knows better than the raw
   * rate among collected pairs (e.g. the mean over tasks, when tasks got unequal attempts). Must not
   * depend on which side won any pair; it shapes only the rejection side and the planned information.
   */
  planningDiscordance?: number;
}

export type SequentialDecision = 'continue' | 'promote' | 'reject';

/** One look, boundaries in candidate wins among the discordant pairs. */
export interface SequentialLook {
  pairs: number;
  discordant: number;
  wins: number;
  /** Information fraction reached (discordant pairs over the planned number). */
  t: number;
  /** Promote when wins >= upper (upper = discordant + 1: cannot promote at this look). */
  upper: number;
  /** Reject when wins <= lower (lower = -1: cannot reject at this look). */
  lower: number;
  /** Cumulative chance, under no effect, of having promoted by this look. */
  alphaSpent: number;
  /** Cumulative chance, under the minimum effect, of having rejected by this look. */
  betaSpent: number;
  /** P(candidate wins a discordant pair) under the null, at this look's discordance rate (1/2 for superiority). */
  theta0: number;
  /** P(candidate wins a discordant pair) under the planned alternative, at this look's discordance rate. */
  theta1: number;
  plannedDiscordant: number;
  decision: SequentialDecision;
}

export interface SequentialState {
  design: Required<SequentialDesign>;
  looks: SequentialLook[];
  decision: SequentialDecision;
}

const EPS = 1e-12;

export function startSequentialTest(design: SequentialDesign): SequentialState {
  for (const [name, value] of [
    ['alpha', design.alpha],
    ['beta', design.beta],
    ['minEffect', design.minEffect],
  ] as const) {
    if (!(value > 0 && value < 1)) throw new RangeError(`sequential test: ${name} must be between 0 and 1 (exclusive), got ${value}`);
  }
  if ((design.question ?? 'superiority') === 'non-inferiority' && !((design.margin ?? 0) > 0 && (design.margin ?? 0) < 1)) {
    throw new RangeError(`sequential test: a non-inferiority margin must be between 0 and 1 (exclusive), got ${design.margin}`);
  }
  return {
    design: { alphaGamma: 1, betaGamma: 1, inflation: 1.1, question: 'superiority', margin: 0, ...design },
    looks: [],
    decision: 'continue',
  };
}

/**
 * P(candidate wins a discordant pair) when the candidate is better by `minEffect` points and a fraction
 * `discordance` of pairs are discordant: wins - losses = minEffect and wins + losses = discordance per pair.
 */
export function alternativeWinChance(minEffect: number, discordance: number): number {
  const q = Math.max(discordance, 1e-9);
  return Math.min(0.95, Math.max(0.5 + 1e-3, 0.5 + minEffect / (2 * q)));
}

/**
 * Discordant pairs a fixed-sample one-sided binomial test of win chance theta0 against theta1 needs for (alpha, beta)
 * (normal approximation; theta0 = 1/2 is the sign test).
 */
export function fixedSampleDiscordant(alpha: number, beta: number, theta1: number, theta0 = 0.5): number {
  const za = normalQuantile(1 - alpha, 0, 1);
  const zb = normalQuantile(1 - beta, 0, 1);
  const n = ((za * Math.sqrt(theta0 * (1 - theta0)) + zb * Math.sqrt(theta1 * (1 - theta1))) / (theta1 - theta0)) ** 2;
  return Math.max(1, Math.ceil(n));
}

/** Smallest win chance the non-inferiority null is allowed to take (keeps the walk away from a degenerate coin). */
const MIN_NULL_WIN_CHANCE = 0.02;

/**
 * The win chances of a discordant pair under the null (theta0) and the planned alternative (theta1), at discordance
 * rate `discordance`. Superiority: theta0 = 1/2 whatever the discordance, so the promotion side is exact. Non-inferiority:
 * a drop of `margin` points means losses - wins = margin per pair, so theta0 = 1/2 - margin / (2 discordance); the
 * caller passes a cautious (high) discordance, which moves theta0 towards 1/2 and makes passing harder, not easier.
 */
export function hypotheses(design: Required<SequentialDesign>, discordance: number): { theta0: number; theta1: number } {
  if (design.question === 'non-inferiority') {
    const q = Math.max(discordance, 1e-9);
    return { theta0: Math.min(0.5 - 1e-3, Math.max(MIN_NULL_WIN_CHANCE, 0.5 - design.margin / (2 * q))), theta1: 0.5 };
  }
  return { theta0: 0.5, theta1: alternativeWinChance(design.minEffect, discordance) };
}

/** Binomial(steps, theta) probabilities, memoised per walk (looks mostly add the same few steps). */
function binomialRow(rows: Map<number, Float64Array>, steps: number, theta: number): Float64Array {
  let row = rows.get(steps);
  if (!row) {
    row = new Float64Array(steps + 1);
    for (let k = 0; k <= steps; k++) row[k] = binomialPmf(k, steps, theta);
    rows.set(steps, row);
  }
  return row;
}

/** Adds `steps` fair-or-biased coin flips to the distribution of wins (index = wins). */
function convolve(distribution: Float64Array, steps: number, theta: number, rows: Map<number, Float64Array>): Float64Array {
  if (steps === 0) return distribution;
  const pmf = binomialRow(rows, steps, theta);
  const next = new Float64Array(distribution.length + steps);
  for (let w = 0; w < distribution.length; w++) {
    const mass = distribution[w]!;
    if (mass === 0) continue;
    for (let k = 0; k <= steps; k++) next[w + k] += mass * pmf[k]!;
  }
  return next;
}

/**
 * Walks the earlier looks under win chance `theta`, removing paths that stopped, and returns the
 * distribution of wins at `discordant` among paths still running, plus the mass that stopped at the
 * lower and upper boundaries on the way.
 */
function continuingDistribution(looks: SequentialLook[], discordant: number, theta: number) {
  const rows = new Map<number, Float64Array>();
  let distribution: Float64Array = new Float64Array([1]);
  let at = 0;
  let stoppedLow = 0;
  let stoppedHigh = 0;
  for (const look of looks) {
    distribution = convolve(distribution, look.discordant - at, theta, rows);
    at = look.discordant;
    for (let w = 0; w < distribution.length; w++) {
      if (w >= look.upper) {
        stoppedHigh += distribution[w]!;
        distribution[w] = 0;
      } else if (w <= look.lower) {
        stoppedLow += distribution[w]!;
        distribution[w] = 0;
      }
    }
  }
  distribution = convolve(distribution, discordant - at, theta, rows);
  return { distribution, stoppedLow, stoppedHigh };
}

/** Smallest u with P(wins >= u) <= budget; distribution.length means "no u". */
function upperBoundary(distribution: Float64Array, budget: number): { bound: number; mass: number } {
  let tail = 0;
  for (let u = distribution.length - 1; u >= 0; u--) {
    if (tail + distribution[u]! > budget + EPS) return { bound: u + 1, mass: tail };
    tail += distribution[u]!;
  }
  return { bound: 0, mass: tail };
}

/** Largest l with P(wins <= l) <= budget; -1 means "no l". */
function lowerBoundary(distribution: Float64Array, budget: number): { bound: number; mass: number } {
  let head = 0;
  for (let l = 0; l < distribution.length; l++) {
    if (head + distribution[l]! > budget + EPS) return { bound: l - 1, mass: head };
    head += distribution[l]!;
  }
  return { bound: distribution.length - 1, mass: head };
}

/** Takes one look at the data gathered so far; returns the new state (the input is not changed). */
export function takeLook(state: SequentialState, observation: SequentialObservation): SequentialState {
  if (state.decision !== 'continue') return state;
  const { design } = state;
  const { pairs, discordant, wins } = observation;
  if (!(Number.isInteger(pairs) && Number.isInteger(discordant) && Number.isInteger(wins)) || wins < 0 || wins > discordant || discordant > pairs) {
    throw new RangeError(`sequential test: inconsistent look (pairs ${pairs}, discordant ${discordant}, wins ${wins})`);
  }
  const previous = state.looks[state.looks.length - 1];
  if (previous && discordant < previous.discordant) {
    throw new RangeError(`sequential test: discordant pairs went down from ${previous.discordant} to ${discordant}`);
  }
  // Nothing new to judge: no look is taken, so no error is spent.
  if ((previous?.discordant ?? 0) === discordant && !observation.final) return state;

  // Smoothed discordance rate: depends on how many pairs disagreed, not on who won them.
  const discordance = observation.planningDiscordance ?? (discordant + 1) / (pairs + 2);
  const { theta0, theta1 } = hypotheses(design, discordance);
  const plannedDiscordant = Math.ceil(fixedSampleDiscordant(design.alpha, design.beta, theta1, theta0) * design.inflation);
  const reached = Math.min(1, discordant / plannedDiscordant);
  const t = Math.max(previous?.t ?? 0, observation.final ? 1 : reached);

  const alphaSpentBefore = previous?.alphaSpent ?? 0;
  const underNull = continuingDistribution(state.looks, discordant, theta0);
  const upper = upperBoundary(underNull.distribution, hsdSpending(design.alpha, t, design.alphaGamma) - alphaSpentBefore);

  const underAlternative = continuingDistribution(state.looks, discordant, theta1);
  const betaSpentBefore = underAlternative.stoppedLow;
  let lower = lowerBoundary(underAlternative.distribution, Math.max(0, hsdSpending(design.beta, t, design.betaGamma) - betaSpentBefore)).bound;
  // At the planned information the two boundaries meet, so the test always ends there.
  // Superiority: at the planned information the two boundaries meet, so the test always ends there ("not shown better"
  // is a rejection). Non-inferiority keeps the gap: "not shown not worse" is not evidence of a regression, and a
  // no-effect change must be failed at most beta of the time, so what ends between the boundaries is inconclusive.
  if (design.question !== 'non-inferiority' && (reached >= 1 || lower >= upper.bound)) lower = upper.bound - 1;
  else if (lower >= upper.bound) lower = upper.bound - 1;

  const decision: SequentialDecision = wins >= upper.bound ? 'promote' : wins <= lower ? 'reject' : 'continue';
  let betaMass = 0;
  for (let w = 0; w <= lower && w < underAlternative.distribution.length; w++) betaMass += underAlternative.distribution[w]!;
  const look: SequentialLook = {
    pairs,
    discordant,
    wins,
    t,
    upper: upper.bound,
    lower,
    alphaSpent: alphaSpentBefore + upper.mass,
    betaSpent: betaSpentBefore + betaMass,
    theta0,
    theta1,
    plannedDiscordant,
    decision,
  };
  return { design, looks: [...state.looks, look], decision };
}

/** The candidate's net wins (wins - losses) and the boundaries on that scale, for reports. */
export function netView(look: SequentialLook): { statistic: number; lower: number; upper: number } {
  return {
    statistic: 2 * look.wins - look.discordant,
    lower: 2 * look.lower - look.discordant,
    upper: 2 * look.upper - look.discordant,
  };
}

export function describeDesign(design: Required<SequentialDesign>): string {
  const points = Math.round(design.minEffect * 1000) / 10;
  if (design.question === 'non-inferiority') {
    const margin = Math.round(design.margin * 1000) / 10;
    return (
      `group-sequential non-inferiority test on paired episodes (baseline and candidate on the same task and attempt; ` +
      `only pairs where exactly one side passed count): pass when the candidate's wins cross the upper boundary, ` +
      `regress when they cross the lower one; alpha ${design.alpha} (chance of passing a change ${margin} points worse), ` +
      `beta ${design.beta} (chance of failing a change with no effect), the null's win chance set from a cautious upper ` +
      `bound on the discordance rate, spent with Hwang-Shih-DeCani functions (gamma ${design.alphaGamma} / ${design.betaGamma})`
    );
  }
  return (
    `group-sequential exact sign test on paired episodes (baseline and candidate on the same task and attempt; ` +
    `only pairs where exactly one side passed count): promote when the candidate's wins cross the upper boundary, ` +
    `reject when they cross the lower one; alpha ${design.alpha} (chance of promoting an edit with no effect), ` +
    `beta ${design.beta} (chance of missing a +${points}-point edit), spent with Hwang-Shih-DeCani functions ` +
    `(gamma ${design.alphaGamma} / ${design.betaGamma}) over ${design.inflation}x the discordant pairs a fixed-sample test needs`
  );
}
