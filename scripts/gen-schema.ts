// Writes schema/self-harness.schema.json (JSON Schema 2020-12 of `.self-harness.yml`) from ConfigSchema.
// Run: npx tsx scripts/gen-schema.ts   (a test checks the committed file equals a fresh generation)
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigSchema } from '../src/config/schema.js';

export const SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'self-harness.schema.json');

/** Field descriptions shown by editors (YAML language server); keyed by dotted path. */
export const DESCRIPTIONS: Record<string, string> = {
  harness: 'The harness surface: the files self-harness may read as the harness and propose edits to.',
  'harness.include':
    'Globs (relative to the config file\'s directory) of harness files: prompts, tool definitions, recovery procedures, limits. A glob ending in "/" means everything under that directory.',
  'harness.exclude': 'Globs of files never edited even when included.',
  suite: 'The task suite and how one episode (one task, one attempt) is run.',
  'suite.tasks': 'Glob of task directories, e.g. "tasks/*". Each matching directory is a task whose id is the directory name.',
  'suite.tasks-file': 'A file with one task id per line (# comments and blank lines ignored), instead of suite.tasks.',
  'suite.run': 'Shell command run once per episode (command runner), e.g. "node agent/run.js".',
  'suite.runner': 'How episodes run: "command" (suite.run) or "harbor" (the Harbor CLI).',
  'suite.harbor': 'Harbor runner settings (when suite.runner is "harbor").',
  'suite.harbor.dataset': 'Harbor dataset NAME@VERSION (or set path).',
  'suite.harbor.path': 'Directory of Harbor tasks (or set dataset).',
  'suite.harbor.agent': 'Harbor agent name.',
  'suite.harbor.agent-import-path': 'Python import path of a custom Harbor agent.',
  'suite.harbor.model': 'Model passed to the Harbor agent.',
  'suite.harbor.env': 'Harbor environment type.',
  'suite.harbor.n-concurrent': 'Harbor trials run at once.',
  'suite.harbor.inject': 'How the harness under test reaches the Harbor agent.',
  'suite.harbor.inject-path': 'Path inside the harness surface handed to Harbor by inject.',
  'suite.harbor.extra-args': 'Extra arguments appended to the harbor command.',
  'suite.harbor.executable': 'The harbor executable.',
  'suite.timeout-seconds': 'Wall-clock limit of one episode; an episode past it is killed and counts as a timeout (an agent failure).',
  'suite.concurrency': 'Episodes run at once.',
  'suite.attempts': 'Attempts per task in a plain run.',
  'suite.holdout': 'Fraction of tasks sealed in the held-out split, which the proposer never sees.',
  'suite.seed': "Seed of the train/held-out split. Each task's side depends only on (seed, task id).",
  'suite.holdout-tasks': 'Task ids always in the held-out split.',
  'suite.train-tasks': 'Task ids always in the train split.',
  'suite.infra-retries': 'Retries of an episode that ended in an infrastructure error (never counted as an agent failure).',
  'suite.model': "Label of the agent's model; part of the episode cache key.",
  'suite.env': 'Environment variables set for every episode.',
  model: 'The proposer/diagnosis model: any OpenAI-compatible chat endpoint.',
  'model.name': 'Model name sent to the endpoint (the SELF_HARNESS_MODEL env var overrides it).',
  'model.base-url': 'Base URL of the OpenAI-compatible endpoint (SELF_HARNESS_MODEL_BASE_URL overrides it; OPENAI_BASE_URL is used when neither is set).',
  'model.api-key-env': 'Name of the environment variable holding the API key (never the key itself).',
  'model.input-usd-per-mtok': 'Price of a million input tokens, for the budget and reports.',
  'model.output-usd-per-mtok': 'Price of a million output tokens, for the budget and reports.',
  'model.temperature': 'Sampling temperature of proposals.',
  'model.max-retries': 'Retries of a failed model request.',
  mining: 'Weakness mining: grouping failed episodes into patterns.',
  'mining.max-clusters': 'Most failure patterns kept per round.',
  'mining.evidence-tokens': "Prompt token budget of one pattern's evidence pack.",
  'mining.diagnose': 'Ask the model to diagnose each pattern (false: grouping by signature only).',
  propose: 'Harness proposals.',
  'propose.proposer':
    '"model", "patterns" (built-in library of remedies, no model) or "auto" (the model when an API key or base URL is configured, else patterns).',
  'propose.candidates': 'Candidate edits per round.',
  'propose.max-edit-lines': 'Most changed lines in one candidate edit.',
  'propose.max-round-lines': 'Most changed lines over all candidates of a round.',
  validate: 'Validation: paired repeated runs and the promotion rule.',
  'validate.alpha': 'Chance of promoting an edit with no effect (type I error), fixed before any run.',
  'validate.beta': 'Chance of missing an edit with the minimum effect (type II error).',
  'validate.min-effect': 'Smallest improvement in pass rate worth promoting (absolute; 0.1 = 10 points).',
  'validate.max-attempts': 'Most paired attempts per task and side (8 gives about 80% power for a +10-point edit on a ~40-task train split).',
  'validate.allowed-regressions': 'Reliably passing tasks that may start failing before promotion is blocked.',
  'validate.reliable-pass-rate': 'Baseline pass rate at or above which a task counts as reliably passing.',
  'validate.holdout-attempts':
    'Most paired attempts per held-out task and side in the held-out confirmation (a sequential test of its own, on fresh episodes).',
  'validate.screen-alpha': "evolve's screening test on the train split: only chooses what goes to the held-out confirmation, so it may be liberal.",
  'validate.regression-margin': "The PR gate's non-inferiority margin: a change this much worse (absolute points) passes at most alpha of the time.",
  'validate.confirm-beta':
    "The held-out confirmation's chance of stopping early (futility) against an edit of min-effect; small keeps power, large saves episodes.",
  'validate.regression-beta': "The PR gate's chance of failing, as a regression, a change with no effect.",
  budget: 'Hard limits of one run; self-harness stops before exceeding them.',
  'budget.episodes': 'Most episodes.',
  'budget.tokens': 'Most model tokens (proposer and diagnosis).',
  'budget.usd': 'Most model spend in US dollars.',
  evolve: 'The evolve loop.',
  'evolve.rounds': 'Rounds of mine, propose, validate.',
  'state-dir': "Directory (relative to the config file's directory) of run state: episode ledger, artifacts, worktrees. Never part of the surface.",
};

type JsonSchema = { [key: string]: unknown; properties?: Record<string, JsonSchema>; description?: string };

/** The JSON Schema of the config file's input (defaults make fields optional). */
export function generateSchema(): JsonSchema {
  const generated = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const { $schema, ...rest } = generated;
  const schema: JsonSchema = {
    $schema,
    title: 'self-harness configuration (.self-harness.yml)',
    description: 'Configuration of self-harness: the harness surface it may edit, the task suite, the proposer model, mining, proposal, validation and budget.',
    ...rest,
  };
  describe(schema, '');
  const seed = schema.properties?.suite?.properties?.seed;
  if (seed && seed.default === undefined) seed.default = 'self-harness';
  return schema;
}

function describe(node: JsonSchema, prefix: string): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const dotted = prefix ? `${prefix}.${key}` : key;
    const text = DESCRIPTIONS[dotted];
    if (text && child.description === undefined) child.description = text;
    describe(child, dotted);
  }
}

export function renderSchema(): string {
  return `${JSON.stringify(generateSchema(), null, 2)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_FILE, renderSchema());
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}
