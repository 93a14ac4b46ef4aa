// What the CLI and the action pass to the two top-level flows (evolve, validate-refs); their results are domain types.
import type { LoadedConfig } from '../config/schema.js';
import type { ChatModel, EpisodeRunner, Logger } from '../domain/types.js';
import type { Proposer } from '../propose/types.js';
import type { FlowBudget } from '../domain/flows.js';
import type { Question } from '../domain/validation.js';

export interface EvolveOptions {
  loaded: LoadedConfig;
  stateDir: string;
  /** Git ref evolution starts from (default HEAD). */
  baseRef?: string;
  rounds: number;
  budget: FlowBudget;
  /** Free-text focus from a `/self-harness evolve focus=...` comment: narrows weaknesses; never trusted as instructions. */
  focus?: string;
  /** The proposer/diagnosis model; undefined = offline (patterns proposer, deterministic mining). */
  model?: ChatModel;
  /** Local branch to commit a promoted change to (default `self-harness/evolve`). Never the checked-out branch. */
  branch?: string;
  /** Only print the estimate. */
  dryRun?: boolean;
  /** Literal secret values (API keys, tokens) to redact from anything sent to the model, besides the patterns the miner knows. */
  secrets?: string[];
  logger?: Logger;
  /** The episode runner (default: from the config); tests and bench/evolve.ts pass a simulated one. */
  runner?: EpisodeRunner;
  /** The proposer (default: from propose.proposer); tests and bench/evolve.ts pass a scripted one. */
  proposer?: Proposer;
}

export interface ValidateRefsOptions {
  loaded: LoadedConfig;
  stateDir: string;
  base: string;
  head: string;
  /**
   * The question (default non-inferiority: "is the change not worse by validate.regression-margin?", the PR gate's);
   * superiority asks "is it better by validate.min-effect?", as evolve's promotions do, and adds the held-out confirmation.
   */
  question?: Question;
  /** Run the sealed held-out confirmation when a superiority test passes on train (default true). */
  confirmHoldout?: boolean;
  budget?: FlowBudget;
  logger?: Logger;
  /** The episode runner (default: from the config); the CLI passes a stoppable one for Ctrl-C. */
  runner?: EpisodeRunner;
}
