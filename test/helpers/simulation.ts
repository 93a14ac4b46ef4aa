// A seeded simulated suite: per-task pass probabilities, edits that shift them, and an episode runner
// that draws outcomes from them. Used by the validation tests and bench/validation.ts to measure error
// rates; the same (seed, harness, task, attempt) always gives the same outcome, like the episode cache.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import type { EpisodePlan } from '../../src/domain/plan.js';
import type { EpisodeRecord, EpisodeResult, HarnessVersion, Outcome, Task } from '../../src/domain/types.js';
import { seededRandom } from '../../src/stats/rng.js';

/** Per-task pass probabilities drawn from Beta(a, b) by inverse CDF (default Beta(0.6, 0.75): most tasks near 0 or 1). */
export function drawPassProbabilities(count: number, seed: string | number, a = 0.6, b = 0.75): number[] {
  const random = seededRandom(`probabilities:${seed}`);
  return Array.from({ length: count }, () => betaQuantile(Math.min(1 - 1e-12, Math.max(1e-12, random())), a, b));
}

const logit = (p: number) => Math.log(p / (1 - p));
const expit = (x: number) => 1 / (1 + Math.exp(-x));
const clampP = (p: number) => Math.min(1 - 1e-9, Math.max(1e-9, p));

/** Every task's probability moved by the same amount on the logit scale. */
export function shiftOnLogit(probabilities: number[], shift: number): number[] {
  return probabilities.map((p) => expit(logit(clampP(p)) + shift));
}

/** The logit shift that moves the mean pass probability by exactly `meanDelta` (bisection). */
export function logitShiftFor(probabilities: number[], meanDelta: number): number {
  if (meanDelta === 0) return 0;
  const mean = (ps: number[]) => ps.reduce((s, p) => s + p, 0) / ps.length;
  const base = mean(probabilities);
  let low = meanDelta > 0 ? 0 : -20;
  let high = meanDelta > 0 ? 20 : 0;
  for (let i = 0; i < 100; i++) {
    const middle = (low + high) / 2;
    if (mean(shiftOnLogit(probabilities, middle)) - base < meanDelta) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

export function simulatedTasks(count: number, prefix = 'task'): Task[] {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${String(i).padStart(3, '0')}`, contentHash: `hash-${prefix}-${i}` }));
}

export function simulatedHarness(label: string): HarnessVersion {
  return { hash: `sim-${label}`, root: '/nonexistent', label };
}

export interface SimulatedRunnerOptions {
  /** harness hash -> task id -> pass probability. */
  passProbability: Map<string, Map<string, number>>;
  seed: string | number;
  /** Chance that an episode ends as an infra error (default 0). */
  infraRate?: number;
  /** Records already "in the ledger": returned as cached (startedAt in the past), not counted as runs. */
  cachedBefore?: Date;
}

/** A runEpisodes stand-in: outcome = draw < p for the plan's harness and task. */
export function simulatedRunEpisodes(options: SimulatedRunnerOptions): {
  runEpisodes: (plans: EpisodePlan[]) => Promise<EpisodeRecord[]>;
  planned: EpisodePlan[];
} {
  const planned: EpisodePlan[] = [];
  const runEpisodes = async (plans: EpisodePlan[]) => {
    planned.push(...plans);
    return plans.map((plan) => simulateEpisode(plan, options));
  };
  return { runEpisodes, planned };
}

export function simulateEpisode(plan: EpisodePlan, options: SimulatedRunnerOptions): EpisodeRecord {
  const p = options.passProbability.get(plan.harness.hash)?.get(plan.task.id);
  if (p === undefined) throw new Error(`simulation: no pass probability for harness ${plan.harness.hash}, task ${plan.task.id}`);
  const random = seededRandom(`${options.seed}:${plan.harness.hash}:${plan.task.id}:${plan.attempt}`);
  const infra = random() < (options.infraRate ?? 0);
  const outcome: Outcome = infra ? 'infra-error' : random() < p ? 'pass' : 'fail';
  const id = `${plan.harness.hash}-${plan.task.id}-${plan.attempt}`;
  return {
    id,
    key: { harnessHash: plan.harness.hash, taskId: plan.task.id, taskHash: plan.task.contentHash, attempt: plan.attempt, runCommand: 'simulated', model: '' },
    split: plan.split,
    outcome,
    reward: outcome === 'pass' ? 1 : 0,
    ...(infra ? { error: { type: 'simulated-infra', message: 'simulated infrastructure error', infrastructure: true } } : {}),
    usage: { inputTokens: 100, outputTokens: 10, costUsd: 0.001 },
    exitCode: infra ? null : outcome === 'pass' ? 0 : 1,
    startedAt: (options.cachedBefore ? new Date(options.cachedBefore.getTime() - 60_000) : new Date()).toISOString(),
    durationMs: 1,
    artifacts: `episodes/${id}`,
    tries: 1,
    runner: 'simulated',
  };
}

/** The probability map for a baseline and a candidate over the same tasks. */
export function probabilityMap(tasks: Task[], versions: { harness: HarnessVersion; probabilities: number[] }[]): Map<string, Map<string, number>> {
  return new Map(versions.map(({ harness, probabilities }) => [harness.hash, new Map(tasks.map((task, i) => [task.id, probabilities[i]!]))]));
}

/** What an in-process simulated agent hands back for one episode: result.json in its artifacts (a verifier's failure message when it failed) and the result. */
export function simulatedVerdict(outDir: string, passed: boolean, failure: string): EpisodeResult {
  writeFileSync(path.join(outDir, 'result.json'), JSON.stringify(passed ? { reward: 1 } : { reward: 0, error: { type: 'VerifierFailed', message: failure } }));
  return { outcome: passed ? 'pass' : 'fail', reward: passed ? 1 : 0, exitCode: passed ? 0 : 1 };
}

/**
 * A seed for one episode's simulated outcome: its episode id, from the name of the try directory the pool hands the
 * runner (`<id>-<pid>-<time>-<n>`), so a test's outcomes repeat from run to run while every episode (each stream,
 * attempt and harness version) still draws its own.
 */
export function episodeSeed(outDir: string): string {
  return path.basename(outDir).split('-').slice(0, -3).join('-') || path.basename(outDir);
}
