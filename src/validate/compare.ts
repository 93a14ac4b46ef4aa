// Turns paired episode records of one split into the numbers a report shows: pass rates, the paired
// difference with its interval, and the tasks that regressed or were fixed.
import type { EpisodeRecord } from '../domain/types.js';
import { wilson } from '../stats/wilson.js';
import { pairedDelta, tallyByTask, type PairedOutcome, type TaskTally } from '../stats/paired.js';
import { judgeTasks, type TaskJudgementSettings } from '../stats/regressions.js';
import type { SideNumbers, SplitComparison } from '../domain/validation.js';

/** The two episodes of one (task, attempt), as they come back. */
export interface EpisodeSlot {
  taskId: string;
  attempt: number;
  baseline?: EpisodeRecord;
  candidate?: EpisodeRecord;
}

const judged = (record: EpisodeRecord | undefined): record is EpisodeRecord => record !== undefined && record.outcome !== 'infra-error';

/** Complete pairs only: a pair whose either side was an infra error says nothing about the harness. */
export function pairedOutcomes(slots: Iterable<EpisodeSlot>): PairedOutcome[] {
  const outcomes: PairedOutcome[] = [];
  for (const slot of slots) {
    if (!judged(slot.baseline) || !judged(slot.candidate)) continue;
    outcomes.push({
      taskId: slot.taskId,
      attempt: slot.attempt,
      baselinePassed: slot.baseline.outcome === 'pass',
      candidatePassed: slot.candidate.outcome === 'pass',
    });
  }
  return outcomes;
}

function side(passed: number, total: number, infra: number): SideNumbers {
  return { passed, total, rate: total === 0 ? 0 : passed / total, ci: wilson(passed, total), infra };
}

export function compareSplit(slots: EpisodeSlot[], settings: TaskJudgementSettings & { seed: string }): SplitComparison & { tallies: TaskTally[] } {
  const outcomes = pairedOutcomes(slots);
  const tallies = tallyByTask(outcomes);
  const infraOf = (pick: (slot: EpisodeSlot) => EpisodeRecord | undefined) => slots.filter((slot) => pick(slot)?.outcome === 'infra-error').length;
  const basePassed = outcomes.filter((o) => o.baselinePassed).length;
  const candPassed = outcomes.filter((o) => o.candidatePassed).length;
  const { delta, ci } = pairedDelta(tallies, { seed: settings.seed });
  const { regressions, fixes } = judgeTasks(tallies, settings);
  return {
    baseline: side(
      basePassed,
      outcomes.length,
      infraOf((s) => s.baseline),
    ),
    candidate: side(
      candPassed,
      outcomes.length,
      infraOf((s) => s.candidate),
    ),
    delta,
    deltaCi: ci,
    regressions,
    fixes,
    tasks: tallies.length,
    attemptsPerTask: tallies.reduce((most, t) => Math.max(most, t.baseline.runs), 0),
    tallies,
  };
}

/** The comparison without the working tallies, as it goes into the JSON report; `perTask` keeps each task's passes/runs. */
export function publicComparison(comparison: SplitComparison & { tallies?: TaskTally[] }, options: { perTask?: boolean } = {}): SplitComparison {
  const { tallies, ...rest } = comparison;
  if (!options.perTask || !tallies) return rest;
  const perTask = tallies.map((t) => ({ taskId: t.taskId, baseline: { ...t.baseline }, candidate: { ...t.candidate } }));
  return { ...rest, perTask };
}
