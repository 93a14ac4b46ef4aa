// Validate a PR's harness change (head against its merge base) and report it as a check run on the PR head SHA.
import path from 'node:path';
import type { ValidateRefsResult } from '../domain/flows.js';
import { git } from '../git/git.js';
import { ensureCommits } from '../github/branch.js';
import { annotationsFor, completeCheckRun, conclusionFor, startCheckRun, type CheckRunResult, type StartedCheckRun } from '../github/check-run.js';
import { statusOf } from '../github/client.js';
import { listPullFiles } from '../github/pulls.js';
import { fullReportHint } from '../report/pr-body.js';
import { surfaceMatcher, type PullRef } from './route.js';
import { budgetOf, group, writeJobSummary, type JobEnv } from './job.js';
import { gateConfigAt } from './gate-config.js';
import type { LoadedConfig } from '../config/schema.js';

export interface ValidateRequest {
  pull: PullRef;
  /** Called before the verdict is reported; returns a reason to withhold it (e.g. the head moved). */
  beforeReport?: () => Promise<string | undefined>;
}

export type ValidateJobResult =
  | { kind: 'skipped'; why: string; checkRun?: StartedCheckRun }
  | { kind: 'withheld'; why: string; checkRun?: StartedCheckRun }
  | { kind: 'done'; result: ValidateRefsResult; checkRun?: StartedCheckRun };

function pct(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;
}

/** Does the PR change any harness file? (Globs are relative to the config's directory; PR paths to the repo.) */
export async function touchesHarness(job: JobEnv, loaded: LoadedConfig, pullNumber: number): Promise<string[]> {
  const files = await listPullFiles(job.github, job.repo, pullNumber);
  const top = await git(['rev-parse', '--show-toplevel'], { cwd: job.ctx.workspace });
  const configDir = path.relative(top, loaded.root).split(path.sep).join('/');
  const inSurface = surfaceMatcher(loaded.config.harness.include, loaded.config.harness.exclude, configDir);
  return files.filter(inSurface);
}

/**
 * Starts the check run; a token without `checks: write` (fork PRs under pull_request) gets a warning instead of a
 * failed step, and the report still goes to the job summary.
 */
async function tryStartCheckRun(job: JobEnv, headSha: string): Promise<StartedCheckRun | undefined> {
  try {
    const started = await startCheckRun(job.github, job.repo, job.settings.checkName, headSha, job.ctx.runUrl);
    job.setOutput('check-run-id', started.id);
    return started;
  } catch (error) {
    if (statusOf(error) !== 403) throw error;
    job.logger.warn(`Cannot create the check run (${(error as Error).message}): the token lacks \`checks: write\` (fork pull requests get a read-only token). The report is in the job summary only.`);
    return undefined;
  }
}

export async function runValidateJob(job: JobEnv, request: ValidateRequest): Promise<ValidateJobResult> {
  const { pull } = request;
  const repo = job.repo;
  const complete = async (checkRun: StartedCheckRun | undefined, result: CheckRunResult) => {
    if (checkRun) await completeCheckRun(job.github, repo, checkRun.id, result);
  };
  await ensureCommits(job.ctx.workspace, job.settings.githubToken, [pull.baseSha, pull.headSha]);
  const base = await git(['merge-base', pull.baseSha, pull.headSha], { cwd: job.ctx.workspace });
  const { loaded } = await gateConfigAt(job.loaded, job.ctx.workspace, base, job.logger);
  const harnessFiles = await touchesHarness(job, loaded, pull.number);
  if (harnessFiles.length === 0) {
    // A completed check keeps a ruleset that requires this check from waiting forever on unrelated PRs.
    const checkRun = await tryStartCheckRun(job, pull.headSha);
    await complete(checkRun, {
      conclusion: 'neutral',
      title: 'No harness files changed',
      summary: `This pull request changes no file of the harness surface (${loaded.config.harness.include.join(', ')}); nothing to validate.`,
      annotations: [],
      fullReportHint: '',
    });
    job.setOutput('decision', 'none');
    job.logger.info('The pull request changes no harness file; reported a neutral check and stopped.');
    return { kind: 'skipped', why: 'no harness files changed', checkRun };
  }
  job.logger.info(`Harness files changed: ${harnessFiles.join(', ')}`);

  const checkRun = await tryStartCheckRun(job, pull.headSha);
  try {
    const result = await group(`self-harness validate ${base.slice(0, 12)}..${pull.headSha.slice(0, 12)}`, () =>
      job.flows.validateRefs({ loaded, stateDir: job.stateDir, base, head: pull.headSha, budget: budgetOf({ settings: job.settings, loaded }), logger: job.logger }),
    );
    job.setOutput('report-path', result.reportPath);
    await writeJobSummary(result.markdown);
    const withheld = request.beforeReport ? await request.beforeReport() : undefined;
    if (withheld) {
      await complete(checkRun, { conclusion: 'cancelled', title: 'Result withheld', summary: withheld, annotations: [], fullReportHint: '' });
      return { kind: 'withheld', why: withheld, checkRun };
    }
    const report = result.report;
    job.setOutput('decision', report.decision);
    await complete(checkRun, {
      conclusion: conclusionFor(report.decision, job.settings.inconclusiveConclusion),
      title: `${report.decision}: ${pct(report.train.delta)} pass rate on train`,
      summary: result.markdown,
      annotations: annotationsFor(result.changedFiles, report.decision),
      fullReportHint: fullReportHint(job.ctx.runUrl, result.reportPath),
    });
    job.logger.info(`Validation: ${report.decision}. ${report.reason}`);
    return { kind: 'done', result, checkRun };
  } catch (error) {
    // Never leave the check spinning: report the failure on it, then let the step fail.
    const message = error instanceof Error ? error.message : String(error);
    await complete(checkRun, {
      conclusion: 'failure',
      title: 'Validation could not run',
      summary: `self-harness could not validate this change:\n\n\`\`\`\n${message.slice(0, 4000)}\n\`\`\`\n`,
      annotations: [],
      fullReportHint: '',
    }).catch(() => undefined);
    throw error;
  }
}
