// The plain values that flow through the Self-Harness loop:
// config -> suite -> episodes -> weaknesses -> candidates -> verdicts -> report.
// Every type here is JSON-serialisable so that a crashed run resumes and shards merge from disk.

export type Split = 'train' | 'holdout';

/** One task of the suite. `id` is the directory name (or the line of a tasks file). */
export interface Task {
  id: string;
  /** Absolute path of the task directory, when tasks are directories. */
  dir?: string;
  /** sha256 of the task's files (or of its id for tasks-file suites); part of the episode cache key. */
  contentHash: string;
}

export interface SuiteSplit {
  train: string[];
  holdout: string[];
}

export interface Suite {
  tasks: Task[];
  split: SuiteSplit;
}

/** A version of the harness: the files matched by the harness surface at some ref. */
export interface HarnessVersion {
  /** sha256 over (relative path, content) of every surface file, sorted by path. */
  hash: string;
  /** Directory holding a full checkout of the repository at that version (cwd of episodes). */
  root: string;
  /** The git ref or label it came from, for reports. */
  label: string;
}

/**
 * What an episode ended as.
 * - pass/fail: the agent's outcome (reward decides pass when result.json gives one).
 * - timeout: killed at the deadline; an agent failure.
 * - infra-error: the episode could not be judged (could not start, runner crash, infrastructure error);
 *   retried and reported apart, never counted as an agent failure.
 */
export type Outcome = 'pass' | 'fail' | 'timeout' | 'infra-error';

export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

export interface EpisodeError {
  type: string;
  message: string;
  infrastructure?: boolean;
}

/** The identity of an episode: a finished episode with the same key is never run again. */
export interface EpisodeKey {
  harnessHash: string;
  taskId: string;
  taskHash: string;
  attempt: number;
  runCommand: string;
  model: string;
  /**
   * Why the episode was run, when it must not be shared with episodes run for another purpose: evolve's screening and
   * held-out confirmations use their own streams, so no episode that informed a proposal ever judges it, and a retried
   * candidate or a later confirmation gets new episodes. Absent for plain runs (`run`, mining, a person's PR gate).
   */
  stream?: string;
}

/** One line of the episode ledger (`<state>/episodes.jsonl`). */
export interface EpisodeRecord {
  /** sha256 of the canonical JSON of `key`, hex, first 24 chars. */
  id: string;
  key: EpisodeKey;
  split: Split;
  outcome: Outcome;
  /** 0..1; 1 for pass and 0 for fail when the episode gave no reward. */
  reward: number;
  error?: EpisodeError;
  usage?: Usage;
  exitCode: number | null;
  startedAt: string;
  durationMs: number;
  /** Artifact directory relative to the state directory (stdout.txt, stderr.txt, result.json, traces...). */
  artifacts: string;
  /** How many times it was started (1 + infra retries). */
  tries: number;
  /** Runner name (`command`, `harbor`, ...). */
  runner: string;
  /** Shard label `I/N` when the episode was run by a shard. */
  shard?: string;
}

/** A request to run one episode; the runner owns how. */
export interface EpisodeRequest {
  task: Task;
  attempt: number;
  harness: HarnessVersion;
  /** Empty directory, absolute, where the episode writes its artifacts. */
  outDir: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The episode's id in the ledger: distinct for every stream, attempt and harness version (SELF_HARNESS_EPISODE). */
  episodeId?: string;
}

/** What a runner returns for one try; the pool adds identity, retries and timing. */
export interface EpisodeResult {
  outcome: Outcome;
  reward: number;
  error?: EpisodeError;
  usage?: Usage;
  exitCode: number | null;
}

export interface EpisodeRunner {
  readonly name: string;
  /** The model label that goes into the cache key (e.g. the agent's model); '' when unknown. */
  readonly model: string;
  /** The command or invocation label that goes into the cache key. */
  readonly runCommand: string;
  run(request: EpisodeRequest): Promise<EpisodeResult>;
}

/** A chat message for the model adapter. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Ask for a JSON object reply. */
  json?: boolean;
  temperature?: number;
  maxTokens?: number;
}

export interface ChatReply {
  text: string;
  usage: Usage;
}

/** The model adapter the core sees (any OpenAI-compatible endpoint behind it). */
export interface ChatModel {
  readonly name: string;
  complete(request: ChatRequest): Promise<ChatReply>;
}

// Re-exported so that the many `UserError` imports from types.js keep working; new code imports errors.js.
export { UserError } from './errors.js';

/** Where the core reports progress; the CLI prints lines or a bar, the action uses core.info/groups. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug?(message: string): void;
  /** Where a validation stands after each look; a logger without it gets the look as an `info` line instead. */
  progress?(update: ValidationProgress): void;
}

/** One candidate's validation after a look of its sequential test: what a live progress line shows. */
export interface ValidationProgress {
  /** The candidate harness's label. */
  candidate: string;
  /** The split being tested ('train split', 'sealed held-out split'). */
  phase: string;
  look: number;
  /** Episodes of this phase run or reused so far (both sides), and the most it can take. */
  episodesDone: number;
  episodesMax: number;
  /** Net wins of the candidate over the discordant pairs, and the boundaries it is tested against. */
  net: number;
  passAt: number;
  failAt: number;
  /** What crossing each boundary means: 'promote' / 'reject', or 'pass' / 'regress' for the non-inferiority question. */
  passWord: string;
  failWord: string;
}

export const silentLogger: Logger = { info: () => {}, warn: () => {} };
