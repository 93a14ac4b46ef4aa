// The shape of every `--json` output, one named type per command: scripts/gen-json-schemas.ts turns each into the
// JSON Schema under schema/cli/, and each command builds its output as one of these (`satisfies`), so a key added to
// an output without regenerating the schema fails test/cli/json-schemas.test.ts.
import type { EpisodeError, EpisodeRecord } from '../domain/types.js';
import type { EvolveResult, ValidateRefsResult } from '../domain/flows.js';
import type { ValidationReport } from '../domain/validation.js';
import type { ShardPrerun } from '../flows/validate-refs.js';
import type { ImportReport } from '../flows/import.js';
import type { MiningResult } from '../mining/types.js';
import type { MergeReport } from '../store/merge.js';
import type { WriteReport } from '../init/write.js';
import type { SideSummary } from '../report/run-summary.js';

/** `self-harness run --json`: the harness run, episode counts, per-split pass rates and every episode. */
export interface RunJson {
  harness: { label: string; hash: string; root: string; ref?: string; commit?: string };
  stateDir: string;
  episodes: { total: number; run: number; cached: number };
  splits: Record<string, RunSplitJson>;
  /** Every episode; `error` (type, message, infrastructure) for a failed or infra-error one that recorded why. */
  records: (Pick<EpisodeRecord, 'id' | 'split' | 'outcome' | 'reward' | 'durationMs' | 'artifacts' | 'tries' | 'error'> & {
    taskId: string;
    attempt: number;
  })[];
}

/** One split of `run --json`: with no judged episode (all infra errors), `rate` and `ci` are null, never a 0% rate. */
export type RunSplitJson = Omit<SideSummary, 'rate' | 'ci'> & { rate: number | null; ci: { low: number; high: number } | null };

/** `self-harness validate --json` (and `--report FILE`): the validation report with the change it judged. */
export type ValidateJson = ValidationReport & Pick<ValidateRefsResult, 'changedFiles' | 'outsideSurface'>;

/** `self-harness validate --shard I/N --json`: what this shard pre-ran; no decision. */
export type ValidateShardJson = ShardPrerun;

/** `self-harness evolve --json` (and `--report FILE`): the evolve result without its markdown rendering. */
export type EvolveJson = Omit<EvolveResult, 'markdown'>;

/** `self-harness mine --json`: the weaknesses mined from train episodes (also written as weaknesses.json). */
export type MineJson = MiningResult;

/** `self-harness import --json`: the episodes added and the inputs skipped, with why. */
export type ImportJson = ImportReport;

/** `self-harness merge --json`: the counts of a merge of shard state directories. */
export type MergeJson = MergeReport;

/** `self-harness init --json`: what was detected and what was written. */
export type InitJson = {
  root: string;
  detected: string[];
  harnessInclude: string[];
  /** How episodes run: `command` (suite.run) or `harbor` (the Harbor runner). */
  runner: 'command' | 'harbor';
  /** suite.run; absent for the Harbor runner. */
  run?: string;
  notes: string[];
  warnings: string[];
  /** Planned files left alone, with why (an existing file without --force). */
  skipped: { file: string; reason: string }[];
} & Omit<WriteReport, 'skipped'>;

/** `self-harness agent --json`: one line summing up the episode. */
export interface AgentJson {
  task: string;
  agent: string;
  reward: number;
  passed: boolean;
  error?: EpisodeError;
  steps: number;
  /** The output directory (trajectory.json, result.json, verifier/). */
  out: string;
  /** The sandbox directory, when --keep-sandbox kept it. */
  sandbox?: string;
}

/** Command (or command mode) -> the type of its `--json` output; the schema file is `schema/cli/<key>.schema.json`. */
export const JSON_OUTPUTS = {
  run: 'RunJson',
  validate: 'ValidateJson',
  'validate-shard': 'ValidateShardJson',
  evolve: 'EvolveJson',
  mine: 'MineJson',
  import: 'ImportJson',
  merge: 'MergeJson',
  init: 'InitJson',
  agent: 'AgentJson',
} as const;
