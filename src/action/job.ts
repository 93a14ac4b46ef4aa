// What every job of the action shares: settings, context, the GitHub client, the loaded config, the flows, outputs.
import { outgoing } from '../github/outgoing.js';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import * as core from '@actions/core';
import type { EvolveResult, FlowBudget, ValidateRefsResult } from '../domain/flows.js';
import type { EvolveOptions, ValidateRefsOptions } from '../flows/options.js';
import { resolveRunSettings } from '../flows/run-settings.js';
import type { ChatModel, Logger } from '../domain/types.js';
import type { LoadedConfig } from '../config/schema.js';
import type { GitHub } from '../github/client.js';
import type { RepoId } from '../github/client.js';
import { JOB_SUMMARY_LIMIT, sanitizeReportMarkdown, truncateMarkdown } from '../domain/markdown-limit.js';
import type { ActionSettings } from './settings.js';
import type { RunContext } from './context.js';

/** The core flows the action drives; injected so tests can run the GitHub plumbing around stand-ins. */
export interface Flows {
  evolve(options: EvolveOptions): Promise<EvolveResult>;
  validateRefs(options: ValidateRefsOptions): Promise<ValidateRefsResult>;
}

export type OutputName = 'decision' | 'pr-number' | 'pr-url' | 'check-run-id' | 'check-run-url' | 'train-delta' | 'report-path';

export interface JobEnv {
  settings: ActionSettings;
  ctx: RunContext;
  github: GitHub;
  repo: RepoId;
  loaded: LoadedConfig;
  stateDir: string;
  flows: Flows;
  model?: ChatModel;
  logger: Logger;
  setOutput(name: OutputName, value: string | number): void;
}

/**
 * Prints text that may carry episode, model or trace output: a line of it starting with `::` would be read by the
 * runner as a workflow command (`::add-mask::`, `::warning::`, `::set-output::`...), so command processing is
 * paused around it with a token nobody can guess.
 */
export function logUntrusted(message: string): void {
  if (!message.includes('::')) {
    core.info(message);
    return;
  }
  const token = randomBytes(16).toString('hex');
  core.info(`::stop-commands::${token}`);
  core.info(message);
  core.info(`::${token}::`);
}

export const actionLogger: Logger = {
  // warning() and debug() are commands themselves: @actions/core escapes their text, so nothing in it starts a line.
  info: logUntrusted,
  warn: (message) => core.warning(message),
  debug: (message) => core.debug(message),
};

export function budgetOf(job: Pick<JobEnv, 'settings' | 'loaded'>): FlowBudget {
  return resolveRunSettings(job.loaded.config, { budget: { episodes: job.settings.budgetEpisodes, usd: job.settings.budgetUsd } }).budget;
}

export function stateDirOf(loaded: LoadedConfig): string {
  return path.resolve(loaded.root, loaded.config['state-dir']);
}

/** The job summary (same report as the PR/check), redacted like everything posted, fitted under the runner's 1 MiB limit. */
export async function writeJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const text = truncateMarkdown(
    sanitizeReportMarkdown(await outgoing(markdown)),
    JOB_SUMMARY_LIMIT - 1024,
    'bytes',
    'Job summary truncated to fit the runner limit; see the report JSON.',
  );
  await core.summary.addRaw(text, true).write();
}

export async function group<T>(name: string, work: () => Promise<T>): Promise<T> {
  return core.group(name, work);
}

export async function defaultBranchOf(job: Pick<JobEnv, 'ctx' | 'github' | 'repo'>): Promise<string> {
  const fromPayload = job.ctx.payload.repository?.default_branch;
  if (typeof fromPayload === 'string' && fromPayload) return fromPayload;
  const { data } = await job.github.rest.repos.get({ ...job.repo });
  return data.default_branch;
}
