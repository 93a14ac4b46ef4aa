// The one resolution of the settings a run uses (episode pool, budget, rounds): the config's values, overridden by
// what the command line or the action's inputs set. The CLI commands and the action's jobs all call it.
import type { Config } from '../config/schema.js';
import type { FlowBudget } from '../domain/flows.js';

/** How the episode pool runs: `suite.concurrency`, `suite.timeout-seconds`, `suite.infra-retries`. */
export interface PoolSettings {
  concurrency: number;
  timeoutMs: number;
  infraRetries: number;
}

export interface RunSettings {
  pool: PoolSettings;
  budget: FlowBudget;
  rounds: number;
}

/** Explicit values beat the config; an unset field keeps the config's. */
export interface RunOverrides {
  rounds?: number;
  budget?: FlowBudget;
}

export function poolSettings(config: Config): PoolSettings {
  const suite = config.suite;
  return { concurrency: suite.concurrency, timeoutMs: suite['timeout-seconds'] * 1000, infraRetries: suite['infra-retries'] };
}

export function resolveRunSettings(config: Config, overrides: RunOverrides = {}): RunSettings {
  const budget = config.budget;
  return {
    pool: poolSettings(config),
    budget: {
      episodes: overrides.budget?.episodes ?? budget.episodes,
      tokens: overrides.budget?.tokens ?? budget.tokens,
      usd: overrides.budget?.usd ?? budget.usd,
    },
    rounds: overrides.rounds ?? config.evolve.rounds,
  };
}
