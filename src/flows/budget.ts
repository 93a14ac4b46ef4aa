// Costs are visible and capped: an upper-bound estimate before the run, and a tracker checked before each step.
import type { FlowBudget } from '../domain/flows.js';
import type { StopReason } from '../domain/stop.js';

export interface EstimateInput {
  trainTasks: number;
  holdoutTasks: number;
  attempts: number;
  rounds: number;
  candidates: number;
  maxAttempts: number;
  holdoutAttempts: number;
  /** Present when a model is used for diagnosis and proposals. */
  model?: { maxClusters: number; evidenceTokens: number; inputUsdPerMtok: number; outputUsdPerMtok: number };
}

export interface Estimate {
  episodes: number;
  tokens: number;
  usd: number;
  /** How the figures were reached, one line each, for the printed estimate. */
  lines: string[];
}

// Rough per-call sizes used only for the estimate: a proposal prompt carries the weakness evidence and the harness files.
const PROPOSAL_PROMPT_TOKENS = 8000;
const PROPOSAL_REPLY_TOKENS = 1500;
const DIAGNOSIS_REPLY_TOKENS = 500;

/** An upper bound: every candidate run to its maximum attempts on the whole train split, and a held-out confirmation each round. */
export function estimateEvolve(input: EstimateInput): Estimate {
  const baselinePerRound = input.trainTasks * input.attempts;
  const perCandidate = input.trainTasks * input.maxAttempts * 2;
  const holdoutPerRound = input.holdoutTasks * input.holdoutAttempts * 2;
  const episodes = input.rounds * (baselinePerRound + input.candidates * perCandidate + holdoutPerRound);
  const lines = [
    `${input.rounds} round(s) × (baseline ${input.trainTasks} train tasks × ${input.attempts} attempt(s) = ${baselinePerRound}`,
    `  + ${input.candidates} candidate(s) × at most ${perCandidate} paired episodes (${input.trainTasks} tasks × ${input.maxAttempts} attempts × 2 sides; sequential stopping usually needs far fewer, cached ones are free)`,
    `  + held-out confirmation at most ${holdoutPerRound}) = at most ${episodes} episodes`,
  ];
  let tokens = 0;
  let usd = 0;
  if (input.model) {
    const m = input.model;
    const inTokens = input.rounds * (m.maxClusters * m.evidenceTokens + input.candidates * PROPOSAL_PROMPT_TOKENS);
    const outTokens = input.rounds * (m.maxClusters * DIAGNOSIS_REPLY_TOKENS + input.candidates * PROPOSAL_REPLY_TOKENS);
    tokens = inTokens + outTokens;
    usd = (inTokens * m.inputUsdPerMtok + outTokens * m.outputUsdPerMtok) / 1e6;
    lines.push(
      `model: at most ~${tokens.toLocaleString('en-US')} tokens (${inTokens.toLocaleString('en-US')} in, ${outTokens.toLocaleString('en-US')} out) ≈ $${usd.toFixed(2)} at the configured prices; the agent's own tokens are counted from result.json usage as episodes report them`,
    );
  } else {
    lines.push('model: none (offline: patterns proposer, deterministic mining): 0 tokens');
  }
  return { episodes, tokens, usd, lines };
}

/** Tracks spending against the budget; `exhausted()` is checked before each step. */
export class BudgetTracker {
  episodes = 0;
  cachedEpisodes = 0;
  tokens = 0;
  inputTokens = 0;
  outputTokens = 0;
  usd = 0;

  constructor(readonly budget: FlowBudget) {}

  addEpisodes(run: number, cached: number): void {
    this.episodes += run;
    this.cachedEpisodes += cached;
  }

  addUsage(usage: { inputTokens?: number; outputTokens?: number; costUsd?: number }): void {
    this.inputTokens += usage.inputTokens ?? 0;
    this.outputTokens += usage.outputTokens ?? 0;
    this.tokens += (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);
    this.usd += usage.costUsd ?? 0;
  }

  episodesLeft(): number {
    return this.budget.episodes === undefined ? Number.POSITIVE_INFINITY : Math.max(0, this.budget.episodes - this.episodes);
  }

  /** Why no further step may start, or undefined while within budget. */
  exhausted(): StopReason | undefined {
    if (this.budget.episodes !== undefined && this.episodes >= this.budget.episodes)
      return { kind: 'budget', resource: 'episodes', used: this.episodes, limit: this.budget.episodes };
    if (this.budget.tokens !== undefined && this.tokens >= this.budget.tokens)
      return { kind: 'budget', resource: 'tokens', used: this.tokens, limit: this.budget.tokens };
    if (this.budget.usd !== undefined && this.usd >= this.budget.usd) return { kind: 'budget', resource: 'usd', used: this.usd, limit: this.budget.usd };
    return undefined;
  }

  /** Why a step stopped for want of episodes (`during` says which step): the reason `exhausted()` gives, else the episode budget. */
  episodeStop(during: string): StopReason {
    return this.exhausted() ?? { kind: 'budget', resource: 'episodes', used: this.episodes, limit: this.budget.episodes ?? 0, during };
  }
}
