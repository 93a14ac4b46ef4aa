// The two top-level flows the CLI and the action call: evolve (mine -> propose -> validate rounds) and validate (a given change).
// Result types only; the options and the implementations live in src/flows/.
import type { Usage } from './types.js';
import type { Decision, ValidationReport } from './validation.js';

export interface FlowBudget {
  episodes?: number;
  tokens?: number;
  usd?: number;
}

export interface ChangedFile {
  /** Repo-relative path (relative to the git top level, as GitHub annotations want). */
  path: string;
  /** 1-based line numbers of added or changed lines in the new version. */
  addedLines: number[];
}

export interface EvolveRoundSummary {
  round: number;
  weaknesses: number;
  candidates: number;
  promoted: string[];
  /** Pass rate (train) of the harness at the end of the round, with its interval. */
  trainRate: number;
  trainCi: { low: number; high: number };
}

/** One test of an evolve run that could promote, and the share of the run's alpha it spent. */
export interface AlphaSpend {
  round: number;
  /** What was tested, e.g. `held-out confirmation of c-1a2b3c4d5e`. */
  test: string;
  alpha: number;
  /** The test's decision. */
  outcome: string;
}

/** The error rate that held for an evolve run's decision, with the spending ledger behind it. */
export interface ErrorControl {
  /** validate.alpha: the most the run's tests may spend together. */
  alpha: number;
  spent: number;
  spends: AlphaSpend[];
  /** The guarantee in plain words, for reports. */
  statement: string;
}

export interface EvolveResult {
  decision: Decision;
  reason: string;
  /** The local branch and commit holding the promoted harness change (absent when nothing was promoted). */
  branch?: string;
  commit?: string;
  baseCommit: string;
  changedFiles: ChangedFile[];
  /** Unified diff of the promoted change against the base. */
  diff: string;
  /** The final validation of the promoted (or best) change, when one was run. */
  validation?: ValidationReport;
  rounds: EvolveRoundSummary[];
  /** What each promoted edit does and why, as its proposer said (untrusted text: escape it where it is shown). */
  changes?: { round: number; candidateId: string; summary: string; rationale: string }[];
  /** Weaknesses targeted by the promoted change, with evidence excerpts (train only). */
  targeted: { id: string; failureClass: string; tasks: string[]; diagnosis?: string; evidence: string[] }[];
  estimate: { episodes: number; tokens: number; usd: number };
  /** The run's alpha and how its tests spent it (absent on a dry run). */
  errorControl?: ErrorControl;
  spent: { episodes: number; cachedEpisodes: number } & Required<Usage>;
  /** The report as markdown (verdict first) and the path of the JSON report written under stateDir. */
  markdown: string;
  reportPath: string;
}

export interface ValidateRefsResult {
  report: ValidationReport;
  changedFiles: ChangedFile[];
  /** Paths the change touched outside the harness surface (reported; those files are not what the gate judges). */
  outsideSurface: string[];
  diff: string;
  markdown: string;
  reportPath: string;
}
