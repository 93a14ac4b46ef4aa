// Error spending: how much of a fixed error rate may be used up by a given share of the planned information.

/**
 * Hwang–Shih–DeCani spending function: the part of `total` spent once the information fraction is `t`.
 * gamma < 0 spends late (gamma = -4 is close to O'Brien–Fleming), gamma = 1 spends early (close to Pocock);
 * gamma = 0 spends in proportion to t.
 */
export function hsdSpending(total: number, t: number, gamma: number): number {
  const fraction = Math.min(1, Math.max(0, t));
  if (fraction >= 1) return total;
  if (Math.abs(gamma) < 1e-9) return total * fraction;
  return (total * (1 - Math.exp(-gamma * fraction))) / (1 - Math.exp(-gamma));
}
