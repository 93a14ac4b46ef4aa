// The bot PR's title and body and the comment replies, rendered from the flows' results. Pure.
import type { EvolveResult, ValidateRefsResult } from '../domain/flows.js';
import type { RemoteCommit } from '../github/branch.js';
import { fencedText, neutralizeUntrusted, sanitizeReportMarkdown } from '../domain/markdown-limit.js';
import type { SideNumbers, SplitComparison, ValidationReport } from '../domain/validation.js';
import { formatUsage, LOCAL_CLI, reproduceBlock, truncateWords } from './markdown.js';
import { renderTrend, type TrendPoint } from './trend.js';

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
  const shas = diversion.foreign
    .slice(0, 5)
    .map((c) => `\`${c.sha.slice(0, 7)}\``)
    .join(', ');
  return `> [!NOTE]\n> The bot branch \`${diversion.blockedBranch}\` has commits pushed by someone else (${shas}${diversion.foreign.length > 5 ? ', ...' : ''} by ${people.join(', ')}), so they were left untouched and this change was pushed to a new branch instead.`;
}

export interface PullBodyInput {
  result: Pick<EvolveResult, 'markdown' | 'baseCommit' | 'reportPath'> &
    Partial<
      Pick<
        EvolveResult,
        | 'errorControl'
        | 'decision'
        | 'reason'
        | 'validation'
        | 'diff'
        | 'changedFiles'
        | 'targeted'
        | 'changes'
        | 'rounds'
        | 'spent'
        | 'estimate'
        | 'branch'
        | 'commit'
      >
    >;
  commit: string;
  target: string;
  trigger: string;
  diversion?: Diversion;
  runUrl?: string;
  /** How the reproduce command calls the CLI (default: the action's bundle from a clone, `node self-harness/dist/cli.js`). */
  cli?: string;
  /** The promoted versions in the committed candidate history (this change included), for the trend across runs. */
  trend?: TrendPoint[];
}

/** Where the whole report is: the run's job summary and its uploaded report artifact (the workflows upload it). */
export function fullReportHint(runUrl: string | undefined, reportPath: string): string {
  const file = reportPath.split(/[\\/]/).pop() || reportPath;
  return runUrl ? `Full report: the job summary and the report artifact (\`${file}\`) of [this run](${runUrl}).` : `Full report: \`${reportPath}\`.`;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const signedPts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function sideCell(side: SideNumbers): string {
  return `${side.passed}/${side.total} = ${pct(side.rate)}${side.infra > 0 ? ` (+${side.infra} infra)` : ''}`;
}

function comparisonRow(name: string, c: SplitComparison): string {
  return `| ${name} | ${sideCell(c.baseline)} | ${sideCell(c.candidate)} | ${signedPts(c.delta)} [${signedPts(c.deltaCi.low)}, ${signedPts(c.deltaCi.high)}] |`;
}

function taskIds(ids: string[]): string {
  if (ids.length === 0) return 'none';
  const shown = ids
    .slice(0, 30)
    .map((id) => `\`${id.replace(/`/g, "'")}\``)
    .join(', ');
  return ids.length > 30 ? `${shown} and ${ids.length - 30} more` : shown;
}

/** Ends a sentence with a full stop unless it already ends with one (or with the truncation mark). */
const sentence = (text: string) => (/[.!?…]$/.test(text) ? text : `${text}.`);

/** The first screen: what changed and why, in the proposer's words (escaped), or the files when none were given. */
function whatAndWhy(result: PullBodyInput['result']): string[] {
  const changes = result.changes ?? [];
  if (changes.length === 0) {
    const files = (result.changedFiles ?? []).map((f) => `\`${f.path}\``);
    return files.length > 0 ? [`**What changed**: ${files.join(', ')}.`] : [];
  }
  return changes.map((c) => {
    const round = changes.length > 1 ? ` (round ${c.round})` : '';
    return `**What changed${round}**: ${sentence(neutralizeUntrusted(truncateWords(c.summary, 200)))} **Why**: ${sentence(neutralizeUntrusted(truncateWords(c.rationale, 400)))}`;
  });
}

/** The decision in words, with the numbers of the table and the error rate that holds. */
function recommendation(result: PullBodyInput['result']): string {
  const v = result.validation;
  const train = v ? `${signedPts(v.train.delta)} on the train split (screening)` : '';
  const holdout = v?.holdout ? `, ${signedPts(v.holdout.delta)} on the sealed held-out split (confirmation)` : '';
  const words =
    result.decision === 'promote' || result.decision === undefined
      ? `**Recommendation**: merge if the diff reads right. The change validated${v ? `: ${train}${holdout}` : ''}.`
      : `**Recommendation**: do not merge (${result.decision}).`;
  return result.errorControl ? `${words} ${result.errorControl.statement}` : words;
}

function beforeAfter(v: ValidationReport): string[] {
  const lines = ['| split | baseline | candidate | paired Δ [95% CI] |', '|---|---|---|---|', comparisonRow('train (screening)', v.train)];
  if (v.holdout) lines.push(comparisonRow('held-out (sealed, confirmation)', v.holdout));
  return lines;
}

function details(summary: string, body: string[]): string[] {
  return ['<details><summary>' + summary + '</summary>', '', ...body, '', '</details>', ''];
}

function perTask(v: ValidationReport): string[] {
  const lines = [
    '"Fixed": failed reliably on the baseline and passes on the candidate; "regressed": the reverse. The pass rates above count every episode, so a gain can be spread over tasks none of which changed reliably.',
    '',
    `- Fixed (train, screening): ${taskIds(v.train.fixes)}`,
    `- Regressed (train, screening): ${taskIds(v.train.regressions)}`,
  ];
  if (v.holdout) {
    lines.push(`- Fixed (held-out, confirmation): ${taskIds(v.holdout.fixes)}`, `- Regressed (held-out, confirmation): ${taskIds(v.holdout.regressions)}`);
  }
  return lines;
}

function method(v: ValidationReport): string[] {
  const seq = v.sequential;
  const lines = [
    `- Question: ${v.question === 'non-inferiority' ? `is the change not worse than the baseline by ${signedPts(seq.margin ?? 0).slice(1)}?` : `is the change better than the baseline by at least ${signedPts(seq.minEffect).slice(1)}?`}`,
    '- Test: group-sequential on paired episodes (baseline and candidate on the same task and attempt; only pairs where exactly one side passed count).',
    `- Error rates: α = ${seq.alpha}, β = ${seq.beta}; ${plural(seq.looks.length, 'look')}${seq.stoppedEarly ? ', stopped early' : ''}.`,
  ];
  if (v.confirmation)
    lines.push(
      `- Held-out confirmation: its own sequential test on fresh episodes of the sealed split, α = ${v.confirmation.alpha}; ${plural(v.confirmation.looks.length, 'look')}.`,
    );
  lines.push(`- Sealed held-out split used ${plural(v.holdoutUses, 'time')} so far.`);
  if (v.stoppedBy === 'budget') lines.push('- Stopped by the episode budget, not by the evidence.');
  return lines;
}

function cost(result: PullBodyInput['result']): string[] {
  const lines: string[] = [];
  if (result.validation) {
    const e = result.validation.episodes;
    lines.push(`- This validation: ${e.run} episodes run, ${e.cached} reused, ${e.infra} infrastructure errors (excluded).`);
  }
  if (result.spent) lines.push(`- The whole run: ${result.spent.episodes} episodes run (${result.spent.cachedEpisodes} reused), ${formatUsage(result.spent)}.`);
  if (result.estimate) lines.push(`- Estimated before the run: ${result.estimate.episodes} episodes, $${result.estimate.usd.toFixed(2)}.`);
  return lines;
}

/**
 * The bot PR's body, reviewer first: what changed and why, a before/after table, the recommendation with the error
 * rate that holds, the diff; then collapsed weaknesses, evidence, per-task results, method and cost. When the result
 * carries no structured validation (an older caller), the report's markdown follows the first screen instead.
 */
export function renderPullBody(input: PullBodyInput): string {
  const { result } = input;
  const parts: string[] = [BOT_PR_MARKER, ...whatAndWhy(result), ''];
  if (result.validation) parts.push(...beforeAfter(result.validation), '');
  parts.push(recommendation(result), '');
  if (input.diversion) parts.push(diversionNote(input.diversion), '');
  if (result.validation) {
    if (result.diff) parts.push('### The change', '', fencedText(result.diff, 'diff'), '');
    const trend = renderTrend(input.trend ?? []);
    if (trend) parts.push('### Pass rate across runs', '', trend, '');
    const targeted = result.targeted ?? [];
    if (targeted.length > 0) {
      parts.push(
        ...details(
          `Weaknesses targeted (${targeted.length})`,
          targeted.map(
            (w) =>
              `- ${neutralizeUntrusted(w.failureClass)} on ${plural(w.tasks.length, 'train task')}: ${taskIds(w.tasks)}${w.diagnosis ? `. ${neutralizeUntrusted(truncateWords(w.diagnosis, 300))}` : ''}`,
          ),
        ),
      );
      const evidence = targeted.flatMap((w) => w.evidence.slice(0, 3).map((e) => `- ${neutralizeUntrusted(truncateWords(e, 400))}`));
      if (evidence.length > 0) parts.push(...details('Evidence (train traces)', evidence));
    }
    parts.push(...details('Per-task fixes and regressions', perTask(result.validation)));
    parts.push(...details('Method', method(result.validation)));
    parts.push(...details('Cost', cost(result)));
    if (result.commit) {
      const cli = input.cli ?? LOCAL_CLI;
      const command = `git fetch origin ${result.branch ?? ''} && ${cli} validate --question superiority --base ${result.baseCommit.slice(0, 12)} --head ${result.commit.slice(0, 12)}`;
      parts.push('**Reproduce locally**', '', input.cli ? fencedText(command, 'sh') : reproduceBlock(command), '');
    }
  } else {
    parts.push(sanitizeReportMarkdown(result.markdown.trim()), '');
  }
  parts.push(
    '---',
    `Proposed by self-harness (${input.trigger}) on \`${input.target}\` at \`${result.baseCommit.slice(0, 12)}\`; change commit \`${input.commit.slice(0, 12)}\`. The bot never merges: review it like any other change, or comment \`/self-harness validate\` to validate it again.`,
    fullReportHint(input.runUrl, result.reportPath),
  );
  return parts.join('\n') + '\n';
}

export function renderEvolveReply(
  result: EvolveResult,
  pull: { number: number; url: string } | undefined,
  diversion: Diversion | undefined,
  runUrl?: string,
): string {
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
