// The regression-validation check run: created in_progress on the PR head SHA, completed with the verdict,
// summary fitted in bytes, one annotation per changed harness file carrying the verdict (50 per request).
import { outgoing } from './outgoing.js';
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
  annotation_level: 'notice' | 'warning';
  title: string;
  message: string;
}

/** What the verdict says about the change as a whole, for the annotation on each changed file. */
export interface ChangeVerdict {
  level: 'notice' | 'warning';
  title: string;
  message: string;
}

/** promote -> success, reject -> failure, inconclusive -> `inconclusive` (neutral by default; GitHub counts neutral as passing). */
export function conclusionFor(decision: Decision, inconclusive: 'neutral' | 'failure' = 'neutral'): CheckConclusion {
  if (decision === 'promote') return 'success';
  if (decision === 'reject') return 'failure';
  return inconclusive;
}

/** Contiguous ranges of added lines, in order: [3, 4, 5, 7] -> [[3, 5], [7, 7]]. */
export function changedRanges(addedLines: number[]): [number, number][] {
  const lines = [...new Set(addedLines)].filter((n) => Number.isInteger(n) && n > 0).sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const line of lines) {
    const last = ranges.at(-1);
    if (last && line === last[1] + 1) last[1] = line;
    else ranges.push([line, line]);
  }
  return ranges;
}

const rangeText = ([start, end]: [number, number]) => (start === end ? `${start}` : `${start}–${end}`);

/**
 * One annotation per changed file, on its first changed range: the verdict is on the change as a whole, so a note on
 * every range would repeat one sentence. The file's other ranges are named in the message. At most `max`.
 */
export function annotationsFor(changed: ChangedFile[], verdict: ChangeVerdict, max = Number.POSITIVE_INFINITY): CheckAnnotation[] {
  const annotations: CheckAnnotation[] = [];
  for (const file of changed) {
    if (annotations.length >= max) break;
    const ranges = changedRanges(file.addedLines);
    const first = ranges[0];
    if (!first) continue;
    const more =
      ranges.length > 1
        ? ` This file has ${ranges.length} changed ranges (lines ${ranges
            .slice(0, 8)
            .map(rangeText)
            .join(', ')}${ranges.length > 8 ? ', …' : ''}), judged together.`
        : '';
    annotations.push({
      path: file.path,
      start_line: first[0],
      end_line: first[1],
      annotation_level: verdict.level,
      title: verdict.title,
      message: verdict.message + more,
    });
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
  const summary = truncateMarkdown(
    await outgoing(result.summary),
    CHECK_SUMMARY_LIMIT,
    'bytes',
    `Summary truncated to fit GitHub's limit. ${result.fullReportHint}`,
  );
  const fullTitle = await outgoing(result.title);
  const title = fullTitle.length > 255 ? `${fullTitle.slice(0, 252)}...` : fullTitle;
  const annotations = await Promise.all(result.annotations.map(async (a) => ({ ...a, title: await outgoing(a.title), message: await outgoing(a.message) })));
  const [first = [], ...rest] = batches(annotations, ANNOTATIONS_PER_REQUEST);
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
