// Paired per-task comparison of two harness versions: tallies, the pass-rate difference and its interval.
import type { Interval } from './wilson.js';
import { randomIndex, seededRandom } from './rng.js';

/** One (task, attempt) run on both sides; infra errors never reach here. */
export interface PairedOutcome {
  taskId: string;
  attempt: number;
  baselinePassed: boolean;
  candidatePassed: boolean;
}

export interface SideTally {
  passes: number;
  runs: number;
}

export interface TaskTally {
  taskId: string;
  baseline: SideTally;
  candidate: SideTally;
  /** Pairs where exactly one side passed, and how many of those the candidate won. */
  discordant: number;
  candidateWins: number;
}

export interface PairCounts {
  pairs: number;
  discordant: number;
  wins: number;
}

/** Per-task tallies, in first-seen task order. */
export function tallyByTask(outcomes: PairedOutcome[]): TaskTally[] {
  const byTask = new Map<string, TaskTally>();
  for (const outcome of outcomes) {
    let tally = byTask.get(outcome.taskId);
    if (!tally) {
      tally = { taskId: outcome.taskId, baseline: { passes: 0, runs: 0 }, candidate: { passes: 0, runs: 0 }, discordant: 0, candidateWins: 0 };
      byTask.set(outcome.taskId, tally);
    }
    tally.baseline.runs++;
    tally.candidate.runs++;
    if (outcome.baselinePassed) tally.baseline.passes++;
    if (outcome.candidatePassed) tally.candidate.passes++;
    if (outcome.baselinePassed !== outcome.candidatePassed) {
      tally.discordant++;
      if (outcome.candidatePassed) tally.candidateWins++;
    }
  }
  return [...byTask.values()];
}

export function countPairs(outcomes: PairedOutcome[]): PairCounts {
  let discordant = 0;
  let wins = 0;
  for (const outcome of outcomes) {
    if (outcome.baselinePassed === outcome.candidatePassed) continue;
    discordant++;
    if (outcome.candidatePassed) wins++;
  }
  return { pairs: outcomes.length, discordant, wins };
}

function taskDelta(tally: TaskTally): number {
  return tally.candidate.passes / tally.candidate.runs - tally.baseline.passes / tally.baseline.runs;
}

export interface DeltaOptions {
  /** Two-sided confidence of the interval (default 0.95). */
  confidence?: number;
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Seed of the resampling, so the same data always gives the same interval. */
  seed: string;
}

/**
 * Mean over tasks of (candidate pass rate - baseline pass rate), each task weighted once however many
 * attempts it got, with a paired bootstrap interval: tasks are resampled with replacement, keeping each
 * task's baseline and candidate together (the pairing is what removes task difficulty from the noise).
 */
export function pairedDelta(tallies: TaskTally[], options: DeltaOptions): { delta: number; ci: Interval } {
  const deltas = tallies.filter((tally) => tally.baseline.runs > 0 && tally.candidate.runs > 0).map(taskDelta);
  if (deltas.length === 0) return { delta: 0, ci: { low: -1, high: 1 } };
  const mean = deltas.reduce((sum, value) => sum + value, 0) / deltas.length;
  const confidence = options.confidence ?? 0.95;
  const resamples = options.resamples ?? 2000;
  const random = seededRandom(options.seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < deltas.length; i++) sum += deltas[randomIndex(random, deltas.length)]!;
    means[r] = sum / deltas.length;
  }
  means.sort();
  const tail = (1 - confidence) / 2;
  const at = (q: number) => means[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))]!;
  return { delta: mean, ci: { low: Math.max(-1, at(tail)), high: Math.min(1, at(1 - tail)) } };
}
