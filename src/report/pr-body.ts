// The bot PR's title and body and the comment replies, rendered from the flows' results. Pure.
import type { EvolveResult, ValidateRefsResult } from '../domain/flows.js';
import type { RemoteCommit } from '../github/branch.js';
import { neutralizeUntrusted, sanitizeReportMarkdown } from '../domain/markdown-limit.js';

export const BOT_PR_MARKER = '<!-- self-harness:bot-pr -->';

export interface Diversion {
  blockedBranch: string;
  foreign: RemoteCommit[];
}

export function evolvePullTitle(result: Pick<EvolveResult, 'validation'>, target: string): string {
  const delta = result.validation?.train.delta;
  const shown = delta === undefined ? '' : ` (${delta >= 0 ? '+' : ''}${(delta * 100).toFixed(1)} pts on train)`;
  return `self-harness: harness improvement for ${target}${shown}`;
}

export function diversionNote(diversion: Diversion): string {
  const people = [...new Set(diversion.foreign.map((c) => c.authorName || c.authorEmail))].map((p) => neutralizeUntrusted(p));
  const shas = diversion.foreign.slice(0, 5).map((c) => `\`${c.sha.slice(0, 7)}\``).join(', ');
  return `> [!NOTE]\n> The bot branch \`${diversion.blockedBranch}\` has commits pushed by someone else (${shas}${diversion.foreign.length > 5 ? ', ...' : ''} by ${people.join(', ')}), so they were left untouched and this change was pushed to a new branch instead.`;
}

export interface PullBodyInput {
  result: Pick<EvolveResult, 'markdown' | 'baseCommit' | 'reportPath'> & Partial<Pick<EvolveResult, 'errorControl'>>;
  commit: string;
  target: string;
  trigger: string;
  diversion?: Diversion;
  runUrl?: string;
}

/** Where the whole report is: the run's job summary and its uploaded report artifact (the workflows upload it). */
export function fullReportHint(runUrl: string | undefined, reportPath: string): string {
  const file = reportPath.split(/[\\/]/).pop() || reportPath;
  return runUrl ? `Full report: the job summary and the report artifact (\`${file}\`) of [this run](${runUrl}).` : `Full report: \`${reportPath}\`.`;
}

export function renderPullBody(input: PullBodyInput): string {
  const parts = [
    BOT_PR_MARKER,
    `Proposed by self-harness (${input.trigger}) on \`${input.target}\` at \`${input.result.baseCommit.slice(0, 12)}\`; change commit \`${input.commit.slice(0, 12)}\`.`,
    'Review the change like any other: the bot never merges. Comment `/self-harness validate` to re-run the validation on this PR.',
    '',
  ];
  // The error rate that held for this decision, in plain words, before anything else of the report.
  if (input.result.errorControl) parts.push(`**Error rate**: ${input.result.errorControl.statement}`, '');
  if (input.diversion) parts.push(diversionNote(input.diversion), '');
  parts.push(sanitizeReportMarkdown(input.result.markdown.trim()), '', '---', fullReportHint(input.runUrl, input.result.reportPath));
  return parts.join('\n') + '\n';
}

export function renderEvolveReply(result: EvolveResult, pull: { number: number; url: string } | undefined, diversion: Diversion | undefined, runUrl?: string): string {
  const head = pull
    ? `self-harness evolve: **promoted** a harness change — see #${pull.number}.`
    : `self-harness evolve: **nothing promoted** (${result.decision}). ${neutralizeUntrusted(result.reason)}`;
  const parts = [head];
  if (diversion) parts.push('', diversionNote(diversion));
  parts.push('', '<details><summary>Report</summary>', '', sanitizeReportMarkdown(result.markdown.trim()), '', '</details>');
  if (runUrl) parts.push('', `[Workflow run](${runUrl})`);
  return parts.join('\n') + '\n';
}

export function renderValidateReply(result: ValidateRefsResult, checkUrl: string | undefined, runUrl?: string): string {
  const parts = [`self-harness validate: **${result.report.decision}** — ${neutralizeUntrusted(result.report.reason)}`];
  if (checkUrl) parts.push('', `Check run: ${checkUrl}`);
  parts.push('', '<details><summary>Report</summary>', '', sanitizeReportMarkdown(result.markdown.trim()), '', '</details>');
  if (runUrl) parts.push('', `[Workflow run](${runUrl})`);
  return parts.join('\n') + '\n';
}
