// Per-task judgement: which tasks the candidate broke (regressions) and which it repaired (fixes).
import type { TaskTally } from './paired.js';

export interface TaskJudgementSettings {
  /** A baseline pass rate at or above this makes a task reliable; a rate at or below 1 - this is failing. */
  reliablePassRate: number;
  /** Attempts per side before a regression is named (the validator runs suspects up to max attempts). */
  regressionMinRuns: number;
  /** Attempts per side before a fix is named. */
  fixMinRuns: number;
}

const rate = (passes: number, runs: number) => (runs === 0 ? NaN : passes / runs);

function looksLikeRegression(tally: TaskTally, reliable: number): boolean {
  return rate(tally.baseline.passes, tally.baseline.runs) >= reliable && rate(tally.candidate.passes, tally.candidate.runs) <= 1 - reliable + 1e-12;
}

function looksLikeFix(tally: TaskTally, reliable: number): boolean {
  return rate(tally.baseline.passes, tally.baseline.runs) <= 1 - reliable + 1e-12 && rate(tally.candidate.passes, tally.candidate.runs) >= reliable;
}

const enough = (tally: TaskTally, runs: number) => tally.baseline.runs >= runs && tally.candidate.runs >= runs;

/** Tasks that passed reliably on the baseline and now fail, and the reverse; sorted by id. */
export function judgeTasks(tallies: TaskTally[], settings: TaskJudgementSettings): { regressions: string[]; fixes: string[] } {
  const regressions = tallies.filter((t) => enough(t, settings.regressionMinRuns) && looksLikeRegression(t, settings.reliablePassRate));
  const fixes = tallies.filter((t) => enough(t, settings.fixMinRuns) && looksLikeFix(t, settings.reliablePassRate));
  return { regressions: regressions.map((t) => t.taskId).sort(), fixes: fixes.map((t) => t.taskId).sort() };
}

/** Tasks that look like regressions so far but have too few attempts to be named: run them more before promoting. */
export function suspectedRegressions(tallies: TaskTally[], settings: TaskJudgementSettings): string[] {
  return tallies.filter((t) => !enough(t, settings.regressionMinRuns) && looksLikeRegression(t, settings.reliablePassRate)).map((t) => t.taskId);
}
