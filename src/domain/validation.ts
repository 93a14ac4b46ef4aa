// The validation verdict of one harness change against its baseline: what the report and the gate read.
import type { Usage } from './types.js';

export interface Interval {
  low: number;
  high: number;
}

export type Decision = 'promote' | 'reject' | 'inconclusive';

export interface SideNumbers {
  passed: number;
  total: number;
  rate: number;
  ci: Interval;
  /** Infra-error episodes, excluded from passed/total. */
  infra: number;
}

export interface SplitComparison {
  baseline: SideNumbers;
  candidate: SideNumbers;
  /** Candidate minus baseline pass rate, paired per task, with its interval. */
  delta: number;
  deltaCi: Interval;
  /** Tasks that passed reliably on the baseline and fail on the candidate. */
  regressions: string[];
  /** Tasks that failed reliably on the baseline and pass on the candidate. */
  fixes: string[];
  /** Tasks compared (paired), and attempts per task per side. */
  tasks: number;
  attemptsPerTask: number;
}

export interface SequentialTrace {
  /** The test used, in words, with its fixed error rates. */
  method: string;
  alpha: number;
  beta: number;
  minEffect: number;
  /** Looks taken and the statistic at each look, for the report. */
  looks: { episodes: number; statistic: number; lower: number; upper: number }[];
  stoppedEarly: boolean;
}

export interface ValidationReport {
  version: 1;
  decision: Decision;
  /** One sentence: why this decision. */
  reason: string;
  baseline: { label: string; harnessHash: string };
  candidate: { label: string; harnessHash: string };
  episodes: { run: number; cached: number; infra: number };
  train: SplitComparison;
  /** Present only when the held-out split was run (a confirmation of the single candidate about to be promoted). */
  holdout?: SplitComparison;
  /** How many times the sealed held-out split has been used so far in this state directory (including this one). */
  holdout_uses: number;
  sequential: SequentialTrace;
  usage: Required<Usage>;
  startedAt: string;
  durationMs: number;
}
