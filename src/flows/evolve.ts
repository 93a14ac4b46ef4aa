// The Self-Harness loop: rounds of mine -> propose -> validate; a promoted change is committed on a local branch.
import path from 'node:path';
import type { EvolveResult, EvolveRoundSummary } from '../domain/flows.js';
import type { EvolveOptions } from './options.js';
import type { HarnessVersion, Logger } from '../domain/types.js';
import { silentLogger, UserError } from '../domain/types.js';
import { openSession, type Session } from './session.js';
import { keyOf, planEpisodes } from '../domain/plan.js';
import { isReusable } from './episode-pool.js';
import { episodeId } from '../domain/episode-id.js';
import { summarize } from '../report/run-summary.js';
import { estimateEvolve, BudgetTracker } from './budget.js';
import { judge, writeReport } from './validate-refs.js';
import { mineWeaknesses } from '../mining/mine.js';
import type { Weakness } from '../mining/types.js';
import { readEpisodeArtifacts } from '../traces/read.js';
import { createProposer } from '../propose/select.js';
import { applyCandidate, applyCandidates } from '../propose/apply.js';
import type { Candidate, HistoryEntry } from '../propose/types.js';
import { appendHistory, readHistory, historyFile } from '../propose/history.js';
import { checkBranchUsable, createCandidateWorktree, setBranch, type CandidateWorktree } from '../git/candidate-worktree.js';
import { resolveRef } from '../git/git.js';
import { changedFiles, unifiedDiff } from '../git/diff.js';
import { renderEvolveMarkdown } from '../report/markdown.js';
import { harnessVersion } from '../harness/surface.js';
import type { ValidationReport } from '../domain/validation.js';

interface Accepted {
  candidates: Candidate[];
  worktree: CandidateWorktree;
  version: HarnessVersion;
  report: ValidationReport;
  changed: string[];
}

export async function evolve(options: EvolveOptions): Promise<EvolveResult> {
  const logger = options.logger ?? silentLogger;
  const session = await openSession({ loaded: options.loaded, stateDir: options.stateDir, logger, ...(options.model ? { model: options.model } : {}) });
  const config = options.loaded.config;
  const estimate = estimateEvolve({
    trainTasks: session.trainTasks.length,
    holdoutTasks: session.holdoutTasks.length,
    attempts: config.suite.attempts,
    rounds: options.rounds,
    candidates: config.propose.candidates,
    maxAttempts: config.validate['max-attempts'],
    holdoutAttempts: config.validate['holdout-attempts'],
    model: options.model
      ? { maxClusters: config.mining['max-clusters'], evidenceTokens: config.mining['evidence-tokens'], inputUsdPerMtok: config.model['input-usd-per-mtok'], outputUsdPerMtok: config.model['output-usd-per-mtok'] }
      : undefined,
  });
  logger.info(`Estimate (upper bound): ${estimate.episodes} episodes, ${estimate.tokens} tokens, $${estimate.usd.toFixed(2)}`);
  for (const line of estimate.lines) logger.info(`  ${line}`);
  const budget = new BudgetTracker(options.budget);
  const baseCommit = await resolveRef(session.gitTop, options.baseRef ?? 'HEAD');
  const shell = { baseCommit, estimate: { episodes: estimate.episodes, tokens: estimate.tokens, usd: estimate.usd } };

  if (options.dryRun) {
    await session.dispose();
    return finish(session, options, {
      ...shell,
      decision: 'inconclusive',
      reason: 'Dry run: the estimate only; nothing was run.',
      changedFiles: [],
      diff: '',
      rounds: [],
      targeted: [],
      spent: spentOf(budget),
    });
  }

  if (session.trainTasks.length === 0) {
    await session.dispose();
    throw new UserError(`the train split is empty (${session.suite.tasks.length} task(s), suite.holdout ${config.suite.holdout}): add tasks or lower suite.holdout; evolution mines and validates on the train split.`);
  }
  // Checked before any work, so a bad --branch cannot strand a validated commit at the end.
  const branchName = options.branch ?? 'self-harness/evolve';
  await checkBranchUsable(session.gitTop, branchName).catch(async (error) => {
    await session.dispose();
    throw error;
  });

  // Two files: the committed lineage (travels with promoted changes) and this machine's own runs, kept in the state
  // dir so the working copy never grows an untracked copy of the committed file (that would block a merge).
  const historyPath = historyFile(options.loaded.root);
  const localHistoryPath = path.join(options.stateDir, 'history.local.jsonl');
  const history = dedupeHistory([...(await readHistory(historyPath)), ...(await readHistory(localHistoryPath))]);
  const log = new RoundHistory();
  const proposer = createProposer(config.propose.proposer, session.model);
  const rounds: EvolveRoundSummary[] = [];
  const targeted: EvolveResult['targeted'] = [];
  let lastValidation: ValidationReport | undefined;
  let stopReason = '';
  let baselineRate: number | undefined;
  let currentCommit = baseCommit;
  let current: HarnessVersion = await session.versionAt(baseCommit, 'base');
  const budgetStop = (report: ValidationReport) => {
    if (report.reason.startsWith('budget exhausted')) stopReason ||= budget.exhausted() ?? 'episode budget exhausted during validation';
  };

  try {
    for (let round = 1; round <= options.rounds; round++) {
      const exhausted = budget.exhausted();
      if (exhausted) { stopReason = exhausted; break; }
      const plans = planEpisodes(session.trainTasks, () => 'train', current, config.suite.attempts);
      const fresh = plans.filter((plan) => !isReusable(session.store.get(episodeId(keyOf(plan, session.runner))))).length;
      if (fresh > budget.episodesLeft()) {
        stopReason = `episode budget exhausted: round ${round}'s train run needs ${fresh} new episode(s), ${budget.episodesLeft()} left`;
        break;
      }
      logger.info(`Round ${round}: running the train split on harness ${current.hash.slice(0, 12)}`);
      const runBefore = { ...session.counts };
      const records = await session.run(plans);
      budget.addEpisodes(session.counts.run - runBefore.run, session.counts.cached - runBefore.cached);
      const summary = summarize(records);
      baselineRate ??= summary.rate;

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
      if (weaknesses.length === 0) {
        rounds.push(roundSummary(round, 0, 0, [], summary));
        stopReason = 'no harness-fixable weakness left in the train split';
        break;
      }
      const afterMining = budget.exhausted();
      if (afterMining) { stopReason = afterMining; rounds.push(roundSummary(round, weaknesses.length, 0, [], summary)); break; }

      const proposal = await proposer.propose({
        weaknesses,
        passingTasks: mining.passingTasks,
        surface: session.surface,
        harnessRoot: current.root,
        history: [...history, ...log.entries],
        count: config.propose.candidates,
        limits: { maxEditLines: config.propose['max-edit-lines'], maxRoundLines: config.propose['max-round-lines'] },
        focus: options.focus,
        logger,
      });
      budget.addUsage(proposal.usage);
      for (const dropped of proposal.dropped) logger.warn(`Round ${round}: proposal dropped: ${dropped.reason}`);
      for (const declined of proposal.declined) logger.info(`Round ${round}: declined for ${declined.weaknessId}: ${declined.reason}`);

      const accepted: Accepted[] = [];
      let judgedThisRound = 0;
      for (const candidate of proposal.candidates) {
        const stop = budget.exhausted() || stopReason;
        if (stop) { stopReason = stop; break; }
        const entry = (decision: HistoryEntry['decision'], reason: string, diff = '', numbers?: Record<string, number>): HistoryEntry => ({
          id: candidate.id, round, parentHash: current.hash, weaknessId: candidate.weaknessId, mechanism: candidate.mechanism,
          summary: candidate.summary, diff, decision, reason, numbers, at: new Date().toISOString(), proposer: candidate.proposer,
        });
        // The same edit on the same parent was judged before: skip it. An earlier run's "inconclusive" is tried again
        // (the budget or the settings may differ now); this run's is not (its episodes are cached: it would repeat).
        const judgedBefore = [...history.filter((e) => e.decision !== 'inconclusive'), ...log.entries]
          .find((e) => e.id === candidate.id && e.parentHash === current.hash && e.decision !== 'dropped');
        if (judgedBefore) {
          logger.info(`Round ${round}: candidate ${candidate.id} was already judged on this harness (${judgedBefore.decision}); skipped`);
          continue;
        }
        judgedThisRound += 1;
        const trial = await tryCandidates(session, currentCommit, [candidate], config, current, budget, weaknesses);
        if ('refused' in trial) {
          logger.warn(`Round ${round}: candidate ${candidate.id} refused: ${trial.refused}`);
          log.add(entry('refused', trial.refused));
          continue;
        }
        const r = trial.report;
        budgetStop(r);
        logger.info(`Round ${round}: candidate ${candidate.id} (${candidate.summary}): ${r.decision}, train Δ ${(r.train.delta * 100).toFixed(1)} pts`);
        log.add(entry(r.decision, r.reason, trial.diff, numbersOf(r)));
        if (r.decision === 'promote') accepted.push(trial);
        else await trial.worktree.dispose();
      }

      const chosen = await chooseAccepted(session, currentCommit, accepted, config, current, budget, weaknesses, logger);
      let promoted: string[] = [];
      if (chosen) {
        for (const other of accepted.flatMap((a) => a.candidates)) {
          if (!chosen.candidates.includes(other)) log.update(other.id, 'inconclusive', 'passed the train test, but another candidate of this round was promoted instead');
        }
        logger.info(`Round ${round}: confirming ${chosen.candidates.map((c) => c.id).join('+')} on the sealed held-out split`);
        // Only the held-out part runs: the train result is the one the candidate was chosen on.
        const confirmation = await judge(session, current, chosen.version, { runHoldout: true, budget, confirm: chosen.report });
        budgetStop(confirmation);
        // Episodes ran inside the candidate's worktree: commit only if its harness is still exactly what was validated.
        const drifted = confirmation.decision === 'promote' && (await session.surface.hash(chosen.version.root)) !== chosen.version.hash;
        if (drifted) {
          logger.warn(`Round ${round}: harness files in the candidate's worktree changed while its episodes ran; not promoted`);
          for (const c of chosen.candidates) log.update(c.id, 'refused', 'harness files changed while validation episodes ran (an episode wrote into the harness)');
          await chosen.worktree.dispose();
        } else if (confirmation.decision === 'promote') {
          lastValidation = confirmation;
          promoted = chosen.candidates.map((c) => c.id);
          for (const id of promoted) log.update(id, 'promote', confirmation.reason);
          const relHistory = path.join(session.configSubdir, path.relative(options.loaded.root, historyPath));
          // The branch's history file already holds what earlier promotions committed: add only the rest.
          await appendHistory(path.join(chosen.worktree.root, relHistory), log.uncommitted());
          currentCommit = await chosen.worktree.commit(
            [...chosen.changed.map((f) => path.join(session.configSubdir, f)), relHistory],
            commitMessage(chosen.candidates, confirmation),
          );
          log.markCommitted();
          // The next round runs from a fresh checkout of the commit, not the worktree its episodes wrote in.
          current = await session.versionAt(currentCommit, currentCommit.slice(0, 12));
          await chosen.worktree.dispose();
          for (const c of chosen.candidates) {
            const w = weaknesses.find((x) => x.id === c.weaknessId);
            if (w && !targeted.some((t) => t.id === w.id)) {
              targeted.push({ id: w.id, failureClass: w.signature.failureClass, tasks: w.tasks, diagnosis: w.diagnosis, evidence: w.evidence.map((e) => e.excerpt) });
            }
          }
        } else {
          logger.info(`Round ${round}: held-out confirmation did not confirm (${confirmation.decision})`);
          // Only that it was vetoed: held-out numbers must not reach later proposals through the history.
          const why = confirmation.reason.startsWith('budget exhausted') ? confirmation.reason : 'vetoed by the sealed held-out confirmation';
          for (const c of chosen.candidates) log.update(c.id, confirmation.decision, why);
          await chosen.worktree.dispose();
        }
      }
      const rate = lastValidation && promoted.length > 0 ? lastValidation.train.candidate.rate : summary.rate;
      const ci = lastValidation && promoted.length > 0 ? lastValidation.train.candidate.ci : summary.ci;
      rounds.push(roundSummary(round, weaknesses.length, proposal.candidates.length, promoted, { rate, ci }));
      if (stopReason) break;
      if (judgedThisRound === 0) {
        stopReason = 'no new candidate: every proposal was already judged on this harness';
        break;
      }
    }

    const promotedAny = currentCommit !== baseCommit;
    let branch: string | undefined;
    let diff = '';
    let files: EvolveResult['changedFiles'] = [];
    if (promotedAny) {
      branch = branchName;
      await setBranch(session.gitTop, branch, currentCommit);
      // The report shows the harness change; the history file travels in the same commit but is bookkeeping.
      const historyRel = path.relative(session.gitTop, historyPath).split(path.sep).join('/');
      files = (await changedFiles(session.gitTop, baseCommit, currentCommit)).filter((f) => f.path !== historyRel);
      diff = await unifiedDiff(session.gitTop, baseCommit, currentCommit, files.map((f) => f.path));
    }
    await appendHistory(localHistoryPath, log.entries);
    // Rejected when candidates were judged and none held; inconclusive when the budget stopped the run or nothing could be judged.
    const judged = log.entries.some((e) => e.decision === 'reject' || e.decision === 'inconclusive');
    const decision: EvolveResult['decision'] = promotedAny ? 'promote' : stopReason.includes('budget') || !judged ? 'inconclusive' : 'reject';
    const reason = promotedAny
      ? `Promoted ${rounds.flatMap((r) => r.promoted).length} change(s) after ${rounds.length} round(s); committed on branch ${branch}.${stopReason ? ` Stopped: ${stopReason}.` : ''}`
      : `Nothing promoted after ${rounds.length} round(s)${stopReason ? `: ${stopReason}` : ''}.`;
    return await finish(session, options, {
      ...shell,
      decision,
      reason,
      branch,
      commit: promotedAny ? currentCommit : undefined,
      changedFiles: files,
      diff,
      validation: lastValidation,
      rounds,
      targeted,
      spent: spentOf(budget),
    }, baselineRate);
  } finally {
    await session.dispose();
  }
}

function dedupeHistory(entries: HistoryEntry[]): HistoryEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const key = `${e.id}|${e.parentHash}|${e.round}|${e.at}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** This run's candidate lineage: one entry per candidate, updated in place as its verdict changes. */
class RoundHistory {
  readonly entries: HistoryEntry[] = [];
  private committed = 0;

  add(entry: HistoryEntry): void {
    this.entries.push(entry);
  }

  /** Replaces the verdict of the latest entry of `id` (e.g. a held-out veto after a train promote). */
  update(id: string, decision: HistoryEntry['decision'], reason: string): void {
    const index = this.entries.map((e) => e.id).lastIndexOf(id);
    if (index >= 0) this.entries[index] = { ...this.entries[index]!, decision, reason };
  }

  /** Entries not yet in a committed history file. */
  uncommitted(): HistoryEntry[] {
    return this.entries.slice(this.committed);
  }

  markCommitted(): void {
    this.committed = this.entries.length;
  }
}

/** Applies candidates in a fresh worktree at `commit` and validates them (train split only) against `current`. */
async function tryCandidates(
  session: Session, commit: string, candidates: Candidate[], config: EvolveOptions['loaded']['config'],
  current: HarnessVersion, budget: BudgetTracker, weaknesses: Weakness[],
): Promise<Accepted & { diff: string } | { refused: string }> {
  const worktree = await createCandidateWorktree(session.gitTop, commit, session.stateDir, candidates.map((c) => c.id).join('+'));
  const dir = path.join(worktree.root, session.configSubdir);
  const limits = { maxEditLines: config.propose['max-edit-lines'], maxRoundLines: config.propose['max-round-lines'] };
  let changed: string[];
  let diff: string;
  try {
    // A merge is applied as one all-or-nothing change, with one diff and the round's line limit over the whole.
    const applied = candidates.length === 1
      ? await applyCandidate(candidates[0]!, dir, session.surface, limits)
      : await applyCandidates(candidates, dir, session.surface, limits);
    changed = applied.changedFiles;
    diff = applied.diff;
  } catch (error) {
    await worktree.dispose();
    return { refused: (error as Error).message };
  }
  try {
    const version = await harnessVersion(session.surface, dir, candidates.map((c) => c.id).join('+'));
    const report = await judge(session, current, version, { runHoldout: false, budget, targetedTasks: targetedTasks(candidates, weaknesses) });
    return { candidates, worktree, version, report, changed, diff };
  } catch (error) {
    await worktree.dispose();
    throw error;
  }
}

/** One accepted candidate as is; several are merged and the merge validated again, else the best single one. */
async function chooseAccepted(
  session: Session, commit: string, accepted: Accepted[], config: EvolveOptions['loaded']['config'],
  current: HarnessVersion, budget: BudgetTracker, weaknesses: Weakness[], logger: Logger,
): Promise<Accepted | undefined> {
  if (accepted.length === 0) return undefined;
  const best = [...accepted].sort((a, b) => b.report.train.delta - a.report.train.delta)[0]!;
  if (accepted.length === 1 || budget.exhausted()) {
    for (const a of accepted) if (a !== best) await a.worktree.dispose();
    return best;
  }
  logger.info(`Merging ${accepted.length} accepted candidates and validating the merge`);
  const merged = await tryCandidates(session, commit, accepted.flatMap((a) => a.candidates), config, current, budget, weaknesses);
  if (!('refused' in merged) && merged.report.decision === 'promote' && merged.report.train.delta >= best.report.train.delta) {
    for (const a of accepted) await a.worktree.dispose();
    return merged;
  }
  if ('refused' in merged) logger.info(`Merge not applicable (${merged.refused}); keeping the best single candidate`);
  else {
    logger.info(`Merge not better than the best single candidate (${merged.report.decision}); keeping it`);
    await merged.worktree.dispose();
  }
  for (const a of accepted) if (a !== best) await a.worktree.dispose();
  return best;
}

function targetedTasks(candidates: Candidate[], weaknesses: Weakness[]): string[] {
  const ids = new Set<string>();
  for (const c of candidates) {
    c.predictedFixes.forEach((t) => ids.add(t));
    weaknesses.find((w) => w.id === c.weaknessId)?.tasks.forEach((t) => ids.add(t));
  }
  return [...ids];
}

/** Narrows weaknesses to those whose class, fingerprint or diagnosis mention a word of the focus text. */
function focusOn(weaknesses: Weakness[], focus?: string): Weakness[] {
  const words = (focus ?? '').toLowerCase().split(/[^a-z0-9-]+/).filter((w) => w.length >= 3);
  if (words.length === 0) return weaknesses;
  const matching = weaknesses.filter((w) => {
    const text = `${w.signature.failureClass} ${w.signature.fingerprint} ${w.diagnosis ?? ''} ${w.labels?.terminalCause ?? ''}`.toLowerCase();
    return words.some((word) => text.includes(word));
  });
  return matching.length > 0 ? matching : weaknesses;
}

function numbersOf(report: ValidationReport): Record<string, number> {
  return {
    train_baseline_rate: report.train.baseline.rate,
    train_candidate_rate: report.train.candidate.rate,
    train_delta: report.train.delta,
    regressions: report.train.regressions.length,
    fixes: report.train.fixes.length,
    episodes_run: report.episodes.run,
  };
}

function roundSummary(round: number, weaknesses: number, candidates: number, promoted: string[], summary: { rate: number; ci: { low: number; high: number } }): EvolveRoundSummary {
  return { round, weaknesses, candidates, promoted, trainRate: summary.rate, trainCi: summary.ci };
}

function commitMessage(candidates: Candidate[], report: ValidationReport): string {
  const title = candidates.length === 1 ? candidates[0]!.summary : `${candidates.length} harness edits: ${candidates.map((c) => c.mechanism).join(', ')}`;
  const pts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;
  return [
    `self-harness: ${title}`.slice(0, 72),
    '',
    ...candidates.map((c) => `- ${c.id} (${c.mechanism}, weakness ${c.weaknessId}): ${c.rationale}`.slice(0, 300)),
    '',
    `Validated: train ${pts(report.train.delta)} (${report.train.baseline.passed}/${report.train.baseline.total} -> ${report.train.candidate.passed}/${report.train.candidate.total})` +
      (report.holdout ? `, held-out ${pts(report.holdout.delta)} (${report.holdout.baseline.passed}/${report.holdout.baseline.total} -> ${report.holdout.candidate.passed}/${report.holdout.candidate.total})` : ''),
  ].join('\n');
}

function spentOf(budget: BudgetTracker): EvolveResult['spent'] {
  return { episodes: budget.episodes, cachedEpisodes: budget.cachedEpisodes, inputTokens: budget.inputTokens, outputTokens: budget.outputTokens, costUsd: budget.usd };
}

async function finish(
  session: Session, options: EvolveOptions, result: Omit<EvolveResult, 'markdown' | 'reportPath'>, baselineRate?: number,
): Promise<EvolveResult> {
  const configArg = session.configSubdir ? ` --config ${path.posix.join(session.configSubdir, path.basename(options.loaded.path))}` : '';
  const reproduce = result.commit
    ? `git fetch origin ${result.branch ?? ''} && npx self-harness validate --base ${result.baseCommit.slice(0, 12)} --head ${result.commit.slice(0, 12)}${configArg}`
    : `npx self-harness evolve --rounds ${options.rounds}${configArg}`;
  const markdown = renderEvolveMarkdown(result, { reproduce, baselineRate });
  const reportPath = await writeReport(options.stateDir, 'evolve', result);
  return { ...result, markdown, reportPath };
}
