// The regression-validation check run: created in_progress on the PR head SHA, completed with the verdict,
// summary fitted in bytes, notice annotations on the harness lines the change touched (50 per request).
import type { ChangedFile } from '../domain/flows.js';
import type { Decision } from '../domain/validation.js';
import type { GitHub, RepoId } from './client.js';
import { CHECK_SUMMARY_LIMIT, truncateMarkdown } from '../domain/markdown-limit.js';

export type CheckConclusion = 'success' | 'failure' | 'neutral' | 'cancelled';

export const ANNOTATIONS_PER_REQUEST = 50;

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice';
  title: string;
  message: string;
}

/** promote -> success, reject -> failure, inconclusive (including budget exhausted) -> neutral. */
/** promote -> success, reject -> failure, inconclusive -> `inconclusive` (neutral by default; GitHub counts neutral as passing). */
export function conclusionFor(decision: Decision, inconclusive: 'neutral' | 'failure' = 'neutral'): CheckConclusion {
  if (decision === 'promote') return 'success';
  if (decision === 'reject') return 'failure';
  return inconclusive;
}

/** Groups added lines into contiguous ranges: one notice per range, so a rewritten paragraph is one annotation. */
export function annotationsFor(changed: ChangedFile[], decision: Decision): CheckAnnotation[] {
  const annotations: CheckAnnotation[] = [];
  for (const file of changed) {
    const lines = [...new Set(file.addedLines)].filter((n) => Number.isInteger(n) && n > 0).sort((a, b) => a - b);
    let start: number | undefined;
    let end = 0;
    const flush = () => {
      if (start === undefined) return;
      annotations.push({
        path: file.path,
        start_line: start,
        end_line: end,
        annotation_level: 'notice',
        title: 'Harness line changed',
        message: `This harness line is part of the change validated by self-harness: ${decision}.`,
      });
    };
    for (const line of lines) {
      if (start !== undefined && line === end + 1) {
        end = line;
        continue;
      }
      flush();
      start = line;
      end = line;
    }
    flush();
  }
  return annotations;
}

export function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface StartedCheckRun {
  id: number;
  htmlUrl?: string;
}

export async function startCheckRun(github: GitHub, repo: RepoId, name: string, headSha: string, detailsUrl?: string): Promise<StartedCheckRun> {
  const { data } = await github.rest.checks.create({
    ...repo,
    name,
    head_sha: headSha,
    status: 'in_progress',
    started_at: new Date().toISOString(),
    ...(detailsUrl ? { details_url: detailsUrl } : {}),
    output: { title: 'Validating the harness change', summary: 'self-harness is running the task suite on the base and on this head.' },
  });
  return { id: data.id, htmlUrl: data.html_url ?? undefined };
}

export interface CheckRunResult {
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
  /** Where the whole report lives when the summary had to be cut. */
  fullReportHint: string;
}

/** Completes the run; extra annotations beyond the first 50 are appended with further updates. */
export async function completeCheckRun(github: GitHub, repo: RepoId, checkRunId: number, result: CheckRunResult): Promise<void> {
  const summary = truncateMarkdown(result.summary, CHECK_SUMMARY_LIMIT, 'bytes', `Summary truncated to fit GitHub's limit. ${result.fullReportHint}`);
  const title = result.title.length > 255 ? `${result.title.slice(0, 252)}...` : result.title;
  const [first = [], ...rest] = batches(result.annotations, ANNOTATIONS_PER_REQUEST);
  await github.rest.checks.update({
    ...repo,
    check_run_id: checkRunId,
    status: 'completed',
    conclusion: result.conclusion,
    completed_at: new Date().toISOString(),
    output: { title, summary, ...(first.length > 0 ? { annotations: first } : {}) },
  });
  for (const batch of rest) {
    await github.rest.checks.update({ ...repo, check_run_id: checkRunId, output: { title, summary, annotations: batch } });
  }
}
