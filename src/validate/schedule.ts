// The order validation episodes run in: paired per task (same attempt index on both sides, baseline and
// candidate interleaved in one batch so drift hits both), targeted tasks first, attempts growing round by
// round up to the maximum, in batches sized for the pool.
import type { EpisodePlan } from '../domain/plan.js';
import type { HarnessVersion, Split, Task } from '../domain/types.js';

/** What the schedule knows of one task: attempts already started and the outcomes pooled over both sides. */
export interface TaskSchedule {
  taskId: string;
  /** Attempts already run (the next attempt index), including pairs lost to infra errors. */
  attempts: number;
  /** Complete pairs and passes pooled over both sides (never who passed: see `isUninformative`). */
  pairs: number;
  pooledPasses: number;
  discordant: number;
  /** Task is predicted to change by the candidate: it runs first. */
  targeted: boolean;
  /** Position in the split's task order. */
  order: number;
}

export interface ScheduleSettings {
  maxAttempts: number;
  /** Pairs per batch (a batch is run, then the sequential test looks). */
  batchPairs: number;
  /** After this many complete pairs, a task whose every episode agreed is not run again (default 2). */
  skipAfter?: number;
}

/** Complete pairs after which a task whose every episode agreed is not run again. */
export const SKIP_AFTER = 2;

/** Pairs per batch: enough to keep the pool busy twice over, so a slow episode does not idle it. */
export function batchPairsFor(concurrency: number): number {
  return Math.max(1, Math.floor(concurrency));
}

/** Task order for a split: targeted tasks (in the given order) first, then the rest in split order. */
export function initialSchedule(tasks: Task[], targeted: string[] = []): TaskSchedule[] {
  const targetRank = new Map(targeted.map((id, index) => [id, index] as const));
  const ordered = [...tasks].sort((a, b) => (targetRank.get(a.id) ?? Infinity) - (targetRank.get(b.id) ?? Infinity));
  return ordered.map((task, order) => ({ taskId: task.id, attempts: 0, pairs: 0, pooledPasses: 0, discordant: 0, targeted: targetRank.has(task.id), order }));
}

/**
 * A task where every episode so far passed, or every one failed, on both sides. Judged from pooled
 * passes only, which do not depend on which side won a discordant pair, so dropping such tasks leaves
 * the sign test's error rate exact.
 */
export function isUninformative(task: TaskSchedule, skipAfter: number): boolean {
  return task.pairs >= skipAfter && task.discordant === 0 && (task.pooledPasses === 0 || task.pooledPasses === 2 * task.pairs);
}

/**
 * The next batch of (task, attempt) pairs. Attempt-major (every task's attempt a before any task's a+1),
 * with targeted tasks one attempt ahead; `force` lists tasks to run up to the maximum whatever they showed
 * (suspected regressions being confirmed), and when given only those tasks are scheduled.
 */
export function nextPairs(tasks: TaskSchedule[], settings: ScheduleSettings, force?: string[]): { taskId: string; attempt: number }[] {
  const skipAfter = settings.skipAfter ?? SKIP_AFTER;
  const forced = force ? new Set(force) : undefined;
  const eligible = tasks.filter((task) => {
    if (task.attempts >= settings.maxAttempts) return false;
    if (forced) return forced.has(task.taskId);
    return !isUninformative(task, skipAfter);
  });
  const rank = (task: TaskSchedule) => task.attempts - (task.targeted ? 1 : 0);
  eligible.sort((a, b) => rank(a) - rank(b) || a.order - b.order);
  return eligible.slice(0, settings.batchPairs).map((task) => ({ taskId: task.taskId, attempt: task.attempts }));
}

/** Episode plans for pairs: baseline then candidate for each pair, side by side in the same batch. */
export function pairPlans(
  pairs: { taskId: string; attempt: number }[],
  tasksById: Map<string, Task>,
  split: Split,
  baseline: HarnessVersion,
  candidate: HarnessVersion,
  stream?: string,
): EpisodePlan[] {
  return pairs.flatMap(({ taskId, attempt }) => {
    const task = tasksById.get(taskId);
    if (!task) throw new Error(`schedule: unknown task id ${JSON.stringify(taskId)}`);
    const fresh = stream ? { stream } : {};
    return [
      { task, attempt, split, harness: baseline, ...fresh },
      { task, attempt, split, harness: candidate, ...fresh },
    ];
  });
}
