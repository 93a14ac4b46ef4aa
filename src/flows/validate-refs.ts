// `validate --base REF --head REF`: judge any harness change (a person's or the bot's) against its baseline.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ValidateRefsResult } from '../domain/flows.js';
import type { ValidateRefsOptions } from './options.js';
import { openSession, type Session } from './session.js';
import { validateCandidate } from '../validate/validate.js';
import { holdoutUsesCounter } from '../store/holdout-uses.js';
import { changedFiles, unifiedDiff } from '../git/diff.js';
import { classifyChangedPaths } from '../harness/surface.js';
import { LOCAL_CLI, renderValidationMarkdown } from '../report/markdown.js';
import { BudgetTracker } from './budget.js';
import type { HarnessVersion } from '../domain/types.js';
import type { Question, ValidationReport } from '../domain/validation.js';
import { planEpisodes } from '../domain/plan.js';
import { selectShard, type Shard } from '../domain/shard.js';

export async function validateRefs(options: ValidateRefsOptions): Promise<ValidateRefsResult> {
  const session = await openSession({
    loaded: options.loaded,
    stateDir: options.stateDir,
    logger: options.logger,
    ...(options.runner ? { runner: options.runner } : {}),
  });
  try {
    const baseline = await session.versionAt(options.base, options.base);
    const candidate = await session.versionAt(options.head, options.head, { judgedOn: options.base });
    const files = await changedFiles(session.gitTop, baseline.commit, candidate.commit);
    const outsideSurface = classifyChangedPaths(
      files.map((file) => file.path),
      { policy: session.surface.policy, configDir: session.configSubdir },
    ).outside.map((o) => o.path);
    const surfaceFiles = files.filter((file) => !outsideSurface.includes(file.path));
    const diff =
      surfaceFiles.length > 0
        ? await unifiedDiff(
            session.gitTop,
            baseline.commit,
            candidate.commit,
            surfaceFiles.map((f) => f.path),
          )
        : '';
    const budget = new BudgetTracker(options.budget ?? {});
    // A person's change is asked "does it regress?" (non-inferiority); the bot's own changes are asked "is it better?".
    const question = options.question ?? 'non-inferiority';
    const runHoldout = question === 'superiority' && (options.confirmHoldout ?? true);
    const report = await judge(session, baseline, candidate, { runHoldout, budget, question });
    const reproduce = `${LOCAL_CLI} validate --base ${baseline.commit.slice(0, 12)} --head ${candidate.commit.slice(0, 12)}${session.configSubdir ? ` --config ${path.posix.join(session.configSubdir, path.basename(options.loaded.path))}` : ''}`;
    const markdown = renderValidationMarkdown(report, { diff, outsideSurface, reproduce });
    const reportPath = await writeReport(options.stateDir, 'validate', { ...report, changedFiles: surfaceFiles, outsideSurface });
    return { report, changedFiles: surfaceFiles, outsideSurface, diff, markdown, reportPath };
  } finally {
    await session.dispose();
  }
}

/** Validates one candidate harness against a baseline with the config's statistics settings. */
export async function judge(
  session: Session,
  baseline: HarnessVersion,
  candidate: HarnessVersion,
  options: {
    runHoldout: boolean;
    budget: BudgetTracker;
    targetedTasks?: string[];
    confirm?: ValidationReport;
    question?: Question;
    /** Overrides validate.alpha for the train test (evolve's screen-alpha). */
    alpha?: number;
    /** The held-out confirmation's alpha (evolve's share of the run's alpha). */
    confirmAlpha?: number;
    streams?: { train?: string; holdout?: string };
  },
): Promise<ValidationReport> {
  const v = session.loaded.config.validate;
  const suite = session.loaded.config.suite;
  const before = { ...session.counts };
  const report = await validateCandidate({
    baseline,
    candidate,
    trainTasks: session.trainTasks,
    holdoutTasks: session.holdoutTasks,
    targetedTasks: options.targetedTasks,
    runHoldout: options.runHoldout && session.holdoutTasks.length > 0,
    settings: {
      alpha: v.alpha,
      beta: v.beta,
      minEffect: v['min-effect'],
      maxAttempts: v['max-attempts'],
      allowedRegressions: v['allowed-regressions'],
      reliablePassRate: v['reliable-pass-rate'],
      holdoutAttempts: v['holdout-attempts'],
      concurrency: suite.concurrency,
      question: options.question ?? 'superiority',
      margin: v['regression-margin'],
      regressionBeta: v['regression-beta'],
      confirmBeta: v['confirm-beta'],
      ...(options.confirmAlpha !== undefined ? { confirmAlpha: options.confirmAlpha } : {}),
      ...(options.alpha !== undefined ? { alpha: options.alpha } : {}),
    },
    ...(options.streams ? { streams: options.streams } : {}),
    runEpisodes: (plans) => session.run(plans),
    holdoutUses: holdoutUsesCounter(session.stateDir),
    logger: session.logger,
    budget: { episodesLeft: () => options.budget.episodesLeft() - (session.counts.run - before.run) },
    ...(options.confirm ? { confirm: options.confirm } : {}),
  });
  options.budget.addEpisodes(session.counts.run - before.run, session.counts.cached - before.cached);
  return report;
}

export async function writeReport(stateDir: string, kind: string, report: unknown): Promise<string> {
  const dir = path.join(stateDir, 'reports');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify(report, null, 2) + '\n');
  return file;
}

export interface ShardPrerun {
  shard: string;
  /** Episodes in this shard's part of the worst-case plan, and how many of them were new. */
  planned: number;
  run: number;
  cached: number;
  /** Every episode the validation could need: both sides, every train task to max-attempts, the held-out confirmation. */
  worstCase: number;
}

/**
 * Pre-runs one shard of every episode a validation of base..head could need (the sequential test's worst case), so
 * that N machines share the work; the decision is then taken once, on the merged state, by `validateRefs` (all cached).
 */
export async function prerunValidationShard(options: ValidateRefsOptions & { shard: Shard }): Promise<ShardPrerun> {
  const session = await openSession({ loaded: options.loaded, stateDir: options.stateDir, logger: options.logger });
  try {
    const v = session.loaded.config.validate;
    const plans = [];
    for (const ref of [options.base, options.head]) {
      const version = await session.versionAt(ref, ref, { judgedOn: options.base });
      plans.push(...planEpisodes(session.trainTasks, () => 'train', version, v['max-attempts']));
      if ((options.question ?? 'non-inferiority') === 'superiority' && (options.confirmHoldout ?? true))
        plans.push(...planEpisodes(session.holdoutTasks, () => 'holdout', version, v['holdout-attempts']));
    }
    const mine = selectShard(plans, options.shard.index, options.shard.count, session.runner);
    await session.run(mine, options.shard.label);
    return { shard: options.shard.label, planned: mine.length, run: session.counts.run, cached: session.counts.cached, worstCase: plans.length };
  } finally {
    await session.dispose();
  }
}
