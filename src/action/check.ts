// The regression-validation check as the action posts it: started on a head SHA, completed from a verdict (by a PR
// validation or by the evolve run that pushed the bot's head), found again so an unchanged head is never re-validated.
import type { ChangedFile } from '../domain/flows.js';
import { decisionWord, type ValidationReport } from '../domain/validation.js';
import { annotationsFor, completeCheckRun, conclusionFor, startCheckRun, type CheckRunResult, type StartedCheckRun } from '../github/check-run.js';
import { statusOf } from '../github/client.js';
import { sanitizeReportMarkdown } from '../domain/markdown-limit.js';
import { changeVerdict, checkTitle, renderPerTaskTable } from '../report/check-summary.js';
import { MAX_COMMAND_ATTEMPTS } from './route.js';
import type { JobEnv } from './job.js';

function pct(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;
}

/** The train improvement as an output: the paired difference in pass rate, in points with one decimal (e.g. 12.5, -3.0). */
export function trainDelta(delta: number): string {
  return (Math.round(delta * 1000) / 10).toFixed(1);
}

/**
 * Starts the check run; a token without `checks: write` (fork PRs under pull_request, an evolve workflow without the
 * permission) gets a warning instead of a failed step, and the report still goes to the job summary.
 */
export async function tryStartCheckRun(job: JobEnv, headSha: string): Promise<StartedCheckRun | undefined> {
  try {
    const started = await startCheckRun(job.github, job.repo, job.settings.checkName, headSha, job.ctx.runUrl);
    job.setOutput('check-run-id', started.id);
    if (started.htmlUrl) job.setOutput('check-run-url', started.htmlUrl);
    return started;
  } catch (error) {
    if (statusOf(error) !== 403) throw error;
    job.logger.warn(
      `Cannot create the check run (${(error as Error).message}): the token lacks \`checks: write\` (fork pull requests get a read-only token; give the workflow \`permissions: checks: write\` otherwise). The report is in the job summary only.`,
    );
    return undefined;
  }
}

/** Starts and completes a check run in one go (e.g. "no harness file changed"); undefined without `checks: write`. */
export async function postCheckRun(job: JobEnv, headSha: string, result: CheckRunResult): Promise<StartedCheckRun | undefined> {
  const started = await tryStartCheckRun(job, headSha);
  if (started) await completeCheckRun(job.github, job.repo, started.id, result);
  return started;
}

/** The newest completed check run of ours on `headSha` that carries a verdict (not a cancelled or withheld one). */
export async function completedVerdictOn(job: JobEnv, headSha: string): Promise<{ id: number; conclusion: string; htmlUrl?: string } | undefined> {
  let data;
  try {
    ({ data } = await job.github.rest.checks.listForRef({
      ...job.repo,
      ref: headSha,
      check_name: job.settings.checkName,
      status: 'completed',
      filter: 'latest',
      per_page: 20,
    }));
  } catch (error) {
    if (statusOf(error) !== 403) throw error;
    // Without `checks: read` nothing can be reused: validate (or post) as if there were no verdict yet.
    job.logger.warn(`Cannot list check runs on ${headSha.slice(0, 12)} (${(error as Error).message}); give the workflow \`permissions: checks: write\`.`);
    return undefined;
  }
  const run = data.check_runs.find((r) => r.head_sha === headSha && r.name === job.settings.checkName && r.conclusion && r.conclusion !== 'cancelled');
  return run ? { id: run.id, conclusion: run.conclusion!, htmlUrl: run.html_url ?? undefined } : undefined;
}

/** The attempts a rerun should ask for when the evidence was not enough: double the cap, bounded. */
export function suggestedAttempts(report: ValidationReport, maxAttempts: number): number {
  return Math.min(MAX_COMMAND_ATTEMPTS, Math.max(maxAttempts, report.train.attemptsPerTask) * 2);
}

/**
 * What an inconclusive verdict lacks, and the exact comment that gets it. Shown at the top of the check summary:
 * with `inconclusive-conclusion: failure` (the default) the check blocks until someone gathers that evidence.
 */
export function inconclusiveNote(
  report: ValidationReport,
  settings: { commandPrefix: string; inconclusiveConclusion: 'neutral' | 'failure' },
  maxAttempts: number,
): string {
  const t = report.train;
  const attempts = suggestedAttempts(report, maxAttempts);
  const verdict =
    settings.inconclusiveConclusion === 'failure'
      ? 'This check fails until the evidence is there (`inconclusive-conclusion: failure`; `neutral` would let an unproven change pass a required check).'
      : 'This check is neutral (`inconclusive-conclusion: neutral`), which a required check counts as passing.';
  return [
    '> [!WARNING]',
    `> **Not enough evidence.** After ${t.tasks} paired train task${t.tasks === 1 ? '' : 's'} with ${t.attemptsPerTask} attempt${t.attemptsPerTask === 1 ? '' : 's'} per task and side, the pass-rate change ${pct(t.delta)} (interval ${pct(t.deltaCi.low)} to ${pct(t.deltaCi.high)}) neither shows an effect of ${pct(report.sequential.minEffect)} nor rules it out; ${report.episodes.infra} episode${report.episodes.infra === 1 ? ' was' : 's were'} lost to infrastructure errors.`,
    `> ${verdict}`,
    '> To gather more evidence (paired attempts per task, up to the cap given), a writer comments:',
    '>',
    '> ```',
    `> ${settings.commandPrefix} validate attempts=${attempts}`,
    '> ```',
    '> If the run stopped on its budget, raise `budget.episodes` (or the `budget-episodes` input) as well.',
    '',
  ].join('\n');
}

/**
 * The completed check for a verdict: conclusion from the decision, the numbers as title, the report and its per-task
 * table as summary, one annotation per changed file (at most `max-annotations`).
 */
export function verdictCheck(
  job: Pick<JobEnv, 'settings'>,
  report: ValidationReport,
  markdown: string,
  changedFiles: ChangedFile[],
  fullReportHint: string,
  maxAttempts: number,
): CheckRunResult {
  const note = report.decision === 'inconclusive' ? inconclusiveNote(report, job.settings, maxAttempts) + '\n' : '';
  const perTask = renderPerTaskTable(report);
  return {
    conclusion: conclusionFor(report.decision, job.settings.inconclusiveConclusion),
    title: checkTitle(report),
    summary: note + sanitizeReportMarkdown(markdown).trimEnd() + '\n' + (perTask ? `\n${perTask}\n` : ''),
    annotations: annotationsFor(changedFiles, changeVerdict(report, decisionWord(report.question, report.decision)), job.settings.maxAnnotations),
    fullReportHint,
  };
}
