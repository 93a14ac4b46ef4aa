// One evolve round: mine the parent's train episodes, propose, screen every candidate on fresh train episodes, and send
// the best one to the sealed held-out confirmation at its share of the run's alpha. At most one edit is promoted per
// round, and only an edit that passed its own confirmation: no edit rides along in a merge.
import type { EvolveRoundSummary } from '../domain/flows.js';
import type { EpisodeRecord, HarnessVersion } from '../domain/types.js';
import type { StopReason } from '../domain/stop.js';
import { keyOf, planEpisodes } from '../domain/plan.js';
import { episodeId } from '../domain/episode-id.js';
import { isReusable } from './episode-pool.js';
import { bestOf, focusOn, screenCandidate, type Screened } from './evolve-candidates.js';
import { judgedBefore, screenStream } from './evolve-lineage.js';
import type { RoundContext, RoundResult } from './evolve-context.js';
import { summarize } from '../report/run-summary.js';
import { mineWeaknesses } from '../mining/mine.js';
import { readEpisodeArtifacts } from '../traces/read.js';
import type { HistoryEntry } from '../propose/types.js';
import { confirm, numbersOf } from './evolve-confirm.js';
import { importedMiningEvidence } from './import.js';

export async function runRound(ctx: RoundContext, round: number, current: HarnessVersion, commit: string): Promise<RoundResult> {
  const { session, options, budget, log } = ctx;
  const config = options.loaded.config;
  const logger = session.logger;
  const summaryOf = (weaknesses: number, candidates: number, rate: { rate: number; ci: { low: number; high: number } }) =>
    ({ round, weaknesses, candidates, promoted: [], trainRate: rate.rate, trainCi: rate.ci }) satisfies EvolveRoundSummary;
  const none = { rate: 0, ci: { low: 0, high: 1 } };

  const exhausted = budget.exhausted();
  if (exhausted) return { summary: summaryOf(0, 0, none), stop: exhausted, judged: 0 };
  // 1. The parent's train episodes: evidence for mining only, never paired in a validation (those use fresh streams).
  // Round 1 mines the base harness's imported episodes (`self-harness import`, the action's `artifacts`) when there
  // are any, instead of running the train split for it; their import: streams never enter a validation either.
  const imported =
    round === 1
      ? importedMiningEvidence(
          session.store.all(),
          current.hash,
          session.holdoutTasks.map((t) => t.id),
        )
      : [];
  let records: EpisodeRecord[];
  if (imported.length > 0) {
    logger.info(
      `Round ${round}: mining ${imported.length} imported episode(s) of harness ${current.hash.slice(0, 12)} instead of running the train split (mining evidence only; they never judge a candidate)`,
    );
    records = imported;
  } else {
    const plans = planEpisodes(session.trainTasks, () => 'train', current, config.suite.attempts);
    const fresh = plans.filter((plan) => !isReusable(session.store.get(episodeId(keyOf(plan, session.runner))))).length;
    if (fresh > budget.episodesLeft()) {
      return { summary: summaryOf(0, 0, none), stop: budget.episodeStop(`before round ${round}'s train run (${fresh} new episodes needed)`), judged: 0 };
    }
    logger.info(`Round ${round}: running the train split on harness ${current.hash.slice(0, 12)} (mining evidence)`);
    const before = { ...session.counts };
    records = await session.run(plans);
    budget.addEpisodes(session.counts.run - before.run, session.counts.cached - before.cached);
  }
  const rate = summarize(records);

  const mining = await mineWeaknesses({
    episodes: records,
    readArtifacts: (record) => readEpisodeArtifacts(session.store.artifactsPath(record.id)),
    model: config.mining.diagnose ? session.model : undefined,
    maxClusters: config.mining['max-clusters'],
    evidenceTokens: config.mining['evidence-tokens'],
    secrets: options.secrets ?? [],
    logger,
  });
  budget.addUsage(mining.usage);
  const weaknesses = focusOn(mining.weaknesses, options.focus).filter(
    (w) => w.signature.failureClass !== 'infrastructure' && w.labels?.harnessFixable !== false,
  );
  logger.info(`Round ${round}: ${mining.failuresRead} failures read, ${weaknesses.length} harness-fixable weakness cluster(s)`);
  if (weaknesses.length === 0 && ctx.carried.length === 0) return { summary: summaryOf(0, 0, rate), stop: { kind: 'no-weakness' }, judged: 0 };
  const afterMining = budget.exhausted();
  if (afterMining) return { summary: summaryOf(weaknesses.length, 0, rate), stop: afterMining, judged: 0 };

  // 2. Proposals: the carried candidates first, then new ones.
  const proposal =
    weaknesses.length === 0
      ? undefined
      : await ctx.proposer.propose({
          weaknesses,
          passingTasks: mining.passingTasks,
          surface: session.surface,
          harnessRoot: current.root,
          history: [...ctx.history, ...log.entries],
          count: config.propose.candidates,
          limits: { maxEditLines: config.propose['max-edit-lines'], maxRoundLines: config.propose['max-round-lines'] },
          focus: options.focus,
          logger,
        });
  if (proposal) {
    budget.addUsage(proposal.usage);
    for (const dropped of proposal.dropped) logger.warn(`Round ${round}: proposal dropped: ${dropped.reason}`);
    for (const declined of proposal.declined) logger.info(`Round ${round}: declined for ${declined.weaknessId}: ${declined.reason}`);
  }
  const carried = ctx.carried.splice(0);
  const candidates = [...carried, ...(proposal?.candidates ?? []).filter((c) => !carried.some((k) => k.id === c.id))];

  // 3. Screening on the round's fresh stream, one shared baseline for all candidates (cached across them).
  const stream = screenStream(current.hash, [...ctx.history, ...log.entries]);
  const holdout = session.holdoutTasks.length > 0;
  const roundsLeft = options.rounds - round + 1;
  // Without a held-out split the screening test is the only test: each candidate then spends its own share.
  const screenAlpha = holdout ? config.validate['screen-alpha'] : ctx.alpha.share(roundsLeft) / Math.max(1, candidates.length);
  const passed: Screened[] = [];
  let judged = 0;
  let stop: StopReason | undefined;
  for (const candidate of candidates) {
    stop = budget.exhausted();
    if (stop) break;
    const entry = (decision: HistoryEntry['decision'], reason: string, diff = '', numbers?: Record<string, number>): HistoryEntry => ({
      id: candidate.id,
      round,
      parentHash: current.hash,
      weaknessId: candidate.weaknessId,
      mechanism: candidate.mechanism,
      summary: candidate.summary,
      diff,
      decision,
      reason,
      numbers,
      at: new Date().toISOString(),
      proposer: candidate.proposer,
      stream,
    });
    const earlier = carried.includes(candidate) ? undefined : judgedBefore(candidate.id, current.hash, ctx.history, log.entries);
    if (earlier) {
      logger.info(`Round ${round}: candidate ${candidate.id} was already judged on this harness (${earlier.decision}); skipped`);
      continue;
    }
    judged += 1;
    const trial = await screenCandidate(session, commit, candidate, current, budget, { alpha: screenAlpha, stream, weaknesses });
    if ('refused' in trial) {
      logger.warn(`Round ${round}: candidate ${candidate.id} refused: ${trial.refused}`);
      log.add(entry('refused', trial.refused));
      continue;
    }
    const r = trial.report;
    if (!holdout) ctx.alpha.spend({ round, test: `train test of ${candidate.id} (no held-out split)`, alpha: screenAlpha, outcome: r.decision });
    logger.info(`Round ${round}: candidate ${candidate.id} (${candidate.summary}): screening ${r.decision}, train Δ ${(r.train.delta * 100).toFixed(1)} pts`);
    const screenedOk = r.decision === 'promote';
    log.add(
      entry(
        screenedOk && holdout ? 'inconclusive' : r.decision,
        screenedOk && holdout ? 'passed screening on the train split; not yet confirmed' : r.reason,
        trial.diff,
        numbersOf(r),
      ),
    );
    if (r.stoppedBy === 'budget') stop = budget.episodeStop('during screening');
    if (screenedOk) passed.push(trial);
    else await trial.worktree.dispose();
    if (stop) break;
  }

  // 4. The best screened candidate goes to confirmation; the others are tried again next round, on the new parent.
  const best = bestOf(passed);
  for (const other of passed) {
    if (other === best) continue;
    ctx.carried.push(other.candidate);
    log.update(other.candidate.id, 'inconclusive', 'passed screening, but another candidate of this round went to confirmation; screened again next round');
    await other.worktree.dispose();
  }
  const summary = summaryOf(weaknesses.length, candidates.length, rate);
  if (!best) return { summary, stop, judged };
  const report = holdout ? await confirm(ctx, round, roundsLeft, current, best) : best.report;
  if (report.stoppedBy === 'budget') stop ??= budget.episodeStop('during the held-out confirmation');
  if (report.decision !== 'promote') {
    logger.info(`Round ${round}: the held-out confirmation did not confirm ${best.candidate.id} (${report.decision})`);
    // Only that it was not confirmed: held-out numbers must not reach later proposals through the history.
    log.update(
      best.candidate.id,
      report.decision === 'reject' ? 'reject' : 'inconclusive',
      report.stoppedBy === 'budget' ? 'the budget ran out during the held-out confirmation' : 'not confirmed by the sealed held-out split',
    );
    await best.worktree.dispose();
    return { summary, stop, judged };
  }
  return { summary, stop, judged, confirmed: { screened: best, report, weakness: weaknesses.find((w) => w.id === best.candidate.weaknessId) } };
}
