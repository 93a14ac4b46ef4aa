// Train / held-out split of the suite. Pure and deterministic.
// Each task's side depends only on (seed, task id): adding or removing a task never moves another one.
import { createHash } from 'node:crypto';
import { UserError, type SuiteSplit } from './types.js';

export interface SplitOptions {
  /** Wanted fraction of tasks in the held-out split, 0..1. */
  holdout: number;
  seed: string;
  /** Ids that go to holdout whatever the seed says. */
  holdoutTasks?: string[];
  /** Ids that go to train whatever the seed says. */
  trainTasks?: string[];
}

/** The task's position in [0, 1): the first 52 bits of sha256(seed NUL id). */
export function splitScore(seed: string, taskId: string): number {
  const hex = createHash('sha256').update(seed).update('\0').update(taskId).digest('hex').slice(0, 13);
  return parseInt(hex, 16) / 2 ** 52;
}

/** Splits task ids; the output lists keep the input order. */
export function splitTasks(taskIds: string[], options: SplitOptions): SuiteSplit {
  const { holdout, seed } = options;
  if (!(holdout >= 0 && holdout <= 1)) throw new UserError(`suite.holdout: expected a fraction from 0 to 1, got ${holdout}`);
  const known = new Set(taskIds);
  const holdoutTasks = new Set(options.holdoutTasks ?? []);
  const trainTasks = new Set(options.trainTasks ?? []);
  checkKnown('suite.holdout-tasks', holdoutTasks, known);
  checkKnown('suite.train-tasks', trainTasks, known);
  const both = [...holdoutTasks].filter((id) => trainTasks.has(id));
  if (both.length > 0) {
    throw new UserError(`suite.holdout-tasks and suite.train-tasks both list ${quoteList(both)}; keep each task in one of them.`);
  }
  const split: SuiteSplit = { train: [], holdout: [] };
  const seen = new Set<string>();
  for (const id of taskIds) {
    if (seen.has(id)) continue;
    seen.add(id);
    const sealed = holdoutTasks.has(id) || (!trainTasks.has(id) && splitScore(seed, id) < holdout);
    (sealed ? split.holdout : split.train).push(id);
  }
  return split;
}

/**
 * Warnings about a split that cannot support validation (an empty side while the config asks for both).
 * Per-task hashing keeps tasks from moving, at the price of uneven splits on small suites.
 */
export function splitWarnings(split: SuiteSplit, holdout: number): string[] {
  const total = split.train.length + split.holdout.length;
  const warnings: string[] = [];
  if (total >= 2 && holdout > 0 && split.holdout.length === 0) {
    warnings.push(`the held-out split is empty (0 of ${total} tasks, suite.holdout is ${holdout}); list some ids in suite.holdout-tasks or change suite.seed.`);
  }
  if (total >= 2 && holdout < 1 && split.train.length === 0) {
    warnings.push(`the train split is empty (0 of ${total} tasks, suite.holdout is ${holdout}); list some ids in suite.train-tasks or change suite.seed.`);
  }
  return warnings;
}

function checkKnown(field: string, ids: Set<string>, known: Set<string>): void {
  const unknown = [...ids].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UserError(
      `${field}: unknown task id${unknown.length > 1 ? 's' : ''} ${quoteList(unknown)}; use ids of the suite's tasks (the task directory names or the lines of suite.tasks-file).`,
    );
  }
}

function quoteList(ids: string[]): string {
  return ids.map((id) => JSON.stringify(id)).join(', ');
}
