// The Self-Harness loop: rounds of mine -> propose -> screen -> confirm (src/flows/evolve-round.ts); a confirmed change
// is committed on a local branch. The run's alpha is shared by its confirmations (src/flows/alpha-ledger.ts).
import path from 'node:path';
import type { EvolveResult, EvolveRoundSummary } from '../domain/flows.js';
import type { EvolveOptions } from './options.js';
import type { HarnessVersion } from '../domain/types.js';
import { UserError, silentLogger } from '../domain/types.js';
import type { StopReason } from '../domain/stop.js';
import { openSession, type Session } from './session.js';
import { estimateEvolve, BudgetTracker } from './budget.js';
import { AlphaLedger } from './alpha-ledger.js';
import { runRound } from './evolve-round.js';
import type { RoundContext } from './evolve-context.js';
import { RoundHistory, dedupeHistory } from './evolve-lineage.js';
import { errorControlOf, finish, promote, runDecision, spentOf } from './evolve-outcome.js';
import { createProposer } from '../propose/select.js';
import { appendHistory, readHistory, historyFile } from '../propose/history.js';
import { checkBranchUsable, setBranch } from '../git/candidate-worktree.js';
import { resolveRef } from '../git/git.js';
import { changedFiles, unifiedDiff } from '../git/diff.js';

export async function evolve(options: EvolveOptions): Promise<EvolveResult> {
  const logger = options.logger ?? silentLogger;
  // The session hands the model back behind the held-out guard: every request is checked against the sealed split.
  const session = await openSession({
    loaded: options.loaded,
    stateDir: options.stateDir,
    logger,
    ...(options.runner ? { runner: options.runner } : {}),
    ...(options.model ? { model: options.model } : {}),
  });
  try {
    return await evolveIn(session, options);
  } finally {
    await session.dispose();
  }
}

async function evolveIn(session: Session, options: EvolveOptions): Promise<EvolveResult> {
  const config = options.loaded.config;
  const logger = session.logger;
  const estimate = estimateEvolve({
    trainTasks: session.trainTasks.length,
    holdoutTasks: session.holdoutTasks.length,
    attempts: config.suite.attempts,
    rounds: options.rounds,
    candidates: config.propose.candidates,
    maxAttempts: config.validate['max-attempts'],
    holdoutAttempts: config.validate['holdout-attempts'],
    model: options.model
      ? {
          maxClusters: config.mining['max-clusters'],
          evidenceTokens: config.mining['evidence-tokens'],
          inputUsdPerMtok: config.model['input-usd-per-mtok'],
          outputUsdPerMtok: config.model['output-usd-per-mtok'],
        }
      : undefined,
  });
  logger.info(`Estimate (upper bound): ${estimate.episodes} episodes, ${estimate.tokens} tokens, $${estimate.usd.toFixed(2)}`);
  for (const line of estimate.lines) logger.info(`  ${line}`);
  const budget = new BudgetTracker(options.budget);
  const baseCommit = await resolveRef(session.gitTop, options.baseRef ?? 'HEAD');
  const shell = { baseCommit, estimate: { episodes: estimate.episodes, tokens: estimate.tokens, usd: estimate.usd } };
  const empty = { changedFiles: [], diff: '', rounds: [], targeted: [] };

  if (options.dryRun) {
    return finish(session, options, {
      ...shell,
      ...empty,
      decision: 'inconclusive',
      reason: 'Dry run: the estimate only; nothing was run.',
      spent: spentOf(budget),
    });
  }
  if (session.trainTasks.length === 0) {
    throw new UserError(
      `the train split is empty (${session.suite.tasks.length} task(s), suite.holdout ${config.suite.holdout}): add tasks or lower suite.holdout; evolution mines and validates on the train split.`,
    );
  }
  // Checked before any work, so a bad --branch cannot strand a validated commit at the end.
  const branchName = options.branch ?? 'self-harness/evolve';
  await checkBranchUsable(session.gitTop, branchName);

  // Two files: the committed lineage (travels with promoted changes) and this machine's own runs, kept in the state
  // dir so the working copy never grows an untracked copy of the committed file (that would block a merge).
  const historyPath = historyFile(options.loaded.root);
  const localHistoryPath = path.join(options.stateDir, 'history.local.jsonl');
  const ctx: RoundContext = {
    session,
    options,
    budget,
    alpha: new AlphaLedger(config.validate.alpha),
    proposer: options.proposer ?? createProposer(config.propose.proposer, session.model),
    history: dedupeHistory([...(await readHistory(historyPath)), ...(await readHistory(localHistoryPath))]),
    log: new RoundHistory(),
    carried: [],
  };
  const rounds: EvolveRoundSummary[] = [];
  const targeted: EvolveResult['targeted'] = [];
  const changes: NonNullable<EvolveResult['changes']> = [];
  let lastValidation: EvolveResult['validation'];
  let stop: StopReason | undefined;
  let baselineRate: number | undefined;
  let currentCommit = baseCommit;
  let current: HarnessVersion = await session.versionAt(baseCommit, 'base');

  for (let round = 1; round <= options.rounds; round++) {
    const result = await runRound(ctx, round, current, currentCommit);
    baselineRate ??= result.summary.trainRate;
    const summary: EvolveRoundSummary = { ...result.summary };
    if (result.confirmed) {
      const promoted = await promote(ctx, result.confirmed, round, historyPath);
      if (promoted) {
        currentCommit = promoted.commit;
        // The next round runs from a fresh checkout of the commit, not the worktree its episodes wrote in.
        current = await session.versionAt(currentCommit, currentCommit.slice(0, 12));
        lastValidation = result.confirmed.report;
        summary.promoted = [result.confirmed.screened.candidate.id];
        const { id: candidateId, summary: what, rationale } = result.confirmed.screened.candidate;
        changes.push({ round, candidateId, summary: what, rationale });
        summary.trainRate = result.confirmed.report.train.candidate.rate;
        summary.trainCi = result.confirmed.report.train.candidate.ci;
        const w = result.confirmed.weakness;
        if (w && !targeted.some((t) => t.id === w.id)) {
          targeted.push({
            id: w.id,
            failureClass: w.signature.failureClass,
            tasks: w.tasks,
            diagnosis: w.diagnosis,
            evidence: w.evidence.map((e) => e.excerpt),
          });
        }
      }
    }
    rounds.push(summary);
    stop = result.stop;
    if (stop) break;
    if (result.judged === 0 && ctx.carried.length === 0) {
      stop = { kind: 'nothing-new' };
      break;
    }
  }

  const promotedAny = currentCommit !== baseCommit;
  let files: EvolveResult['changedFiles'] = [];
  let diff = '';
  if (promotedAny) {
    await setBranch(session.gitTop, branchName, currentCommit);
    // The report shows the harness change; the history file travels in the same commit but is bookkeeping.
    const historyRel = path.relative(session.gitTop, historyPath).split(path.sep).join('/');
    files = (await changedFiles(session.gitTop, baseCommit, currentCommit)).filter((f) => f.path !== historyRel);
    diff = await unifiedDiff(
      session.gitTop,
      baseCommit,
      currentCommit,
      files.map((f) => f.path),
    );
  }
  await appendHistory(localHistoryPath, ctx.log.entries);
  const judgedAny = ctx.log.entries.some((e) => e.decision === 'reject' || e.decision === 'inconclusive');
  const promotedCount = rounds.flatMap((r) => r.promoted).length;
  const { decision, reason } = runDecision(promotedCount, rounds.length, stop, judgedAny, promotedAny ? branchName : undefined);
  return finish(
    session,
    options,
    {
      ...shell,
      decision,
      reason,
      ...(promotedAny ? { branch: branchName, commit: currentCommit } : {}),
      changedFiles: files,
      diff,
      validation: lastValidation,
      rounds,
      targeted,
      changes,
      spent: spentOf(ctx.budget),
      errorControl: errorControlOf(ctx.alpha, session.holdoutTasks.length > 0),
    },
    baselineRate,
  );
}
