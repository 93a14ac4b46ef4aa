// Wilson score interval for a binomial proportion: honest at small n and at 0 or 1 successes.
import quantile from '@stdlib/stats-base-dists-normal-quantile';

import type { Interval } from '../domain/validation.js';
export type { Interval };

export function wilson(successes: number, total: number, confidence = 0.95): Interval {
  if (total <= 0) return { low: 0, high: 1 };
  const z = quantile(1 - (1 - confidence) / 2, 0, 1);
  const p = successes / total;
  const z2 = z * z;
  const denominator = 1 + z2 / total;
  const centre = (p + z2 / (2 * total)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
