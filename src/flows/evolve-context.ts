// What an evolve round works with (the run's session, budgets, alpha ledger, proposer and lineage) and what it returns.
import type { EvolveRoundSummary } from '../domain/flows.js';
import type { StopReason } from '../domain/stop.js';
import type { ValidationReport } from '../domain/validation.js';
import type { Candidate, HistoryEntry, Proposer } from '../propose/types.js';
import type { Weakness } from '../mining/types.js';
import type { Session } from './session.js';
import type { BudgetTracker } from './budget.js';
import type { AlphaLedger } from './alpha-ledger.js';
import type { EvolveOptions } from './options.js';
import type { RoundHistory } from './evolve-lineage.js';
import type { Screened } from './evolve-candidates.js';

export interface RoundContext {
  session: Session;
  options: EvolveOptions;
  budget: BudgetTracker;
  alpha: AlphaLedger;
  proposer: Proposer;
  /** Earlier runs' history (committed and local). */
  history: HistoryEntry[];
  log: RoundHistory;
  /** Candidates that passed screening but were not confirmed: tried again (re-applied, re-screened) next round. */
  carried: Candidate[];
}

export interface RoundResult {
  summary: EvolveRoundSummary;
  stop?: StopReason;
  /** Candidates screened this round (not skipped as already judged). */
  judged: number;
  /** The confirmed candidate, still in its worktree: the caller commits it and disposes the worktree. */
  confirmed?: { screened: Screened; report: ValidationReport; weakness?: Weakness };
}
