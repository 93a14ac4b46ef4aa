// What an evolve run hands back: the decision in words and as a value, the commit message of a promotion, the spent
// budget, the error rate that held, and the report files.
import path from 'node:path';
import type { ErrorControl, EvolveResult } from '../domain/flows.js';
import type { ValidationReport } from '../domain/validation.js';
import { describeStop, isBudgetStop, type StopReason } from '../domain/stop.js';
import type { Candidate } from '../propose/types.js';
import type { BudgetTracker } from './budget.js';
import { shownAlpha, type AlphaLedger } from './alpha-ledger.js';
import type { EvolveOptions } from './options.js';
import type { Session } from './session.js';
import { writeReport } from './validate-refs.js';
import { LOCAL_CLI, renderEvolveMarkdown } from '../report/markdown.js';
import { truncateWords } from '../report/markdown.js';
import { appendHistory } from '../propose/history.js';
import type { RoundContext, RoundResult } from './evolve-context.js';

/** Promoted when a commit was made; inconclusive when the budget stopped the run or nothing could be judged; else rejected. */
export function runDecision(
  promotedCount: number,
  roundsRun: number,
  stop: StopReason | undefined,
  judgedAny: boolean,
  branch?: string,
): { decision: EvolveResult['decision']; reason: string } {
  const stopped = stop ? ` Stopped: ${describeStop(stop)}.` : '';
  if (promotedCount > 0)
    return { decision: 'promote', reason: `Promoted ${promotedCount} change(s) after ${roundsRun} round(s); committed on branch ${branch}.${stopped}` };
  const decision = isBudgetStop(stop) || !judgedAny ? 'inconclusive' : 'reject';
  return { decision, reason: `Nothing promoted after ${roundsRun} round(s)${stop ? `: ${describeStop(stop)}` : ''}.` };
}

export function errorControlOf(alpha: AlphaLedger, holdout: boolean): ErrorControl {
  const spent = alpha.spent();
  const tests = alpha.spends.length;
  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  const how = holdout
    ? `each promotion needed its own sequential test on fresh episodes of the sealed held-out split, at a share of alpha ${alpha.total} fixed before it ran (${tests} confirmation(s), ${shownAlpha(spent)} spent); the train-split screening only chose what to confirm`
    : `there is no held-out split, so every candidate's train test ran at a share of alpha ${alpha.total} (${tests} test(s), ${shownAlpha(spent)} spent)`;
  return {
    alpha: alpha.total,
    spent,
    spends: [...alpha.spends],
    statement: `An evolve run like this one promotes an edit with no real effect at most ${pct(alpha.total)} of the time: ${how}.`,
  };
}

export function commitMessage(candidate: Candidate, report: ValidationReport): string {
  const pts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;
  return [
    `self-harness: ${truncateWords(candidate.summary, 72 - 'self-harness: '.length)}`,
    '',
    truncateWords(`- ${candidate.id} (${candidate.mechanism}, weakness ${candidate.weaknessId}): ${candidate.rationale}`, 300),
    '',
    `Screened: train ${pts(report.train.delta)} (${report.train.baseline.passed}/${report.train.baseline.total} -> ${report.train.candidate.passed}/${report.train.candidate.total})` +
      (report.holdout
        ? `; confirmed: held-out ${pts(report.holdout.delta)} (${report.holdout.baseline.passed}/${report.holdout.baseline.total} -> ${report.holdout.candidate.passed}/${report.holdout.candidate.total})`
        : ''),
  ].join('\n');
}

export function spentOf(budget: BudgetTracker): EvolveResult['spent'] {
  return {
    episodes: budget.episodes,
    cachedEpisodes: budget.cachedEpisodes,
    inputTokens: budget.inputTokens,
    outputTokens: budget.outputTokens,
    costUsd: budget.usd,
  };
}

export async function finish(
  session: Session,
  options: EvolveOptions,
  result: Omit<EvolveResult, 'markdown' | 'reportPath'>,
  baselineRate?: number,
): Promise<EvolveResult> {
  const configArg = session.configSubdir ? ` --config ${path.posix.join(session.configSubdir, path.basename(options.loaded.path))}` : '';
  const reproduce = result.commit
    ? `git fetch origin ${result.branch ?? ''} && ${LOCAL_CLI} validate --question superiority --base ${result.baseCommit.slice(0, 12)} --head ${result.commit.slice(0, 12)}${configArg}`
    : `${LOCAL_CLI} evolve --rounds ${options.rounds}${configArg}`;
  const markdown = renderEvolveMarkdown(result, { reproduce, baselineRate });
  const reportPath = await writeReport(options.stateDir, 'evolve', result);
  return { ...result, markdown, reportPath };
}

/** Commits a confirmed candidate from its worktree, if its harness is still exactly what was validated. */
export async function promote(
  ctx: RoundContext,
  confirmed: NonNullable<RoundResult['confirmed']>,
  round: number,
  historyPath: string,
): Promise<{ commit: string } | undefined> {
  const { session, log } = ctx;
  const { screened, report } = confirmed;
  try {
    // Episodes ran inside the candidate's worktree: commit only if its harness is still exactly what was validated.
    if ((await session.surface.hash(screened.version.root)) !== screened.version.hash) {
      session.logger.warn(`Round ${round}: harness files in the candidate's worktree changed while its episodes ran; not promoted`);
      log.update(screened.candidate.id, 'refused', 'harness files changed while validation episodes ran (an episode wrote into the harness)');
      return undefined;
    }
    log.update(screened.candidate.id, 'promote', report.reason);
    const relHistory = path.join(session.configSubdir, path.relative(ctx.options.loaded.root, historyPath));
    // The branch's history file already holds what earlier promotions committed: add only the rest.
    await appendHistory(path.join(screened.worktree.root, relHistory), log.uncommitted());
    const commit = await screened.worktree.commit(
      [...screened.changed.map((f) => path.join(session.configSubdir, f)), relHistory],
      commitMessage(screened.candidate, report),
    );
    log.markCommitted();
    return { commit };
  } finally {
    await screened.worktree.dispose();
  }
}
