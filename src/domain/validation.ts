// The validation verdict of one harness change against its baseline: what the report and the gate read.
import type { Usage } from './types.js';

export interface Interval {
  low: number;
  high: number;
}

/**
 * promote / reject / inconclusive. Under the non-inferiority question (a person's PR gate) the same values read
 * pass / regress / inconclusive: see `decisionWord`.
 */
export type Decision = 'promote' | 'reject' | 'inconclusive';

/** superiority: "is it better by min-effect?" (the bot's promotions); non-inferiority: "is it not worse by the margin?" (a PR gate). */
export type Question = 'superiority' | 'non-inferiority';

/** The word a person reads for a decision under a question. */
export function decisionWord(question: Question | undefined, decision: Decision): string {
  if (question === 'non-inferiority') return decision === 'promote' ? 'pass' : decision === 'reject' ? 'regress' : 'inconclusive';
  return decision;
}

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
  /** Passes and judged runs of each task on both sides (train only: held-out task results stay in the counts above). */
  perTask?: TaskResult[];
}

/** One task's paired runs: passes out of judged runs on the baseline and on the candidate. */
export interface TaskResult {
  taskId: string;
  baseline: { passes: number; runs: number };
  candidate: { passes: number; runs: number };
}

export interface SequentialTrace {
  /** The test used, in words, with its fixed error rates. */
  method: string;
  alpha: number;
  beta: number;
  minEffect: number;
  /** Non-inferiority margin (present for that question). */
  margin?: number;
  /** Looks taken and the statistic at each look, for the report. */
  looks: { episodes: number; statistic: number; lower: number; upper: number }[];
  stoppedEarly: boolean;
}

export interface ValidationReport {
  version: 1;
  /** The question the test answered (absent in reports written before questions existed: superiority). */
  question?: Question;
  decision: Decision;
  /** One sentence: why this decision. */
  reason: string;
  /** Set when the episode budget, not the evidence, ended the validation. */
  stoppedBy?: 'budget';
  baseline: { label: string; harnessHash: string };
  candidate: { label: string; harnessHash: string };
  episodes: { run: number; cached: number; infra: number };
  train: SplitComparison;
  /** Present only when the held-out split was run (a confirmation of the single candidate about to be promoted). */
  holdout?: SplitComparison;
  /** How many times the sealed held-out split has been used so far in this state directory (including this one). */
  holdoutUses: number;
  sequential: SequentialTrace;
  /** The held-out confirmation's own sequential test, when it ran. */
  confirmation?: SequentialTrace;
  usage: Required<Usage>;
  startedAt: string;
  durationMs: number;
}
