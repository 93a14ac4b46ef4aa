// The `.self-harness.yml` schema. Keys are kebab-case in the file; `Config` is the parsed value.
import { z } from 'zod';

const positiveInt = z
  .number({ error: (i) => `expected a positive integer, got ${show(i.input)}` })
  .int({ error: (i) => `expected a positive integer, got ${show(i.input)}` })
  .positive({ error: (i) => `expected a positive integer, got ${show(i.input)}` });
const nonNegativeInt = z
  .number({ error: (i) => `expected a whole number >= 0, got ${show(i.input)}` })
  .int({ error: (i) => `expected a whole number >= 0, got ${show(i.input)}` })
  .min(0, { error: (i) => `expected a whole number >= 0, got ${show(i.input)}` });
const fraction = (what: string) =>
  z
    .number({ error: (i) => `expected ${what}, got ${show(i.input)}` })
    .min(0, { error: (i) => `expected ${what}, got ${show(i.input)}` })
    .max(1, { error: (i) => `expected ${what}, got ${show(i.input)}` });
/** A positive integer at most `max`: the ceiling keeps a typo from turning into a week-long run or a clamped timer. */
const positiveIntUpTo = (max: number, why: string) =>
  positiveInt.max(max, { error: (i) => `expected a positive integer of at most ${max.toLocaleString('en-US')} (${why}), got ${show(i.input)}` });
const nonNegativeIntUpTo = (max: number, why: string) =>
  nonNegativeInt.max(max, { error: (i) => `expected a whole number from 0 to ${max.toLocaleString('en-US')} (${why}), got ${show(i.input)}` });
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
  'n-concurrent': positiveIntUpTo(1024, 'parallel Harbor trials').optional(),
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
  'timeout-seconds': positiveIntUpTo(86_400, 'one day; longer timers are clamped by Node and every episode would time out').default(900),
  concurrency: positiveIntUpTo(1024, 'episodes at once').default(4),
  attempts: positiveIntUpTo(1000, 'attempts per task').default(1),
  holdout: fraction('a fraction from 0 to 1').default(0.3),
  seed: z.union([z.string(), z.number()]).transform(String).default('self-harness'),
  /** Explicit split overrides: these ids go to the named split whatever the seed says. */
  'holdout-tasks': z.array(z.string()).default([]),
  'train-tasks': z.array(z.string()).default([]),
  'infra-retries': nonNegativeIntUpTo(20, 'retries of an infrastructure error').default(2),
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
  'max-retries': nonNegativeIntUpTo(20, 'retries of a model call').default(2),
});

export const MiningSchema = z.strictObject({
  'max-clusters': positiveIntUpTo(100, 'weakness clusters per round').default(5),
  /** Prompt token budget of one diagnosed cluster's evidence pack. */
  'evidence-tokens': positiveIntUpTo(200_000, 'prompt tokens of one evidence pack').default(6000),
  diagnose: z.boolean().default(true),
});

export const ProposeSchema = z.strictObject({
  proposer: z.enum(['auto', 'patterns', 'model']).default('auto'),
  candidates: positiveIntUpTo(50, 'candidates per round').default(4),
  'max-edit-lines': positiveIntUpTo(10_000, 'lines one edit changes').default(40),
  'max-round-lines': positiveIntUpTo(100_000, 'lines one round changes').default(120),
});

export const ValidateSchema = z.strictObject({
  /** Chance of promoting an edit with no effect (type I error), fixed before any run. */
  alpha: fraction('a probability from 0 to 1').default(0.05),
  /** Chance of missing an edit with the minimum effect (type II error). */
  beta: fraction('a probability from 0 to 1').default(0.1),
  /** The smallest improvement in pass rate worth promoting (absolute, e.g. 0.1 = 10 points). */
  'min-effect': fraction('a fraction from 0 to 1').default(0.1),
  /** Paired attempts per task at most, per side. */
  'max-attempts': positiveIntUpTo(1000, 'paired attempts per task').default(8),
  /** Tasks that passed reliably on the baseline and now fail, tolerated before promotion is blocked. */
  'allowed-regressions': nonNegativeIntUpTo(100_000, 'tolerated regressions').default(0),
  /** A baseline pass rate at or above this makes a task "reliable" for regression checks. */
  'reliable-pass-rate': fraction('a fraction from 0 to 1').default(0.8),
  /** Paired attempts per held-out task at most, per side, in the held-out confirmation (a sequential test of its own). */
  'holdout-attempts': positiveIntUpTo(1000, 'held-out attempts per task').default(24),
  /**
   * evolve's screening test on the train split (fresh episodes): only a screen, so it may be liberal; the run's error
   * rate is held by the held-out confirmations, which share `alpha` across the run.
   */
  'screen-alpha': fraction('a probability from 0 to 1').default(0.2),
  /** The held-out confirmation's chance of stopping early against an edit of min-effect (its futility side). */
  'confirm-beta': fraction('a probability from 0 to 1').default(0.02),
  /** The PR gate's non-inferiority margin: a change this much worse (absolute points) passes at most `alpha` of the time. */
  'regression-margin': fraction('a fraction from 0 to 1').default(0.1),
  /** The PR gate's chance of failing (as a regression) a change with no effect. */
  'regression-beta': fraction('a probability from 0 to 1').default(0.1),
});

export const BudgetSchema = z.strictObject({
  episodes: positiveIntUpTo(10_000_000, 'episodes per run').optional(),
  tokens: positiveIntUpTo(10_000_000_000, 'model tokens per run').optional(),
  usd: z
    .number()
    .positive()
    .max(1_000_000, { error: (i) => `expected at most 1,000,000 dollars, got ${show(i.input)}` })
    .optional(),
});

export const ConfigSchema = z
  .strictObject({
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
    evolve: z.strictObject({ rounds: positiveIntUpTo(100, 'rounds per run').default(3) }).default({ rounds: 3 }),
    'state-dir': z.string().default('.self-harness'),
  })
  .superRefine((config, ctx) => {
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
      ctx.addIssue({
        code: 'custom',
        path: ['suite', 'harbor'],
        message: 'suite.runner is "harbor": add a suite.harbor section (dataset or path, agent, model)',
      });
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
