// The validation driver: runs paired baseline/candidate episodes batch by batch on the train split, looks at the
// sequential test after each batch and confirms suspected regressions; for a candidate that passed, the sealed held-out
// split then runs its own sequential test on fresh episodes, at the confirmation's alpha: both must pass.
import type { EpisodePlan } from '../domain/plan.js';
import type { EpisodeRecord, HarnessVersion, Logger, Split, Task } from '../domain/types.js';
import { silentLogger, UserError } from '../domain/types.js';
import { accumulateUsage, zeroUsage } from '../domain/usage.js';
import { countPairs, tallyByTask } from '../stats/paired.js';
import { judgeTasks, suspectedRegressions } from '../stats/regressions.js';
import {
  describeDesign,
  netView,
  startSequentialTest,
  takeLook,
  type Question,
  type SequentialDesign,
  type SequentialState,
} from '../stats/sequential-test.js';
import { signTestPValue } from '../stats/sign-test.js';
import { compareSplit, pairedOutcomes, publicComparison, type EpisodeSlot } from './compare.js';
import type { HoldoutUses } from '../store/holdout-uses.js';
import { batchPairsFor, initialSchedule, isUninformative, nextPairs, pairPlans, SKIP_AFTER, type TaskSchedule } from './schedule.js';
import type { Decision, SequentialTrace, ValidationReport } from '../domain/validation.js';

export interface ValidateSettings {
  alpha: number;
  beta: number;
  minEffect: number;
  maxAttempts: number;
  allowedRegressions: number;
  reliablePassRate: number;
  /** Paired attempts per held-out task at most, per side, in the held-out confirmation. */
  holdoutAttempts: number;
  concurrency: number;
  /** The question (default superiority: "better by min-effect?"); non-inferiority asks "not worse by `margin`?". */
  question?: Question;
  /** Non-inferiority margin (absolute points); required for that question. */
  margin?: number;
  /** Non-inferiority: the chance of failing a change with no effect (default `beta`). */
  regressionBeta?: number;
  /** The held-out confirmation's alpha (default `alpha`): evolve passes its share of the run's alpha here. */
  confirmAlpha?: number;
  /** The held-out confirmation's beta (default `beta`): its futility side only saves episodes, so it may be small. */
  confirmBeta?: number;
}

export interface ValidateInput {
  baseline: HarnessVersion;
  candidate: HarnessVersion;
  trainTasks: Task[];
  holdoutTasks: Task[];
  /** Train task ids the candidate is predicted to fix: run first. */
  targetedTasks?: string[];
  /** Run the sealed held-out split as a confirmation when the train test passes. */
  runHoldout: boolean;
  settings: ValidateSettings;
  /** Runs plans and returns their records in plan order; cached episodes come back without a new run. */
  runEpisodes: (plans: EpisodePlan[]) => Promise<EpisodeRecord[]>;
  holdoutUses: HoldoutUses;
  logger?: Logger;
  /** Stops (inconclusive, stoppedBy 'budget') before a batch would exceed it. */
  budget?: { episodesLeft(): number };
  /** Shape of the sequential test's boundaries (defaults tuned in bench/validation.ts). */
  design?: Pick<SequentialDesign, 'alphaGamma' | 'betaGamma' | 'inflation'>;
  /**
   * Episode streams of each phase (see `EpisodeKey.stream`): evolve gives screening and every confirmation streams of
   * their own, so no episode run for another purpose (mining, another confirmation) is paired here.
   */
  streams?: { train?: string; holdout?: string };
  /**
   * The train-split report (passed) of this very baseline/candidate pair: the train test is not run again, only the
   * held-out confirmation, and the result builds on that report.
   */
  confirm?: ValidationReport;
}

function checkSettings(s: ValidateSettings): void {
  const open = (name: string, value: number) => {
    if (!(value > 0 && value < 1)) throw new UserError(`validate.${name} must be between 0 and 1 (exclusive), got ${value}; set it in .self-harness.yml`);
  };
  open('alpha', s.alpha);
  open('beta', s.beta);
  open('min-effect', s.minEffect);
  open('reliable-pass-rate', s.reliablePassRate);
  if (s.confirmAlpha !== undefined) open('alpha (held-out confirmation share)', s.confirmAlpha);
  if (s.question === 'non-inferiority') open('regression-margin', s.margin ?? 0);
  for (const [name, value] of [
    ['max-attempts', s.maxAttempts],
    ['holdout-attempts', s.holdoutAttempts],
    ['suite.concurrency', s.concurrency],
  ] as const) {
    if (!(Number.isInteger(value) && value >= 1))
      throw new UserError(`${name.includes('.') ? name : `validate.${name}`} must be a whole number >= 1, got ${value}; set it in .self-harness.yml`);
  }
}

class BudgetExhausted extends Error {}

/** What one sequential phase (train, or the held-out confirmation) ended with. */
interface PhaseResult {
  decision: Decision;
  reason: string;
  test: SequentialState;
  stoppedEarly: boolean;
}

export async function validateCandidate(input: ValidateInput): Promise<ValidationReport> {
  const { settings, baseline, candidate } = input;
  checkSettings(settings);
  const question: Question = settings.question ?? 'superiority';
  const words = wordsFor(question, settings);
  const logger = input.logger ?? silentLogger;
  const startedAt = new Date();
  const started = performance.now();
  const episodes = { run: 0, cached: 0, infra: 0 };
  const usage = zeroUsage();
  const batchPairs = batchPairsFor(settings.concurrency);
  const seed = `${baseline.hash}:${candidate.hash}`;
  /** Per-task judgement at a phase's attempts: regressions named only at the maximum, fixes from two attempts. */
  const judgementFor = (maxAttempts: number) => ({
    reliablePassRate: settings.reliablePassRate,
    regressionMinRuns: maxAttempts,
    fixMinRuns: Math.min(2, maxAttempts),
  });
  /** The sequential design of a phase: the question's beta (non-inferiority's, the confirmation's, else beta) at its alpha. */
  const designFor = (split: Split, alpha: number) =>
    startSequentialTest({
      ...input.design,
      alpha,
      beta:
        question === 'non-inferiority'
          ? (settings.regressionBeta ?? settings.beta)
          : split === 'holdout'
            ? (settings.confirmBeta ?? settings.beta)
            : settings.beta,
      minEffect: settings.minEffect,
      question,
      margin: settings.margin ?? 0,
    });

  /** Runs pairs in batches that fit the budget; fills the slots and the schedule. */
  const runPairs = async (
    pairs: { taskId: string; attempt: number }[],
    split: Split,
    tasks: Task[],
    slots: Map<string, EpisodeSlot>,
    schedule: TaskSchedule[],
    stream?: string,
  ) => {
    const left = input.budget ? Math.floor(input.budget.episodesLeft() / 2) : Infinity;
    if (left < 1) throw new BudgetExhausted();
    const batch = pairs.slice(0, left);
    const plans = pairPlans(batch, new Map(tasks.map((task) => [task.id, task])), split, baseline, candidate, stream);
    const records = await input.runEpisodes(plans);
    if (records.length !== plans.length) throw new Error(`validate: runEpisodes returned ${records.length} records for ${plans.length} plans`);
    records.forEach((record, index) => {
      const plan = plans[index]!;
      const key = `${plan.task.id}#${plan.attempt}`;
      const slot = slots.get(key) ?? { taskId: plan.task.id, attempt: plan.attempt };
      // Plans alternate baseline, candidate (see pairPlans), even when both sides are the same version.
      if (index % 2 === 0) slot.baseline = record;
      else slot.candidate = record;
      slots.set(key, slot);
      const cached = Date.parse(record.startedAt) < startedAt.getTime();
      if (cached) episodes.cached++;
      else {
        episodes.run++;
        accumulateUsage(usage, record.usage);
      }
      if (record.outcome === 'infra-error') episodes.infra++;
    });
    for (const pair of batch) {
      const entry = schedule.find((task) => task.taskId === pair.taskId);
      if (!entry) continue;
      entry.attempts = Math.max(entry.attempts, pair.attempt + 1);
      const [outcome] = pairedOutcomes([slots.get(`${pair.taskId}#${pair.attempt}`)!]);
      if (!outcome) continue;
      entry.pairs++;
      entry.pooledPasses += Number(outcome.baselinePassed) + Number(outcome.candidatePassed);
      if (outcome.baselinePassed !== outcome.candidatePassed) entry.discordant++;
    }
  };

  /** One group-sequential test over a split: batches, looks, per-task regressions, suspects confirmed before a pass. */
  const runPhase = async (phase: {
    split: Split;
    tasks: Task[];
    targeted: string[];
    maxAttempts: number;
    alpha: number;
    stream?: string;
    label: string;
    slots: Map<string, EpisodeSlot>;
  }): Promise<PhaseResult> => {
    const schedule = initialSchedule(phase.tasks, phase.targeted);
    const slots = phase.slots;
    const judgement = judgementFor(phase.maxAttempts);
    // Non-inferiority sets its null from the discordance (see hypotheses): a less cautious bound there (tuned in bench/validation.ts).
    const cautionZ = question === 'non-inferiority' ? NI_CAUTION_Z : PLANNING_CAUTION_Z;
    let test = designFor(phase.split, phase.alpha);
    const net = () => netText(countPairs(pairedOutcomes(slots.values())));
    for (;;) {
      const pairs = nextPairs(schedule, { maxAttempts: phase.maxAttempts, batchPairs });
      if (pairs.length === 0) {
        test = takeLook(test, { ...countPairs(pairedOutcomes(slots.values())), planningDiscordance: taskMeanDiscordance(schedule, cautionZ), final: true });
        break;
      }
      await runPairs(pairs, phase.split, phase.tasks, slots, schedule, phase.stream);
      const { regressions } = judgeTasks(tallyByTask(pairedOutcomes(slots.values())), judgement);
      if (regressions.length > settings.allowedRegressions) {
        return { decision: 'reject', reason: regressionReason(regressions, settings.allowedRegressions, phase.label), test, stoppedEarly: true };
      }
      const before = test.looks.length;
      test = takeLook(test, { ...countPairs(pairedOutcomes(slots.values())), planningDiscordance: taskMeanDiscordance(schedule, cautionZ) });
      const look = test.looks[test.looks.length - 1];
      if (look && test.looks.length > before) {
        const view = netView(look);
        if (logger.progress) {
          const episodesDone = 2 * schedule.reduce((sum, task) => sum + task.attempts, 0);
          logger.progress({
            candidate: candidate.label,
            phase: phase.label,
            look: test.looks.length,
            episodesDone,
            episodesMax: 2 * phase.tasks.length * phase.maxAttempts,
            net: view.statistic,
            passAt: view.upper,
            failAt: view.lower,
            passWord: words.pass,
            failWord: words.fail,
          });
        } else
          logger.info(
            `validate: ${phase.label} look ${test.looks.length}: candidate ${net()} (${words.pass} at ${signed(view.upper)}, ${words.fail} at ${signed(view.lower)})`,
          );
      }
      if (test.decision !== 'continue') break;
    }
    const stoppedEarly = test.decision !== 'continue' && schedule.some((task) => task.attempts < phase.maxAttempts && !isUninformative(task, SKIP_AFTER));
    if (test.decision === 'reject') {
      return { decision: 'reject', reason: words.failed(phase.label, net(), test.looks.length), test, stoppedEarly };
    }
    if (test.decision === 'continue') {
      const settled = schedule.filter((task) => task.attempts < phase.maxAttempts).length;
      const reason = `Neither boundary was crossed on the ${phase.label} within ${phase.split === 'train' ? 'validate.max-attempts' : 'validate.holdout-attempts'} = ${phase.maxAttempts} per task${settled > 0 ? ` (${settled} task(s) stopped earlier because every episode agreed)` : ''} (${net()}); more attempts or tasks are needed to decide.`;
      return { decision: 'inconclusive', reason, test, stoppedEarly };
    }
    // Passing needs every suspected regression run to the maximum attempts and judged.
    let unjudged: string[];
    for (;;) {
      const suspects = suspectedRegressions(tallyByTask(pairedOutcomes(slots.values())), judgement);
      const pairs = suspects.length > 0 ? nextPairs(schedule, { maxAttempts: phase.maxAttempts, batchPairs }, suspects) : [];
      if (pairs.length === 0) {
        // Attempts used up, but pairs lost to infra errors left some suspects short of the runs a verdict needs.
        unjudged = suspects;
        break;
      }
      logger.info(`validate: confirming ${suspects.length} suspected regression(s) on the ${phase.label}`);
      await runPairs(pairs, phase.split, phase.tasks, slots, schedule, phase.stream);
    }
    const { regressions } = judgeTasks(tallyByTask(pairedOutcomes(slots.values())), judgement);
    const infraSkew = infraAsymmetry(slots.values(), phase.alpha);
    if (regressions.length > settings.allowedRegressions)
      return { decision: 'reject', reason: regressionReason(regressions, settings.allowedRegressions, phase.label), test, stoppedEarly };
    if (unjudged.length > 0) {
      const reason = `${unjudged.length} task(s) of the ${phase.label} looked like regressions but lost pairs to infrastructure errors, so they could not be judged within ${phase.maxAttempts} attempts; not passed.`;
      return { decision: 'inconclusive', reason, test, stoppedEarly };
    }
    if (infraSkew) return { decision: 'reject', reason: infraSkew, test, stoppedEarly };
    return {
      decision: 'promote',
      reason: words.passed(phase.label, net(), test.looks.length, phase.alpha, settings.allowedRegressions),
      test,
      stoppedEarly,
    };
  };

  const trainIds = new Set(input.trainTasks.map((task) => task.id));
  const targeted = (input.targetedTasks ?? []).filter((id) => trainIds.has(id));
  const trainSlots = new Map<string, EpisodeSlot>();
  const holdoutSlots = new Map<string, EpisodeSlot>();

  if (input.confirm) {
    if (
      input.confirm.decision !== 'promote' ||
      input.confirm.baseline.harnessHash !== baseline.hash ||
      input.confirm.candidate.harnessHash !== candidate.hash
    ) {
      throw new Error('validate: `confirm` must be a passed report of the same baseline and candidate');
    }
  }

  let decision: Decision = input.confirm ? 'promote' : 'inconclusive';
  let reason = input.confirm ? input.confirm.reason : '';
  let trainTest: PhaseResult | undefined;
  let holdoutTest: PhaseResult | undefined;
  let holdoutUses: number | undefined;
  let stoppedBy: 'budget' | undefined;
  const confirmAlpha = settings.confirmAlpha ?? settings.alpha;

  try {
    // 1. The sequential test on the train split (unless an earlier report of this pair already decided it).
    if (!input.confirm) {
      trainTest = await runPhase({
        split: 'train',
        tasks: input.trainTasks,
        targeted,
        maxAttempts: settings.maxAttempts,
        alpha: settings.alpha,
        stream: input.streams?.train,
        label: 'train split',
        slots: trainSlots,
      });
      decision = trainTest.decision;
      reason = trainTest.reason;
    }
    // 2. The sealed held-out split: fresh episodes, its own sequential test at the confirmation's alpha; both must pass.
    if (decision === 'promote' && input.runHoldout && input.holdoutTasks.length > 0) {
      const usesBefore = await input.holdoutUses.read();
      holdoutUses = usesBefore + 1;
      logger.info(
        `validate: held-out confirmation (use ${holdoutUses} of this state directory): ${input.holdoutTasks.length} tasks, at most ${settings.holdoutAttempts} attempts per side, alpha ${confirmAlpha}`,
      );
      holdoutTest = await runPhase({
        split: 'holdout',
        tasks: input.holdoutTasks,
        targeted: [],
        maxAttempts: settings.holdoutAttempts,
        alpha: confirmAlpha,
        stream: input.streams?.holdout,
        label: 'sealed held-out split',
        slots: holdoutSlots,
      });
      // Counted once the confirmation decided: a run killed half-way resumes on the same episodes.
      holdoutUses = await input.holdoutUses.increment();
      if (holdoutTest.decision === 'promote') reason += ` The sealed held-out confirmation agreed: ${holdoutTest.reason}`;
      else {
        decision = holdoutTest.decision;
        reason = `The train split passed, but the sealed held-out confirmation did not: ${holdoutTest.reason}`;
      }
    }
  } catch (error) {
    if (!(error instanceof BudgetExhausted)) throw error;
    decision = 'inconclusive';
    stoppedBy = 'budget';
    reason =
      holdoutUses !== undefined
        ? 'The episode budget ran out during the held-out confirmation, so the candidate was not passed.'
        : `The episode budget ran out before the validation could decide (${netText(countPairs(pairedOutcomes(trainSlots.values())))} on the train split).`;
  }

  const train = input.confirm
    ? input.confirm.train
    : publicComparison(compareSplit([...trainSlots.values()], { ...judgementFor(settings.maxAttempts), seed: `${seed}:train` }), { perTask: true });
  const holdout =
    holdoutSlots.size > 0
      ? publicComparison(compareSplit([...holdoutSlots.values()], { ...judgementFor(settings.holdoutAttempts), seed: `${seed}:holdout` }))
      : undefined;
  if (input.confirm) {
    // One report of the whole validation: the earlier train phase's episodes and cost plus the held-out ones.
    episodes.run += input.confirm.episodes.run;
    episodes.cached += input.confirm.episodes.cached;
    episodes.infra += input.confirm.episodes.infra;
    accumulateUsage(usage, input.confirm.usage);
  }
  logger.info(`validate: ${decision}: ${reason}`);
  const trace = (test: SequentialState, stoppedEarly: boolean): SequentialTrace => ({
    method: describeDesign(test.design),
    alpha: test.design.alpha,
    beta: test.design.beta,
    minEffect: settings.minEffect,
    ...(question === 'non-inferiority' ? { margin: settings.margin } : {}),
    looks: test.looks.map((look) => ({ episodes: 2 * look.pairs, ...netView(look) })),
    stoppedEarly,
  });
  return {
    version: 1,
    question,
    decision,
    reason,
    ...(stoppedBy ? { stoppedBy } : {}),
    baseline: { label: baseline.label, harnessHash: baseline.hash },
    candidate: { label: candidate.label, harnessHash: candidate.hash },
    episodes,
    train,
    ...(holdout ? { holdout } : {}),
    holdoutUses: holdoutUses ?? (await input.holdoutUses.read()),
    sequential: input.confirm ? input.confirm.sequential : trace(trainTest?.test ?? designFor('train', settings.alpha), trainTest?.stoppedEarly ?? false),
    ...(holdoutTest ? { confirmation: trace(holdoutTest.test, holdoutTest.stoppedEarly) } : {}),
    usage,
    startedAt: (input.confirm ? new Date(input.confirm.startedAt) : startedAt).toISOString(),
    durationMs: Math.round(performance.now() - started) + (input.confirm?.durationMs ?? 0),
  };
}

/** What the per-task regression check allowed, in words ("no reliable task regressed" rather than "no more than 0"). */
function regressedWithin(allowed: number): string {
  return allowed === 0 ? 'no reliable task regressed' : `no more than ${allowed} reliable task${allowed === 1 ? '' : 's'} regressed`;
}

/** The words of one question: superiority promotes or rejects, non-inferiority passes or finds a regression. */
function wordsFor(question: Question, settings: ValidateSettings) {
  if (question === 'non-inferiority') {
    const margin = points(settings.margin ?? 0).slice(1);
    return {
      pass: 'pass',
      fail: 'regress',
      passed: (label: string, net: string, looks: number, alpha: number, allowed: number) =>
        `The candidate is not worse than the baseline by ${margin} on the ${label} (${net}), crossing the pass boundary at look ${looks} (a change ${margin} worse passes at most ${pct(alpha)} of the time), and ${regressedWithin(allowed)}.`,
      failed: (label: string, net: string, looks: number) =>
        `The candidate looks worse than the baseline on the ${label} (${net}): it crossed the regression boundary at look ${looks}, where a change with no effect would have been unlikely to land.`,
    };
  }
  return {
    pass: 'promote',
    fail: 'reject',
    passed: (label: string, net: string, looks: number, alpha: number, allowed: number) =>
      `The candidate beat the baseline on the ${label} (${net}), crossing the promotion boundary at look ${looks} with alpha ${alpha}, and ${regressedWithin(allowed)}.`,
    failed: (label: string, net: string, looks: number) =>
      `The candidate did not show the minimum effect of ${points(settings.minEffect)} on the ${label} (${net}), crossing the rejection boundary at look ${looks}.`,
  };
}

function netText(counts: { pairs: number; discordant: number; wins: number }): string {
  return `net ${signed(2 * counts.wins - counts.discordant)} over ${counts.discordant} discordant of ${counts.pairs} pairs`;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** Standard errors added to the planning discordance (see taskMeanDiscordance). */
const PLANNING_CAUTION_Z = 2.5;
/** The same for the non-inferiority null's discordance (tuned in bench/validation.ts: alpha at the margin must hold). */
const NI_CAUTION_Z = 1.5;

/**
 * Mean over tasks of each task's discordance rate. A suite-level change of min-effect points is planned as
 * spread over tasks in proportion to how much they vary (as a shift on the logit scale does): tasks that
 * always pass or always fail barely move, however many attempts they got. Pooled outcomes only, so the
 * promotion side of the test stays exact.
 */
export function taskMeanDiscordance(schedule: TaskSchedule[], cautionZ = PLANNING_CAUTION_Z): number | undefined {
  const seen = schedule.filter((task) => task.pairs > 0);
  if (seen.length === 0) return undefined;
  const mean = seen.reduce((sum, task) => sum + task.discordant / task.pairs, 0) / seen.length;
  const pairs = seen.reduce((sum, task) => sum + task.pairs, 0);
  // An upper bound, not the estimate: an underestimate early on would plan for too easy an alternative and
  // reject real improvements too soon (tuned in bench/validation.ts).
  const cautious = mean + cautionZ * Math.sqrt((Math.max(mean, 1 / pairs) * (1 - mean)) / pairs);
  return mean > 0 ? Math.min(1, cautious) : undefined;
}

function regressionReason(regressions: string[], allowed: number, label: string): string {
  // Held-out task ids stay out of the reason: it travels into the proposer's history.
  const which = label.includes('held-out') ? '' : `: ${regressions.join(', ')}`;
  return `${regressions.length} reliable task(s) of the ${label} regressed (passed reliably on the baseline, fail on the candidate${which}), more than validate.allowed-regressions = ${allowed}.`;
}

const signed = (value: number) => (value > 0 ? `+${value}` : String(value));
const points = (effect: number) => `+${Math.round(effect * 1000) / 10} points`;

/**
 * Pairs with an infra error are left out of the comparison, so a candidate that turns its failures into "infrastructure"
 * errors (an agent can report `infrastructure: true` itself) would look better on the pairs that remain. Where the
 * candidate alone errs significantly more often than the baseline alone (exact sign test at alpha), say so: no promotion.
 */
export function infraAsymmetry(slots: Iterable<EpisodeSlot>, alpha: number): string | undefined {
  let candidateOnly = 0;
  let baselineOnly = 0;
  for (const slot of slots) {
    const b = slot.baseline?.outcome === 'infra-error';
    const c = slot.candidate?.outcome === 'infra-error';
    if (c && !b) candidateOnly++;
    else if (b && !c) baselineOnly++;
  }
  const p = signTestPValue(candidateOnly, candidateOnly + baselineOnly);
  if (p >= alpha) return undefined;
  return `The candidate had infrastructure errors where the baseline had none in ${candidateOnly} pair(s), against ${baselineOnly} the other way (sign test p = ${p.toFixed(3)} < alpha ${alpha}): pairs with infra errors are left out of the comparison, so this skew could hide failures. Not promoted; check the candidate's errors.`;
}
