// Validate a harness change (a PR head or a merge-queue head against its merge base) and report it as a check run on
// that head SHA. A change that touches no harness file gets a completed `success` check at once, without a suite run.
import type { ValidateRefsResult } from '../domain/flows.js';
import type { LoadedConfig } from '../config/schema.js';
import { fencedText } from '../domain/markdown-limit.js';
import { git } from '../git/git.js';
import { classifyChangedPaths, policyFromConfig } from '../harness/surface.js';
import { ensureCommits } from '../github/branch.js';
import { completeCheckRun, type CheckRunResult, type StartedCheckRun } from '../github/check-run.js';
import { fullReportHint } from '../report/pr-body.js';
import { completedVerdictOn, postCheckRun, trainDelta, tryStartCheckRun, verdictCheck } from './check.js';
import { budgetOf, group, writeJobSummary, type JobEnv } from './job.js';
import { gateConfigAt } from './gate-config.js';

/** What to validate: a head commit against the base it would merge into. */
export interface ValidateTarget {
  headSha: string;
  baseSha: string;
  /** Shown in logs: "pull request #7", "merge group gh-readonly-queue/main/pr-7-…". */
  label: string;
  /**
   * Set for a pull_request event on the bot's own branch: a verdict the evolve run already posted on this exact head
   * is kept instead of validating the same commit twice. Never set for commands (they ask for a fresh run).
   */
  reuseVerdictOnBotBranch?: boolean;
}

export interface ValidateRequest {
  target: ValidateTarget;
  /** Overrides `validate.max-attempts` (from `/self-harness validate attempts=N`). */
  maxAttempts?: number;
  /** Called before the verdict is reported; returns a reason to withhold it (e.g. the head moved). */
  beforeReport?: () => Promise<string | undefined>;
}

export type ValidateJobResult =
  | { kind: 'skipped'; why: string; checkRun?: StartedCheckRun }
  | { kind: 'withheld'; why: string; checkRun?: StartedCheckRun }
  | { kind: 'done'; result: ValidateRefsResult; checkRun?: StartedCheckRun };

/** The harness files among repo-relative changed paths, by the one surface rule (classifyChangedPaths). */
export function gateHarnessFiles(changed: readonly string[], loaded: LoadedConfig, configDir: string): string[] {
  return classifyChangedPaths(changed, { policy: policyFromConfig(loaded), configDir }).harness;
}

/** Every path the head changes relative to the merge base (renames count with both names). */
async function changedPaths(cwd: string, base: string, head: string): Promise<string[]> {
  const out = await git(['diff', '--name-only', '--no-renames', '-z', base, head, '--'], { cwd });
  return out.split('\0').filter(Boolean);
}

function withMaxAttempts(loaded: LoadedConfig, maxAttempts: number | undefined): LoadedConfig {
  if (maxAttempts === undefined) return loaded;
  return { ...loaded, config: { ...loaded.config, validate: { ...loaded.config.validate, 'max-attempts': maxAttempts } } };
}

export async function runValidateJob(job: JobEnv, request: ValidateRequest): Promise<ValidateJobResult> {
  const { target } = request;
  const cwd = job.ctx.workspace;
  if (target.reuseVerdictOnBotBranch) {
    const existing = await completedVerdictOn(job, target.headSha);
    if (existing) {
      job.setOutput('decision', 'none');
      job.logger.info(
        `${target.label}: head ${target.headSha.slice(0, 12)} already carries a completed "${job.settings.checkName}" check (${existing.conclusion}) from the evolve run that pushed it; not validating it again.`,
      );
      return { kind: 'skipped', why: 'verdict already posted on this head' };
    }
  }
  await ensureCommits(cwd, job.settings.githubToken, [target.baseSha, target.headSha]);
  const base = await git(['merge-base', target.baseSha, target.headSha], { cwd });
  const { loaded: gateLoaded, location } = await gateConfigAt(job.loaded, cwd, base, job.logger);
  const loaded = withMaxAttempts(gateLoaded, request.maxAttempts);
  const harnessFiles = gateHarnessFiles(await changedPaths(cwd, base, target.headSha), loaded, location.configDir);
  if (harnessFiles.length === 0) {
    // A completed success keeps a required check from waiting forever on changes that cannot affect the agent.
    const checkRun = await postCheckRun(job, target.headSha, {
      conclusion: 'success',
      title: 'No harness files changed',
      summary: `This change touches no file of the harness surface (harness.include: ${loaded.config.harness.include.map((g) => `\`${g}\``).join(', ') || 'empty'}), so it cannot change the agent's behaviour; nothing to validate.`,
      annotations: [],
      fullReportHint: '',
    });
    job.setOutput('decision', 'none');
    job.logger.info(`${target.label} changes no harness file; reported a success check and stopped.`);
    return { kind: 'skipped', why: 'no harness files changed', checkRun };
  }
  job.logger.info(`Harness files changed: ${harnessFiles.join(', ')}`);

  const checkRun = await tryStartCheckRun(job, target.headSha);
  const complete = async (result: CheckRunResult) => {
    if (checkRun) await completeCheckRun(job.github, job.repo, checkRun.id, result);
  };
  try {
    const result = await group(`self-harness validate ${base.slice(0, 12)}..${target.headSha.slice(0, 12)} (${target.label})`, () =>
      job.flows.validateRefs({
        loaded,
        stateDir: job.stateDir,
        base,
        head: target.headSha,
        budget: budgetOf({ settings: job.settings, loaded }),
        logger: job.logger,
      }),
    );
    job.setOutput('report-path', result.reportPath);
    await writeJobSummary(result.markdown);
    const withheld = request.beforeReport ? await request.beforeReport() : undefined;
    if (withheld) {
      await complete({ conclusion: 'cancelled', title: 'Result withheld', summary: withheld, annotations: [], fullReportHint: '' });
      return { kind: 'withheld', why: withheld, checkRun };
    }
    const report = result.report;
    job.setOutput('decision', report.decision);
    job.setOutput('train-delta', trainDelta(report.train.delta));
    await complete(
      verdictCheck(
        job,
        report,
        result.markdown,
        result.changedFiles,
        fullReportHint(job.ctx.runUrl, result.reportPath),
        loaded.config.validate['max-attempts'],
      ),
    );
    job.logger.info(`Validation: ${report.decision}. ${report.reason}`);
    return { kind: 'done', result, checkRun };
  } catch (error) {
    // Never leave the check spinning: report the failure on it, then let the step fail.
    const message = error instanceof Error ? error.message : String(error);
    await complete({
      conclusion: 'failure',
      title: 'Validation could not run',
      summary: `self-harness could not validate this change:\n\n${fencedText(message.slice(0, 4000))}\n`,
      annotations: [],
      fullReportHint: '',
    }).catch(() => undefined);
    throw error;
  }
}
