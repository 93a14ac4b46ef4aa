// One candidate's way through a round: applied in a fresh worktree of the parent commit, then screened on the train
// split on the round's fresh screening stream (never on the episodes that were mined for the proposal).
import path from 'node:path';
import type { HarnessVersion } from '../domain/types.js';
import type { ValidationReport } from '../domain/validation.js';
import type { Session } from './session.js';
import type { BudgetTracker } from './budget.js';
import { judge } from './validate-refs.js';
import { harnessVersion } from '../harness/surface.js';
import { applyCandidate } from '../propose/apply.js';
import type { Candidate } from '../propose/types.js';
import type { Weakness } from '../mining/types.js';
import { createCandidateWorktree, type CandidateWorktree } from '../git/candidate-worktree.js';

export interface Screened {
  candidate: Candidate;
  worktree: CandidateWorktree;
  version: HarnessVersion;
  report: ValidationReport;
  changed: string[];
  diff: string;
}

export interface ScreenSettings {
  /** The screening test's alpha: validate.screen-alpha, or a share of the run's alpha when it is the only test. */
  alpha: number;
  stream: string;
  weaknesses: Weakness[];
}

/** Applies a candidate in a fresh worktree at `commit` and screens it (train split only) against `parent`. */
export async function screenCandidate(
  session: Session,
  commit: string,
  candidate: Candidate,
  parent: HarnessVersion,
  budget: BudgetTracker,
  settings: ScreenSettings,
): Promise<Screened | { refused: string }> {
  const config = session.loaded.config;
  const worktree = await createCandidateWorktree(session.gitTop, commit, session.stateDir, candidate.id);
  const dir = path.join(worktree.root, session.configSubdir);
  const limits = { maxEditLines: config.propose['max-edit-lines'], maxRoundLines: config.propose['max-round-lines'] };
  let applied: { changedFiles: string[]; diff: string };
  try {
    applied = await applyCandidate(candidate, dir, session.surface, limits);
  } catch (error) {
    await worktree.dispose();
    return { refused: (error as Error).message };
  }
  try {
    const version = await harnessVersion(session.surface, dir, candidate.id);
    const report = await judge(session, parent, version, {
      runHoldout: false,
      budget,
      question: 'superiority',
      alpha: settings.alpha,
      streams: { train: settings.stream },
      targetedTasks: targetedTasks(candidate, settings.weaknesses),
    });
    return { candidate, worktree, version, report, changed: applied.changedFiles, diff: applied.diff };
  } catch (error) {
    await worktree.dispose();
    throw error;
  }
}

/** Train tasks the candidate should move: its predicted fixes and its weakness's tasks (run first, on fresh episodes). */
export function targetedTasks(candidate: Candidate, weaknesses: Weakness[]): string[] {
  const ids = new Set(candidate.predictedFixes);
  weaknesses.find((w) => w.id === candidate.weaknessId)?.tasks.forEach((t) => ids.add(t));
  return [...ids];
}

/** The best screened candidate: the largest train delta among those that passed screening. */
export function bestOf(passed: Screened[]): Screened | undefined {
  return [...passed].sort((a, b) => b.report.train.delta - a.report.train.delta || a.candidate.id.localeCompare(b.candidate.id))[0];
}

/** Narrows weaknesses to those whose class, fingerprint or diagnosis mention a word of the focus text. */
export function focusOn(weaknesses: Weakness[], focus?: string): Weakness[] {
  const words = (focus ?? '')
    .toLowerCase()
    .split(/[^a-z0-9-]+/)
    .filter((w) => w.length >= 3);
  if (words.length === 0) return weaknesses;
  const matching = weaknesses.filter((w) => {
    const text = `${w.signature.failureClass} ${w.signature.fingerprint} ${w.diagnosis ?? ''} ${w.labels?.terminalCause ?? ''}`.toLowerCase();
    return words.some((word) => text.includes(word));
  });
  return matching.length > 0 ? matching : weaknesses;
}
