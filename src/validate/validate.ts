// The validation driver: runs paired baseline/candidate episodes batch by batch on the train split,
// looks at the sequential test after each batch, confirms suspected regressions, and only for a candidate
// about to be promoted runs the sealed held-out split once, as a confirmation that can veto but never select.
import type { EpisodePlan } from '../domain/plan.js';
import type { EpisodeRecord, HarnessVersion, Logger, Split, Task } from '../domain/types.js';
import { silentLogger, UserError } from '../domain/types.js';
import { accumulateUsage, zeroUsage } from '../domain/usage.js';
import { countPairs, tallyByTask } from '../stats/paired.js';
import { judgeTasks, suspectedRegressions } from '../stats/regressions.js';
import { describeDesign, netView, startSequentialTest, takeLook, type SequentialDesign, type SequentialState } from '../stats/sequential-test.js';
import { signTestPValue } from '../stats/sign-test.js';
import { compareSplit, pairedOutcomes, publicComparison, type EpisodeSlot } from './compare.js';
import type { HoldoutUses } from '../store/holdout-uses.js';
import { batchPairsFor, initialSchedule, nextPairs, pairPlans, type TaskSchedule } from './schedule.js';
import type { Decision, SplitComparison, ValidationReport } from '../domain/validation.js';

export interface ValidateSettings {
  alpha: number;
  beta: number;
  minEffect: number;
  maxAttempts: number;
  allowedRegressions: number;
  reliablePassRate: number;
  holdoutAttempts: number;
  concurrency: number;
  timeoutMs: number;
  infraRetries: number;
}

export interface ValidateInput {
  baseline: HarnessVersion;
  candidate: HarnessVersion;
  trainTasks: Task[];
  holdoutTasks: Task[];
  /** Train task ids the candidate is predicted to fix: run first. */
  targetedTasks?: string[];
  /** Run the sealed held-out split as a confirmation when the train test says promote. */
  runHoldout: boolean;
  settings: ValidateSettings;
  /** Runs plans and returns their records in plan order; cached episodes come back without a new run. */
  runEpisodes: (plans: EpisodePlan[]) => Promise<EpisodeRecord[]>;
  holdoutUses: HoldoutUses;
  logger?: Logger;
  /** Stops (inconclusive, 'budget exhausted') before a batch would exceed it. */
  budget?: { episodesLeft(): number };
  /** Shape of the sequential test's boundaries (defaults tuned in bench/validation.ts). */
  design?: Pick<SequentialDesign, 'alphaGamma' | 'betaGamma' | 'inflation'>;
  /**
   * The train-split report (decision promote) of this very baseline/candidate pair: the train test is not run again,
   * only the held-out confirmation, and the result builds on that report.
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
  for (const [name, value] of [['max-attempts', s.maxAttempts], ['holdout-attempts', s.holdoutAttempts], ['suite.concurrency', s.concurrency]] as const) {
    if (!(Number.isInteger(value) && value >= 1)) throw new UserError(`${name.includes('.') ? name : `validate.${name}`} must be a whole number >= 1, got ${value}; set it in .self-harness.yml`);
  }
}

class BudgetExhausted extends Error {}

export async function validateCandidate(input: ValidateInput): Promise<ValidationReport> {
  const { settings, baseline, candidate } = input;
  checkSettings(settings);
  const logger = input.logger ?? silentLogger;
  const startedAt = new Date();
  const started = performance.now();
  const episodes = { run: 0, cached: 0, infra: 0 };
  const usage = zeroUsage();
  const batchPairs = batchPairsFor(settings.concurrency);
  const judgement = { reliablePassRate: settings.reliablePassRate, regressionMinRuns: settings.maxAttempts, fixMinRuns: Math.min(2, settings.maxAttempts) };

  /** Runs pairs in batches that fit the budget; fills the slots and the schedule. */
  const runPairs = async (pairs: { taskId: string; attempt: number }[], split: Split, tasks: Task[], slots: Map<string, EpisodeSlot>, schedule?: TaskSchedule[]) => {
    const left = input.budget ? Math.floor(input.budget.episodesLeft() / 2) : Infinity;
    if (left < 1) throw new BudgetExhausted();
    const batch = pairs.slice(0, left);
    const plans = pairPlans(batch, new Map(tasks.map((task) => [task.id, task])), split, baseline, candidate);
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
      const entry = schedule?.find((task) => task.taskId === pair.taskId);
      if (!entry) continue;
      entry.attempts = Math.max(entry.attempts, pair.attempt + 1);
      const [outcome] = pairedOutcomes([slots.get(`${pair.taskId}#${pair.attempt}`)!]);
      if (!outcome) continue;
      entry.pairs++;
      entry.pooledPasses += Number(outcome.baselinePassed) + Number(outcome.candidatePassed);
      if (outcome.baselinePassed !== outcome.candidatePassed) entry.discordant++;
    }
    return batch.length;
  };

  const trainIds = new Set(input.trainTasks.map((task) => task.id));
  const targeted = (input.targetedTasks ?? []).filter((id) => trainIds.has(id));
  const trainSchedule = initialSchedule(input.trainTasks, targeted);
  const trainSlots = new Map<string, EpisodeSlot>();
  const seed = `${baseline.hash}:${candidate.hash}`;
  const trainComparison = () => compareSplit([...trainSlots.values()], { ...judgement, seed: `${seed}:train` });

  let test: SequentialState = startSequentialTest({ ...input.design, alpha: settings.alpha, beta: settings.beta, minEffect: settings.minEffect });
  let decision: Decision = 'inconclusive';
  let reason = '';
  let holdout: SplitComparison | undefined;
  let holdoutUses: number | undefined;
  let stoppedEarly = false;
  const net = () => {
    const counts = countPairs(pairedOutcomes(trainSlots.values()));
    return { ...counts, text: `net ${signed(2 * counts.wins - counts.discordant)} over ${counts.discordant} discordant of ${counts.pairs} pairs` };
  };

  if (input.confirm) {
    if (input.confirm.decision !== 'promote' || input.confirm.baseline.harnessHash !== baseline.hash || input.confirm.candidate.harnessHash !== candidate.hash) {
      throw new Error('validate: `confirm` must be a promote report of the same baseline and candidate');
    }
    decision = 'promote';
    reason = input.confirm.reason;
  }

  try {
    // 1. Sequential test on the train split (unless an earlier report of this pair already decided it).
    for (; !input.confirm;) {
      const pairs = nextPairs(trainSchedule, { maxAttempts: settings.maxAttempts, batchPairs });
      if (pairs.length === 0) {
        test = takeLook(test, { ...countPairs(pairedOutcomes(trainSlots.values())), planningDiscordance: taskMeanDiscordance(trainSchedule), final: true });
        break;
      }
      await runPairs(pairs, 'train', input.trainTasks, trainSlots, trainSchedule);
      const { regressions } = judgeTasks(tallyByTask(pairedOutcomes(trainSlots.values())), judgement);
      if (regressions.length > settings.allowedRegressions) {
        decision = 'reject';
        reason = regressionReason(regressions, settings.allowedRegressions);
        stoppedEarly = true;
        break;
      }
      const before = test.looks.length;
      test = takeLook(test, { ...countPairs(pairedOutcomes(trainSlots.values())), planningDiscordance: taskMeanDiscordance(trainSchedule) });
      const look = test.looks[test.looks.length - 1];
      if (look && test.looks.length > before) {
        const view = netView(look);
        logger.info(`validate: look ${test.looks.length}: candidate ${net().text} (promote at ${signed(view.upper)}, reject at ${signed(view.lower)})`);
      }
      if (test.decision !== 'continue') {
        stoppedEarly = true;
        break;
      }
    }

    if (!reason && !input.confirm) {
      const counts = net();
      if (test.decision === 'reject') {
        decision = 'reject';
        reason = `The candidate did not show the minimum effect of ${points(settings.minEffect)} on the train split (${counts.text}), crossing the rejection boundary at look ${test.looks.length}.`;
      } else if (test.decision === 'continue') {
        decision = 'inconclusive';
        const settled = trainSchedule.filter((task) => task.attempts < settings.maxAttempts).length;
        reason = `Neither boundary was crossed within validate.max-attempts = ${settings.maxAttempts} per task${settled > 0 ? ` (${settled} task(s) stopped earlier because every episode agreed)` : ''} (${counts.text}); more attempts or tasks are needed to decide.`;
      } else {
        // 2. Promotion needs every suspected regression run to the maximum attempts and judged.
        let unjudged: string[] = [];
        for (;;) {
          const suspects = suspectedRegressions(tallyByTask(pairedOutcomes(trainSlots.values())), judgement);
          const pairs = suspects.length > 0 ? nextPairs(trainSchedule, { maxAttempts: settings.maxAttempts, batchPairs }, suspects) : [];
          if (pairs.length === 0) {
            // Attempts used up, but pairs lost to infra errors left some suspects short of the runs a verdict needs.
            unjudged = suspects;
            break;
          }
          logger.info(`validate: confirming ${suspects.length} suspected regression(s): ${suspects.join(', ')}`);
          await runPairs(pairs, 'train', input.trainTasks, trainSlots, trainSchedule);
        }
        const { regressions } = judgeTasks(tallyByTask(pairedOutcomes(trainSlots.values())), judgement);
        const infraSkew = infraAsymmetry(trainSlots.values(), settings.alpha);
        if (regressions.length <= settings.allowedRegressions && unjudged.length > 0) {
          decision = 'inconclusive';
          reason = `Task(s) ${unjudged.join(', ')} looked like regressions but lost pairs to infrastructure errors, so they could not be judged within validate.max-attempts = ${settings.maxAttempts}; not promoted.`;
        } else if (regressions.length > settings.allowedRegressions) {
          decision = 'reject';
          reason = regressionReason(regressions, settings.allowedRegressions);
        } else if (infraSkew) {
          decision = 'reject';
          reason = infraSkew;
        } else {
          decision = 'promote';
          reason = `The candidate beat the baseline on the train split (${counts.text}), crossing the promotion boundary at look ${test.looks.length} with alpha ${settings.alpha}, and no more than ${settings.allowedRegressions} reliable task(s) regressed.`;
        }
      }
    }

    // 3. The sealed held-out split: run once, only for a candidate about to be promoted, and only to veto.
    if (decision === 'promote' && input.runHoldout && input.holdoutTasks.length > 0) {
      holdoutUses = await input.holdoutUses.increment();
      logger.info(`validate: held-out confirmation (use ${holdoutUses} of this state directory): ${input.holdoutTasks.length} tasks x ${settings.holdoutAttempts} attempts per side`);
      const holdoutSlots = new Map<string, EpisodeSlot>();
      let pending = input.holdoutTasks.flatMap((task) => Array.from({ length: settings.holdoutAttempts }, (_, attempt) => ({ taskId: task.id, attempt })));
      pending.sort((a, b) => a.attempt - b.attempt);
      while (pending.length > 0) {
        const ran = await runPairs(pending.slice(0, batchPairs), 'holdout', input.holdoutTasks, holdoutSlots);
        pending = pending.slice(ran);
      }
      const comparison = compareSplit([...holdoutSlots.values()], { ...judgement, regressionMinRuns: settings.holdoutAttempts, fixMinRuns: settings.holdoutAttempts, seed: `${seed}:holdout` });
      holdout = publicComparison(comparison);
      const counts = countPairs(pairedOutcomes(holdoutSlots.values()));
      const losses = counts.discordant - counts.wins;
      const pValue = signTestPValue(losses, counts.discordant);
      if (pValue <= settings.alpha) {
        decision = 'reject';
        reason = `The held-out confirmation contradicted the train result: the candidate lost ${losses} and won ${counts.wins} of ${counts.discordant} discordant held-out pairs (one-sided sign test p = ${pValue.toFixed(4)} <= alpha ${settings.alpha}).`;
      } else {
        reason += ` The held-out confirmation did not contradict it (${signed(2 * counts.wins - counts.discordant)} net over ${counts.discordant} discordant pairs, p = ${pValue.toFixed(3)} for a drop).`;
      }
    }
  } catch (error) {
    if (!(error instanceof BudgetExhausted)) throw error;
    decision = 'inconclusive';
    reason = input.confirm
      ? 'budget exhausted: the episode budget ran out during the held-out confirmation, so the candidate was not promoted.'
      : `budget exhausted: the episode budget ran out before the validation could decide (${net().text} on the train split).`;
  }

  const train = input.confirm ? input.confirm.train : publicComparison(trainComparison());
  if (input.confirm) {
    // One report of the whole validation: the earlier train phase's episodes and cost plus the held-out ones.
    episodes.run += input.confirm.episodes.run;
    episodes.cached += input.confirm.episodes.cached;
    episodes.infra += input.confirm.episodes.infra;
    accumulateUsage(usage, input.confirm.usage);
  }
  logger.info(`validate: ${decision}: ${reason}`);
  return {
    version: 1,
    decision,
    reason,
    baseline: { label: baseline.label, harnessHash: baseline.hash },
    candidate: { label: candidate.label, harnessHash: candidate.hash },
    episodes,
    train,
    ...(holdout ? { holdout } : {}),
    holdout_uses: holdoutUses ?? (await input.holdoutUses.read()),
    sequential: input.confirm ? input.confirm.sequential : {
      method: describeDesign(test.design),
      alpha: settings.alpha,
      beta: settings.beta,
      minEffect: settings.minEffect,
      looks: test.looks.map((look) => ({ episodes: 2 * look.pairs, ...netView(look) })),
      stoppedEarly,
    },
    usage,
    startedAt: (input.confirm ? new Date(input.confirm.startedAt) : startedAt).toISOString(),
    durationMs: Math.round(performance.now() - started) + (input.confirm?.durationMs ?? 0),
  };
}

/** Standard errors added to the planning discordance (see taskMeanDiscordance). */
const PLANNING_CAUTION_Z = 2.5;

/**
 * Mean over tasks of each task's discordance rate. A suite-level change of min-effect points is planned as
 * spread over tasks in proportion to how much they vary (as a shift on the logit scale does): tasks that
 * always pass or always fail barely move, however many attempts they got. Pooled outcomes only, so the
 * promotion side of the test stays exact.
 */
export function taskMeanDiscordance(schedule: TaskSchedule[]): number | undefined {
  const seen = schedule.filter((task) => task.pairs > 0);
  if (seen.length === 0) return undefined;
  const mean = seen.reduce((sum, task) => sum + task.discordant / task.pairs, 0) / seen.length;
  const pairs = seen.reduce((sum, task) => sum + task.pairs, 0);
  // An upper bound, not the estimate: an underestimate early on would plan for too easy an alternative and
  // reject real improvements too soon (tuned in bench/validation.ts).
  const cautious = mean + PLANNING_CAUTION_Z * Math.sqrt(Math.max(mean, 1 / pairs) * (1 - mean) / pairs);
  return mean > 0 ? Math.min(1, cautious) : undefined;
}

function regressionReason(regressions: string[], allowed: number): string {
  return `${regressions.length} reliable task(s) regressed (passed reliably on the baseline, fail on the candidate: ${regressions.join(', ')}), more than validate.allowed-regressions = ${allowed}.`;
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
