// One episode model that every trace reader produces (ATIF, Harbor, native trace.jsonl, Inspect, JUnit, CTRF, chat, agent-native formats).
import type { EpisodeError, Outcome, Usage } from '../domain/types.js';

export type TraceFormat =
  'atif' | 'harbor' | 'jsonl' | 'inspect' | 'junit' | 'ctrf' | 'openai-chat' | 'tb1' | 'mini-swe-agent' | 'swe-agent' | 'terminus' | 'openhands';

export interface ToolCall {
  id?: string;
  name: string;
  /** Arguments as JSON text (or raw text when the agent gave no JSON). */
  arguments: string;
}

export interface Observation {
  /** Which tool call it answers, when known. */
  callId?: string;
  content: string;
  exitCode?: number;
  isError?: boolean;
}

export interface TraceStep {
  /** Stable within the trace: the format's own step id when it has one, else the 1-based index. */
  id: string;
  index: number;
  source: 'system' | 'user' | 'agent' | 'tool';
  message?: string;
  reasoning?: string;
  toolCalls: ToolCall[];
  observations: Observation[];
  timestamp?: string;
  durationMs?: number;
  usage?: Usage;
}

export interface TestOutcome {
  name: string;
  status: 'passed' | 'failed' | 'skipped' | 'other';
  message?: string;
  durationMs?: number;
}

/** A grader's verdict on the episode (an Inspect score): what was answered, what was expected and why it was judged so. */
export interface Grade {
  scorer: string;
  /** The value as the scorer gave it ("C", "I", 0.5, true), as text. */
  value: string;
  passed: boolean;
  answer?: string;
  target?: string;
  /** The scorer's reasons; for a model-graded scorer, the grading model's own words. */
  explanation?: string;
  /** The scorer's metadata as JSON text. */
  metadata?: string;
}

export interface ParsedTrace {
  format: TraceFormat;
  /** The file it was read from, relative to the directory the reader was given. */
  file: string;
  taskId?: string;
  /** Never sent to a model for held-out episodes; mining reads train episodes only. */
  instruction?: string;
  outcome?: Outcome;
  reward?: number;
  error?: EpisodeError;
  steps: TraceStep[];
  tests: TestOutcome[];
  /** Grader verdicts (Inspect scores), the failing ones first. */
  grades?: Grade[];
  usage?: Usage;
  /** What the reader could not use in this file, in words (e.g. "step 4: unknown source 'robot', skipped"). */
  skipped: string[];
}

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface ArtifactReadResult {
  traces: ParsedTrace[];
  skipped: SkippedFile[];
}
