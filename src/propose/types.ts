// The values the proposers produce and the evolve loop consumes: candidates (small edits to harness files) and their history.
import type { Logger, Usage } from '../domain/types.js';
import type { HarnessSurface } from '../harness/surface.js';
import type { Weakness } from '../mining/types.js';

/** One edit to one harness file; paths are relative to the config root (the surface root). */
export type FileEdit =
  /** `search` must occur exactly once in the file. */
  | { kind: 'replace'; file: string; search: string; replace: string }
  /** A unified diff of this one file. */
  | { kind: 'diff'; file: string; patch: string }
  /** A new file (refused when the file exists and is not empty). */
  | { kind: 'create'; file: string; content: string };

export const MECHANISMS = ['prompt_instruction', 'tool_configuration', 'failure_recovery', 'runtime_limits', 'skill_procedure', 'other'] as const;
export type Mechanism = (typeof MECHANISMS)[number];

export interface Candidate {
  /** `c-` + first 10 hex of sha256 of the canonical JSON of `edits`. */
  id: string;
  weaknessId: string;
  mechanism: Mechanism;
  summary: string;
  rationale: string;
  /** Train task ids the proposer expects to flip from fail to pass. */
  predictedFixes: string[];
  edits: FileEdit[];
  proposer: 'patterns' | 'model';
}

export type HistoryDecision = 'promote' | 'reject' | 'inconclusive' | 'refused' | 'dropped';

/** One line of `<config root>/.self-harness/history.jsonl`: every candidate ever judged, so ideas are not proposed twice. */
export interface HistoryEntry {
  id: string;
  round: number;
  /** Surface hash of the harness the candidate was applied to. */
  parentHash: string;
  weaknessId: string;
  mechanism: string;
  summary: string;
  diff: string;
  decision: HistoryDecision;
  reason: string;
  numbers?: Record<string, number>;
  at: string;
  proposer: string;
  /** The episode stream the candidate was screened on (evolve): a later screening of the same parent uses a new one. */
  stream?: string;
}

export interface EditLimits {
  /** Changed lines allowed in one edit (config `propose.max-edit-lines`). */
  maxEditLines: number;
  /** Changed lines allowed over all edits of one candidate (config `propose.max-round-lines`). */
  maxRoundLines: number;
}

/**
 * What a proposer sees. Train-side evidence only: there is deliberately no field for held-out tasks or results,
 * so the sealed split cannot leak into a proposal by construction.
 */
export interface ProposeInput {
  weaknesses: Weakness[];
  /** Train tasks that passed: the regressions a proposal must avoid. */
  passingTasks: string[];
  surface: HarnessSurface;
  /** Directory whose harness files are current (a checkout of the harness being improved). */
  harnessRoot: string;
  history: HistoryEntry[];
  /** Candidates wanted this round (config `propose.candidates`). */
  count: number;
  limits: EditLimits;
  /** Free text from the maintainer that narrows the weaknesses; data, never instructions. */
  focus?: string;
  logger?: Logger;
}

export interface ProposeOutput {
  candidates: Candidate[];
  /** Weaknesses the proposer chose not to address, and why. */
  declined: { weaknessId: string; reason: string }[];
  /** Proposals thrown away (malformed, refused, duplicate), and why. */
  dropped: { reason: string }[];
  usage: Required<Usage>;
}

export interface Proposer {
  readonly name: 'patterns' | 'model';
  propose(input: ProposeInput): Promise<ProposeOutput>;
}
