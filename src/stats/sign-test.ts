// Exact one-sided sign test on discordant pairs: under "no effect" each discordant pair is a fair coin.
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';

/** P(X >= wins) for X ~ Binomial(discordant, 1/2): the chance of at least this many wins with no real effect. */
export function signTestPValue(wins: number, discordant: number): number {
  if (discordant <= 0 || wins <= 0) return 1;
  if (wins > discordant) return 0;
  return Math.min(1, Math.max(0, 1 - binomialCdf(wins - 1, discordant, 0.5)));
}
