// Shared set-up for validation tests: a simulated suite and default settings.
import type { ValidateInput, ValidateSettings } from '../../src/validate/validate.js';
import { probabilityMap, simulatedHarness, simulatedRunEpisodes, simulatedTasks } from '../helpers/simulation.js';

export const defaultSettings: ValidateSettings = {
  alpha: 0.05,
  beta: 0.2,
  minEffect: 0.1,
  maxAttempts: 4,
  allowedRegressions: 0,
  reliablePassRate: 0.8,
  holdoutAttempts: 2,
  concurrency: 4,
};

export const memoryUses = () => {
  let uses = 0;
  return { read: async () => uses, increment: async () => ++uses };
};

/** A validation input over simulated tasks: `train` and `holdout` give baseline and candidate pass probabilities per task. */
export function simulatedInput(options: {
  train: { base: number[]; cand: number[] };
  holdout?: { base: number[]; cand: number[] };
  seed: string | number;
  settings?: Partial<ValidateSettings>;
  infraRate?: number;
  cachedBefore?: Date;
}): { input: ValidateInput; planned: ReturnType<typeof simulatedRunEpisodes>['planned'] } {
  const baseline = simulatedHarness('baseline');
  const candidate = simulatedHarness('candidate');
  const trainTasks = simulatedTasks(options.train.base.length, 'train');
  const holdoutTasks = simulatedTasks(options.holdout?.base.length ?? 0, 'holdout');
  const map = probabilityMap(
    [...trainTasks, ...holdoutTasks],
    [
      { harness: baseline, probabilities: [...options.train.base, ...(options.holdout?.base ?? [])] },
      { harness: candidate, probabilities: [...options.train.cand, ...(options.holdout?.cand ?? [])] },
    ],
  );
  const sim = simulatedRunEpisodes({ passProbability: map, seed: options.seed, infraRate: options.infraRate, cachedBefore: options.cachedBefore });
  return {
    input: {
      baseline,
      candidate,
      trainTasks,
      holdoutTasks,
      runHoldout: false,
      settings: { ...defaultSettings, ...options.settings },
      runEpisodes: sim.runEpisodes,
      holdoutUses: memoryUses(),
    },
    planned: sim.planned,
  };
}

/** n probabilities spread evenly over [low, high]. */
export function spread(n: number, low: number, high: number): number[] {
  return Array.from({ length: n }, (_, i) => low + ((high - low) * i) / Math.max(1, n - 1));
}
