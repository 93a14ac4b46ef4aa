// What weakness mining produces: clusters of failures with evidence, written to `weaknesses.json`.
import type { Usage } from '../domain/types.js';

export type FailureClass =
  | 'timeout'
  | 'step-limit'
  | 'context-overflow'
  | 'parse-error'
  | 'tool-error'
  | 'command-not-found'
  | 'nonzero-exit-repeated'
  | 'action-loop'
  | 'false-completion'
  | 'gave-up'
  | 'infrastructure'
  | 'unknown';

export interface FailureSignature {
  failureClass: FailureClass;
  /** The decisive error text with numbers, paths, ids and hex stripped; '' when there is none. */
  fingerprint: string;
}

export interface EvidenceExcerpt {
  episodeId: string;
  taskId: string;
  /** Step id in the trace, when the evidence is a step. */
  stepId?: string;
  /** Redacted, truncated text. */
  excerpt: string;
}

export interface WeaknessLabels {
  terminalCause: string;
  criticality: 'root_cause' | 'contributor' | 'non_terminal_friction' | 'recovered_friction' | 'unknown';
  agentMechanism: string;
  harnessFixable: boolean;
}

export interface Weakness {
  /** Stable id: `w-` + first 10 hex of sha256(failureClass + fingerprint). */
  id: string;
  signature: FailureSignature;
  /** Train tasks affected (sorted). Never a held-out id. */
  tasks: string[];
  /** Episode ids (ledger ids) of the failures in the cluster. */
  episodes: string[];
  /** How many passing train episodes show the same signature (a pattern that also appears in passes is less decisive). */
  alsoInPassing: number;
  evidence: EvidenceExcerpt[];
  labels?: WeaknessLabels;
  /** One paragraph from the model, citing step ids. */
  diagnosis?: string;
  /** Why the model diagnosis is missing (call failed, reply malformed after one repair). */
  diagnosisError?: string;
  /** 1 = most important. */
  rank: number;
  /** Ids of clusters the model judged the same and merged into this one. */
  merged?: string[];
}

export interface MiningResult {
  version: 1;
  /** Ordered by rank. */
  weaknesses: Weakness[];
  /** Train tasks that passed at least once: the regression tests a proposal must protect. */
  passingTasks: string[];
  episodesRead: number;
  failuresRead: number;
  /** Infrastructure-invalid episodes left out of mining. */
  infraExcluded: number;
  /** Records given to the miner that were not train episodes, dropped unread (held-out isolation). */
  nonTrainDropped?: number;
  skipped: { file: string; reason: string }[];
  model?: string;
  usage: Required<Usage>;
}
