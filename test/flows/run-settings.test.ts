// The one settings resolver: the config's pool, budget and rounds, each overridden only by a value that was set.
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { resolveRunSettings } from '../../src/flows/run-settings.js';

const config = parseConfigText(
  `harness:
  include: [agent/**]
suite:
  tasks: tasks/*
  run: node agent/run.js
  concurrency: 3
  timeout-seconds: 60
  infra-retries: 1
budget:
  episodes: 100
  usd: 2.5
evolve:
  rounds: 5
`,
  '/tmp/.self-harness.yml',
);

describe('resolveRunSettings', () => {
  it('takes pool, budget and rounds from the config when nothing overrides them', () => {
    expect(resolveRunSettings(config)).toEqual({
      pool: { concurrency: 3, timeoutMs: 60_000, infraRetries: 1 },
      budget: { episodes: 100, tokens: undefined, usd: 2.5 },
      rounds: 5,
    });
  });

  it('lets a set override win field by field and keeps the config for unset ones', () => {
    const settings = resolveRunSettings(config, { rounds: 1, budget: { episodes: 10, tokens: undefined, usd: undefined } });
    expect(settings.rounds).toBe(1);
    expect(settings.budget).toEqual({ episodes: 10, tokens: undefined, usd: 2.5 });
  });
});
