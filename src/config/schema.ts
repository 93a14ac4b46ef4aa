// The `.self-harness.yml` schema. Keys are kebab-case in the file; `Config` is the parsed value.
import { z } from 'zod';

const positiveInt = z.number({ error: (i) => `expected a positive integer, got ${show(i.input)}` })
  .int({ error: (i) => `expected a positive integer, got ${show(i.input)}` })
  .positive({ error: (i) => `expected a positive integer, got ${show(i.input)}` });
const nonNegativeInt = z.number({ error: (i) => `expected a whole number >= 0, got ${show(i.input)}` })
  .int({ error: (i) => `expected a whole number >= 0, got ${show(i.input)}` })
  .min(0, { error: (i) => `expected a whole number >= 0, got ${show(i.input)}` });
const fraction = (what: string) =>
  z.number({ error: (i) => `expected ${what}, got ${show(i.input)}` })
    .min(0, { error: (i) => `expected ${what}, got ${show(i.input)}` })
    .max(1, { error: (i) => `expected ${what}, got ${show(i.input)}` });
const globList = z.array(z.string().min(1, 'empty glob'), { error: (i) => `expected a list of globs, got ${show(i.input)}` });

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}

export const HarborSchema = z.strictObject({
  /** `--dataset NAME@VERSION` or `--path DIR` of tasks (one of them). */
  dataset: z.string().optional(),
  path: z.string().optional(),
  agent: z.string().optional(),
  'agent-import-path': z.string().optional(),
  model: z.string().optional(),
  env: z.string().default('docker'),
  'n-concurrent': positiveInt.optional(),
  /** How the harness under test reaches the agent. */
  inject: z.enum(['agent-import-path', 'prompt-template', 'instruction-file', 'none']).default('none'),
  /** Path (inside the harness surface) handed to Harbor by `inject`. */
  'inject-path': z.string().optional(),
  'extra-args': z.array(z.string()).default([]),
  executable: z.string().default('harbor'),
});

export const SuiteSchema = z.strictObject({
  tasks: z.string().optional(),
  'tasks-file': z.string().optional(),
  run: z.string().optional(),
  runner: z.enum(['command', 'harbor']).default('command'),
  harbor: HarborSchema.optional(),
  'timeout-seconds': positiveInt.default(900),
  concurrency: positiveInt.default(4),
  attempts: positiveInt.default(1),
  holdout: fraction('a fraction from 0 to 1').default(0.3),
  seed: z.union([z.string(), z.number()]).transform(String).default('self-harness'),
  /** Explicit split overrides: these ids go to the named split whatever the seed says. */
  'holdout-tasks': z.array(z.string()).default([]),
  'train-tasks': z.array(z.string()).default([]),
  'infra-retries': nonNegativeInt.default(2),
  /** A label for the agent's model; part of the episode cache key. */
  model: z.string().default(''),
  env: z.record(z.string(), z.string()).default({}),
});

export const ModelSchema = z.strictObject({
  name: z.string().default('gpt-4o-mini'),
  'base-url': z.string().optional(),
  /** Name of the environment variable that holds the API key (never the key itself). */
  'api-key-env': z.string().default('OPENAI_API_KEY'),
  'input-usd-per-mtok': z.number().min(0).default(0),
  'output-usd-per-mtok': z.number().min(0).default(0),
  temperature: z.number().min(0).max(2).default(0.2),
  'max-retries': nonNegativeInt.default(2),
});

export const MiningSchema = z.strictObject({
  'max-clusters': positiveInt.default(5),
  /** Prompt token budget of one diagnosed cluster's evidence pack. */
  'evidence-tokens': positiveInt.default(6000),
  diagnose: z.boolean().default(true),
});

export const ProposeSchema = z.strictObject({
  proposer: z.enum(['auto', 'patterns', 'model']).default('auto'),
  candidates: positiveInt.default(4),
  'max-edit-lines': positiveInt.default(40),
  'max-round-lines': positiveInt.default(120),
});

export const ValidateSchema = z.strictObject({
  /** Chance of promoting an edit with no effect (type I error), fixed before any run. */
  alpha: fraction('a probability from 0 to 1').default(0.05),
  /** Chance of missing an edit with the minimum effect (type II error). */
  beta: fraction('a probability from 0 to 1').default(0.1),
  /** The smallest improvement in pass rate worth promoting (absolute, e.g. 0.1 = 10 points). */
  'min-effect': fraction('a fraction from 0 to 1').default(0.1),
  /** Paired attempts per task at most, per side. */
  'max-attempts': positiveInt.default(8),
  /** Tasks that passed reliably on the baseline and now fail, tolerated before promotion is blocked. */
  'allowed-regressions': nonNegativeInt.default(0),
  /** A baseline pass rate at or above this makes a task "reliable" for regression checks. */
  'reliable-pass-rate': fraction('a fraction from 0 to 1').default(0.8),
  /** Paired attempts per held-out task at most, per side, in the held-out confirmation (a sequential test of its own). */
  'holdout-attempts': positiveInt.default(24),
  /**
   * evolve's screening test on the train split (fresh episodes): only a screen, so it may be liberal; the run's error
   * rate is held by the held-out confirmations, which share `alpha` across the run.
   */
  'screen-alpha': fraction('a probability from 0 to 1').default(0.2),
  /** The PR gate's non-inferiority margin: a change this much worse (absolute points) passes at most `alpha` of the time. */
  'regression-margin': fraction('a fraction from 0 to 1').default(0.1),
  /** The PR gate's chance of failing (as a regression) a change with no effect. */
  'regression-beta': fraction('a probability from 0 to 1').default(0.1),
});

export const BudgetSchema = z.strictObject({
  episodes: positiveInt.optional(),
  tokens: positiveInt.optional(),
  usd: z.number().positive().optional(),
});

export const ConfigSchema = z.strictObject({
  harness: z.strictObject({
    include: globList.min(1, 'list at least one glob of harness files'),
    exclude: globList.default([]),
  }),
  suite: SuiteSchema,
  model: ModelSchema.default(ModelSchema.parse({})),
  mining: MiningSchema.default(MiningSchema.parse({})),
  propose: ProposeSchema.default(ProposeSchema.parse({})),
  validate: ValidateSchema.default(ValidateSchema.parse({})),
  budget: BudgetSchema.default({}),
  evolve: z.strictObject({ rounds: positiveInt.default(3) }).default({ rounds: 3 }),
  'state-dir': z.string().default('.self-harness'),
}).superRefine((config, ctx) => {
  const suite = config.suite;
  if (!suite.tasks && !suite['tasks-file'] && suite.runner === 'command') {
    ctx.addIssue({ code: 'custom', path: ['suite', 'tasks'], message: 'set suite.tasks (a glob of task directories) or suite.tasks-file' });
  }
  if (suite.tasks && suite['tasks-file']) {
    ctx.addIssue({ code: 'custom', path: ['suite', 'tasks-file'], message: 'set suite.tasks or suite.tasks-file, not both' });
  }
  if (suite.runner === 'command' && !suite.run) {
    ctx.addIssue({ code: 'custom', path: ['suite', 'run'], message: 'set suite.run, the shell command run once per episode (e.g. "node agent/run.js")' });
  }
  if (suite.runner === 'harbor' && !suite.harbor) {
    ctx.addIssue({ code: 'custom', path: ['suite', 'harbor'], message: 'suite.runner is "harbor": add a suite.harbor section (dataset or path, agent, model)' });
  }
});

export type RawConfig = z.input<typeof ConfigSchema>;
export type Config = z.output<typeof ConfigSchema>;

/** A loaded config with where it came from. */
export interface LoadedConfig {
  config: Config;
  /** Absolute path of the config file. */
  path: string;
  /** Absolute path of the repository root (directory holding the config unless given). */
  root: string;
}
