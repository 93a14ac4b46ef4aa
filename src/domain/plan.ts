// Which episodes to run: tasks x attempts against one harness version, and the cache key of each.
import type { EpisodeKey, EpisodeRunner, HarnessVersion, Split, Task } from './types.js';

export interface EpisodePlan {
  task: Task;
  attempt: number;
  split: Split;
  harness: HarnessVersion;
  /** The episode stream (see `EpisodeKey.stream`); absent for plain runs. */
  stream?: string;
}

/**
 * Attempt-major order (every task's attempt 0, then every task's attempt 1, ...), so a run cut short
 * still covers the whole task list evenly.
 */
export function planEpisodes(
  tasks: Task[],
  split: (taskId: string) => Split,
  harness: HarnessVersion,
  attempts: number,
  firstAttempt = 0,
  stream?: string,
): EpisodePlan[] {
  const plans: EpisodePlan[] = [];
  for (let attempt = firstAttempt; attempt < firstAttempt + attempts; attempt++) {
    for (const task of tasks) plans.push({ task, attempt, split: split(task.id), harness, ...(stream ? { stream } : {}) });
  }
  return plans;
}

export function keyOf(plan: EpisodePlan, runner: Pick<EpisodeRunner, 'runCommand' | 'model'>): EpisodeKey {
  return {
    harnessHash: plan.harness.hash,
    taskId: plan.task.id,
    taskHash: plan.task.contentHash,
    attempt: plan.attempt,
    runCommand: runner.runCommand,
    model: runner.model,
    ...(plan.stream ? { stream: plan.stream } : {}),
  };
}
