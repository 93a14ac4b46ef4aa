// The check run's title (dorny/test-reporter style: the numbers a reviewer scans) and its per-task table. Pure.
import type { TaskResult, ValidationReport } from '../domain/validation.js';

const signedPts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Every task judged regressed, on the train split and (when it ran) the held-out confirmation. */
export function regressionCount(report: Pick<ValidationReport, 'train' | 'holdout'>): number {
  return report.train.regressions.length + (report.holdout?.regressions.length ?? 0);
}

/** Episodes behind the verdict: run now plus reused from the cache (infrastructure errors are retried and excluded). */
export function judgedEpisodes(report: Pick<ValidationReport, 'episodes'>): number {
  return report.episodes.run + report.episodes.cached;
}

/** `+10.3 pts [95% CI +2.1, +18.4], 0 regressions, 186 episodes`: the train split's paired change and what it rests on. */
export function checkTitle(report: Pick<ValidationReport, 'train' | 'holdout' | 'episodes'>): string {
  const t = report.train;
  return `${signedPts(t.delta)} pts [95% CI ${signedPts(t.deltaCi.low)}, ${signedPts(t.deltaCi.high)}], ${plural(regressionCount(report), 'regression')}, ${plural(judgedEpisodes(report), 'episode')}`;
}

/** Rows shown before the table says how many more there are; the check summary has 65,535 bytes for everything. */
export const PER_TASK_ROWS = 60;

const rate = (side: { passes: number; runs: number }) => (side.runs === 0 ? 0 : side.passes / side.runs);
const cellOf = (side: { passes: number; runs: number }) => `${side.passes}/${side.runs}`;
const taskCell = (id: string) => `\`${id.replace(/[`|\n\r]/g, "'")}\``;

type Row = TaskResult & { judgement: 'regressed' | 'fixed' | '' };

/** Regressions first, then fixes, then the largest changes in pass rate, then by task id (stable for a given report). */
function ordered(report: ValidationReport): Row[] {
  const fixes = new Set(report.train.fixes);
  const regressions = new Set(report.train.regressions);
  const rows: Row[] = (report.train.perTask ?? []).map((t) => ({
    ...t,
    judgement: regressions.has(t.taskId) ? 'regressed' : fixes.has(t.taskId) ? 'fixed' : '',
  }));
  const rank = (r: Row) => (r.judgement === 'regressed' ? 0 : r.judgement === 'fixed' ? 1 : 2);
  return rows.sort(
    (a, b) =>
      rank(a) - rank(b) || Math.abs(rate(b.candidate) - rate(b.baseline)) - Math.abs(rate(a.candidate) - rate(a.baseline)) || a.taskId.localeCompare(b.taskId),
  );
}

/**
 * The train split task by task: passes/runs on each side, the change in points and the judgement ("fixed": failed
 * reliably on the baseline, passes on the candidate; "regressed": the reverse). Empty when the report has no per-task
 * numbers (reports written before they existed). Held-out tasks are never listed one by one.
 */
export function renderPerTaskTable(report: ValidationReport, maxRows = PER_TASK_ROWS): string {
  const rows = ordered(report);
  if (rows.length === 0) return '';
  const changed = rows.filter((r) => r.baseline.passes * r.candidate.runs !== r.candidate.passes * r.baseline.runs).length;
  const lines = [
    `<details${report.train.regressions.length > 0 ? ' open' : ''}><summary>Per-task results, train split (${plural(rows.length, 'task')}, ${changed} with a different pass rate)</summary>`,
    '',
    '| task | baseline | candidate | change | judged |',
    '|---|--:|--:|--:|---|',
  ];
  for (const r of rows.slice(0, maxRows)) {
    const delta = rate(r.candidate) - rate(r.baseline);
    const mark = r.judgement === 'regressed' ? '❌ regressed' : r.judgement === 'fixed' ? '✅ fixed' : '';
    lines.push(`| ${taskCell(r.taskId)} | ${cellOf(r.baseline)} | ${cellOf(r.candidate)} | ${signedPts(delta)} pts | ${mark} |`);
  }
  if (rows.length > maxRows) lines.push('', `${rows.length - maxRows} more task${rows.length - maxRows === 1 ? '' : 's'} in the report artifact.`);
  lines.push('', '</details>');
  return lines.join('\n');
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ids = (list: string[]) => (list.length === 0 ? 'none' : list.slice(0, 5).join(', ') + (list.length > 5 ? ` and ${list.length - 5} more` : ''));

/**
 * What a changed file's annotation says: the verdict on the whole change with the numbers behind it (train pass rates,
 * the paired change, fixed and regressed tasks, the held-out confirmation's change). A warning when the change was
 * rejected or regressed a task, a notice otherwise.
 */
export function changeVerdict(report: ValidationReport, decisionWord: string): { level: 'notice' | 'warning'; title: string; message: string } {
  const t = report.train;
  const regressions = regressionCount(report);
  const held = report.holdout ? ` Sealed held-out confirmation: ${signedPts(report.holdout.delta)} pts.` : '';
  return {
    level: report.decision === 'reject' || regressions > 0 ? 'warning' : 'notice',
    title: `self-harness: ${decisionWord} (${signedPts(t.delta)} pts on train)`,
    message:
      `The change this file is part of: train pass rate ${pct(t.baseline.rate)} → ${pct(t.candidate.rate)} over ${plural(t.tasks, 'task')} ` +
      `(paired ${signedPts(t.delta)} pts [95% CI ${signedPts(t.deltaCi.low)}, ${signedPts(t.deltaCi.high)}]); fixed: ${ids(t.fixes)}; regressed: ${ids(t.regressions)}.${held}`,
  };
}
