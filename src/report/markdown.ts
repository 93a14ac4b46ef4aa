// Renders validation and evolution reports as markdown: the verdict first, then the evidence, with numbers shown.
import type { SideNumbers, SplitComparison, ValidationReport } from '../domain/validation.js';
import type { EvolveResult, EvolveRoundSummary } from '../domain/flows.js';

/**
 * How a reproduce command calls the CLI: the action's own bundle from a clone of the action (the package name is not
 * published on a registry, so `npx self-harness` could run whatever someone registers under it).
 */
export const LOCAL_CLI = 'node self-harness/dist/cli.js';

/** The reproduce block: where to run it, then the command. */
export function reproduceBlock(command: string): string {
  return fence(
    [
      '# in a checkout of this repository, with the self-harness action cloned into ./self-harness at the ref your',
      '# workflow uses (or replace `node self-harness/dist/cli.js` with `npx github:OWNER/REPO#SHA` of that action)',
      command,
    ].join('\n'),
    'sh',
  );
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const interval = (ci: { low: number; high: number }) => `[${pct(ci.low)}, ${pct(ci.high)}]`;
const signedPts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;

const verdictLine: Record<ValidationReport['decision'], string> = {
  promote: '✅ **Promote**',
  reject: '❌ **Reject**',
  inconclusive: '⚪ **Inconclusive**',
};

/** The verdict as a person reads it: a PR gate (non-inferiority) passes or regresses, a promotion promotes or rejects. */
function verdictOf(report: Pick<ValidationReport, 'decision' | 'question'>): string {
  if (report.question !== 'non-inferiority') return verdictLine[report.decision];
  return report.decision === 'promote' ? '✅ **Pass**: not worse' : report.decision === 'reject' ? '❌ **Regress**' : '⚪ **Inconclusive**';
}

/** The error rate that held for one validation's decision, in plain words. */
export function errorRateLine(report: ValidationReport): string {
  const seq = report.sequential;
  if (report.question === 'non-inferiority') {
    return `A change ${pts(seq.margin ?? 0)} or more worse than the baseline passes this gate at most ${pct(seq.alpha)} of the time; a change with no effect is failed at most ${pct(seq.beta)} of the time (sequential test, validate.regression-margin).`;
  }
  if (report.confirmation) {
    return `An edit with no real effect passes the held-out confirmation (fresh episodes of the sealed split) at most ${pct(report.confirmation.alpha)} of the time; the train test (alpha ${seq.alpha}) only chose what to confirm.`;
  }
  return `An edit with no real effect passes this test at most ${pct(seq.alpha)} of the time.`;
}

const pts = (x: number) => `${Math.round(x * 1000) / 10} points`;

function side(numbers: SideNumbers): string {
  const infra = numbers.infra > 0 ? ` (+${numbers.infra} infra)` : '';
  return `${numbers.passed}/${numbers.total}${infra} = ${pct(numbers.rate)} ${interval(numbers.ci)}`;
}

function comparisonRows(name: string, c: SplitComparison): string {
  return `| ${name} | ${c.tasks} × ${c.attemptsPerTask} | ${side(c.baseline)} | ${side(c.candidate)} | ${signedPts(c.delta)} [${signedPts(c.deltaCi.low)}, ${signedPts(c.deltaCi.high)}] |`;
}

function taskList(ids: string[]): string {
  if (ids.length === 0) return 'none';
  const shown = ids
    .slice(0, 30)
    .map((id) => `\`${id}\``)
    .join(', ');
  return ids.length > 30 ? `${shown} and ${ids.length - 30} more` : shown;
}

/** The numbers table and task lists of one validation. */
export function renderValidationBody(report: ValidationReport): string {
  const lines = ['| split | tasks × attempts | baseline | candidate | paired Δ [95% CI] |', '|---|---|---|---|---|', comparisonRows('train', report.train)];
  if (report.holdout) lines.push(comparisonRows('held-out (sealed, confirmation)', report.holdout));
  lines.push('');
  lines.push(`- **Fixed** (train): ${taskList(report.train.fixes)}`);
  lines.push(`- **Regressed** (train): ${taskList(report.train.regressions)}`);
  if (report.holdout) {
    lines.push(`- **Fixed** (held-out): ${taskList(report.holdout.fixes)}`);
    lines.push(`- **Regressed** (held-out): ${taskList(report.holdout.regressions)}`);
  }
  lines.push(
    `- **Held-out split used** ${report.holdoutUses} time${report.holdoutUses === 1 ? '' : 's'} so far${report.holdout ? ' (including this confirmation)' : ' (not run for this decision)'}.`,
  );
  lines.push(
    `- **Episodes**: ${report.episodes.run} run, ${report.episodes.cached} reused from cache, ${report.episodes.infra} infrastructure errors (retried, excluded).`,
  );
  const seq = report.sequential;
  lines.push(`- **Error rate**: ${errorRateLine(report)}`);
  const effect = report.question === 'non-inferiority' ? `margin ${pts(seq.margin ?? 0)}` : `minimum effect ${signedPts(seq.minEffect)}`;
  lines.push(
    `- **Method**: ${seq.method}; α = ${seq.alpha}, β = ${seq.beta}, ${effect}; ${seq.looks.length} look${seq.looks.length === 1 ? '' : 's'}${seq.stoppedEarly ? ', stopped early' : ''}.`,
  );
  if (report.confirmation) {
    const c = report.confirmation;
    lines.push(
      `- **Held-out confirmation**: its own sequential test, α = ${c.alpha}; ${c.looks.length} look${c.looks.length === 1 ? '' : 's'}${c.stoppedEarly ? ', stopped early' : ''}.`,
    );
  }
  lines.push(`- **Cost**: ${formatUsage(report.usage)}; ${Math.round(report.durationMs / 1000)} s.`);
  return lines.join('\n');
}

export function formatUsage(usage: { inputTokens: number; outputTokens: number; costUsd: number }): string {
  return `${usage.inputTokens.toLocaleString('en-US')} input + ${usage.outputTokens.toLocaleString('en-US')} output tokens, $${usage.costUsd.toFixed(4)}`;
}

export function renderValidationMarkdown(report: ValidationReport, extra: { diff?: string; outsideSurface?: string[]; reproduce?: string } = {}): string {
  const parts = [
    `## self-harness: ${verdictOf(report)}`,
    '',
    report.reason,
    '',
    `Baseline \`${report.baseline.label}\` (harness ${report.baseline.harnessHash.slice(0, 12)}) → candidate \`${report.candidate.label}\` (harness ${report.candidate.harnessHash.slice(0, 12)}).`,
    '',
    renderValidationBody(report),
  ];
  if (extra.outsideSurface && extra.outsideSurface.length > 0) {
    parts.push('', `> Files changed outside the harness surface (not judged here): ${extra.outsideSurface.map((f) => `\`${f}\``).join(', ')}`);
  }
  if (extra.diff) parts.push('', '<details><summary>Harness change</summary>', '', fence(extra.diff, 'diff'), '', '</details>');
  if (extra.reproduce) parts.push('', '**Reproduce locally**', '', reproduceBlock(extra.reproduce));
  return parts.join('\n') + '\n';
}

/**
 * A Mermaid xy-chart of one measured quantity: the train pass rate of each promoted version, as measured by the
 * validation that promoted it, after the start. A round that promoted nothing has no point (re-running the same
 * harness measures nothing new). The start is the first promotion's baseline when there is one such validation (the
 * table's number), else the first round's measurement. One colour that reads on light and dark themes.
 */
export function renderRoundsChart(rounds: EvolveRoundSummary[], baselineRate?: number, validation?: ValidationReport): string {
  const promoted = rounds.filter((r) => r.promoted.length > 0);
  if (promoted.length === 0) return '';
  const start = promoted.length === 1 && validation ? validation.train.baseline.rate : baselineRate;
  const points = [
    ...(start === undefined ? [] : [{ label: 'start', rate: start }]),
    ...promoted.map((r) => ({ label: `round ${r.round}`, rate: r.trainRate })),
  ];
  if (points.length < 2) return '';
  return passRateChart(points);
}

/**
 * The one pass-rate chart (the rounds of a run, the promotions across runs): a Mermaid xy-chart with one series, the
 * train pass rate of each promoted version in percent, in the one colour that reads on light and dark themes.
 */
export function passRateChart(points: { label: string; rate: number }[]): string {
  return [
    '```mermaid',
    "%%{init: {'themeVariables': {'xyChart': {'plotColorPalette': '#2f81f7'}}}}%%",
    'xychart-beta',
    '  title "Train pass rate of each promoted version (%)"',
    `  x-axis [${points.map((p) => `"${p.label}"`).join(', ')}]`,
    '  y-axis "pass rate (%)" 0 --> 100',
    `  line [${points.map((p) => (p.rate * 100).toFixed(1)).join(', ')}]`,
    '```',
  ].join('\n');
}

export function renderEvolveMarkdown(result: Omit<EvolveResult, 'markdown' | 'reportPath'>, extra: { reproduce?: string; baselineRate?: number } = {}): string {
  const parts = [`## self-harness evolve: ${verdictLine[result.decision]}`, '', result.reason, ''];
  if (result.targeted.length > 0) {
    parts.push('### Weaknesses targeted', '');
    for (const w of result.targeted) {
      parts.push(`- **${w.failureClass}** (\`${w.id}\`) on ${w.tasks.length} train task${w.tasks.length === 1 ? '' : 's'}: ${taskList(w.tasks)}`);
      if (w.diagnosis) parts.push(`  - ${w.diagnosis.replace(/\s+/g, ' ')}`);
      for (const e of w.evidence.slice(0, 2)) parts.push(`  - evidence: ${fenceInline(e)}`);
    }
    parts.push('');
  }
  if (result.errorControl) {
    const ec = result.errorControl;
    parts.push('### Error rate', '', ec.statement, '');
    if (ec.spends.length > 0) {
      parts.push('| round | test | alpha spent | outcome |', '|---|---|---|---|');
      for (const s of ec.spends) parts.push(`| ${s.round} | ${s.test} | ${Math.round(s.alpha * 10_000) / 10_000} | ${s.outcome} |`);
      parts.push(`| | total | ${Math.round(ec.spent * 10_000) / 10_000} of ${ec.alpha} | |`, '');
    }
  }
  if (result.validation) parts.push('### Validation', '', renderValidationBody(result.validation), '');
  const chart = renderRoundsChart(result.rounds, extra.baselineRate, result.validation);
  if (chart) parts.push('### Rounds', '', chart, '');
  if (result.diff) parts.push('### The change', '', fence(result.diff, 'diff'), '');
  parts.push(
    '### Cost',
    '',
    `Estimated before the run: ${result.estimate.episodes} episodes, ${result.estimate.tokens.toLocaleString('en-US')} tokens, $${result.estimate.usd.toFixed(2)}.`,
    `Spent: ${result.spent.episodes} episodes run (${result.spent.cachedEpisodes} reused from cache), ${formatUsage(result.spent)}.`,
  );
  if (extra.reproduce) parts.push('', '### Reproduce locally', '', reproduceBlock(extra.reproduce));
  return parts.join('\n') + '\n';
}

/** A fenced block whose fence is longer than any backtick run inside, so untrusted text cannot close it. */
export function fence(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const bar = '`'.repeat(longest + 1);
  return `${bar}${lang}\n${text.replace(/\n$/, '')}\n${bar}`;
}

/**
 * `text` cut to at most `max` characters at a word boundary (never mid-word), with `…` when cut; whitespace runs
 * become single spaces. A first word longer than `max` is the one case cut inside, and is marked the same way.
 */
export function truncateWords(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const head = flat.slice(0, max);
  const lastSpace = head.lastIndexOf(' ');
  const cut = lastSpace > 0 ? head.slice(0, lastSpace) : head;
  return `${cut.replace(/[\s,;:.\-–—]+$/, '')}…`;
}

function fenceInline(text: string): string {
  const oneLine = truncateWords(text, 240);
  return '`` ' + oneLine.replace(/`/g, "'") + ' ``';
}
