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
  /** Weaknesses targeted by the promoted change, with evidence excerpts (train only). */
  targeted: { id: string; failureClass: string; tasks: string[]; diagnosis?: string; evidence: string[] }[];
  estimate: { episodes: number; tokens: number; usd: number };
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
