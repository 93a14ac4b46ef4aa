// The sealed held-out confirmation of a round's best screened candidate: fresh episodes on a stream of its own, at the
// share of the run's alpha the ledger gives it; the share is spent whatever the outcome.
import type { HarnessVersion } from '../domain/types.js';
import type { ValidationReport } from '../domain/validation.js';
import { judge } from './validate-refs.js';
import type { Screened } from './evolve-candidates.js';
import type { RoundContext } from './evolve-context.js';
import { shownAlpha } from './alpha-ledger.js';
import { holdoutUsesCounter } from '../store/holdout-uses.js';

/** The sealed held-out confirmation of the round's best candidate, on fresh episodes, at its share of the run's alpha. */
export async function confirm(ctx: RoundContext, round: number, roundsLeft: number, parent: HarnessVersion, best: Screened): Promise<ValidationReport> {
  const share = ctx.alpha.share(roundsLeft);
  // One stream per confirmation (the use count is raised only once a confirmation decided): no baseline is shared.
  const uses = await holdoutUsesCounter(ctx.session.stateDir).read();
  ctx.session.logger.info(
    `Round ${round}: confirming ${best.candidate.id} on the sealed held-out split at alpha ${shownAlpha(share)} (of the run's ${ctx.alpha.total}, ${shownAlpha(ctx.alpha.spent())} spent so far)`,
  );
  const report = await judge(ctx.session, parent, best.version, {
    runHoldout: true,
    budget: ctx.budget,
    confirm: best.report,
    question: 'superiority',
    confirmAlpha: share,
    streams: { holdout: `confirm:${uses}` },
  });
  ctx.alpha.spend({ round, test: `held-out confirmation of ${best.candidate.id}`, alpha: share, outcome: report.decision });
  return report;
}

export function numbersOf(report: ValidationReport): Record<string, number> {
  return {
    train_baseline_rate: report.train.baseline.rate,
    train_candidate_rate: report.train.candidate.rate,
    train_delta: report.train.delta,
    regressions: report.train.regressions.length,
    fixes: report.train.fixes.length,
    episodes_run: report.episodes.run,
  };
}
