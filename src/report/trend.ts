// The trend across runs from the committed candidate history (history.jsonl): the train pass rate of each promoted
// version, as measured by the validation that promoted it, over time. Pure.
import { z } from 'zod';
import { passRateChart } from './markdown.js';

/** One promoted version: when it was promoted and the train pass rates its validation measured. */
export interface TrendPoint {
  at: string;
  candidateId: string;
  /** Train pass rate of the harness it replaced, and its own, in the same paired validation. */
  baselineRate: number;
  rate: number;
}

// Only what the chart reads; display-only, so a line that does not fit is skipped rather than fatal.
const PromotedLine = z.object({
  id: z.string(),
  decision: z.literal('promote'),
  at: z.string(),
  numbers: z.object({ train_baseline_rate: z.number().min(0).max(1), train_candidate_rate: z.number().min(0).max(1) }),
});

/** The promoted versions in a history file's text (JSON lines), oldest first; rejected or unconfirmed ones are not points. */
export function trendFromHistory(jsonl: string): TrendPoint[] {
  const points: TrendPoint[] = [];
  for (const line of jsonl.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = PromotedLine.safeParse(value);
    if (!parsed.success) continue;
    const { id, at, numbers } = parsed.data;
    points.push({ at, candidateId: id, baselineRate: numbers.train_baseline_rate, rate: numbers.train_candidate_rate });
  }
  return points.sort((a, b) => a.at.localeCompare(b.at));
}

/** `2026-12-02`, with ` (2)`, ` (3)` for further promotions on the same day, so every x label is distinct. */
function labels(points: TrendPoint[]): string[] {
  const seen = new Map<string, number>();
  return points.map((p) => {
    const day = p.at.slice(0, 10).replace(/[^0-9-]/g, '');
    const n = (seen.get(day) ?? 0) + 1;
    seen.set(day, n);
    return n === 1 ? day : `${day} (${n})`;
  });
}

const pct = (x: number) => (x * 100).toFixed(1);

/**
 * A Mermaid xy-chart and its table: one series (the train pass rate of each promoted version), starting at the first
 * promotion's baseline. Empty with fewer than two promotions: one promotion is already the before/after table. The
 * one explicit colour reads on light and dark backgrounds; axis and text colours are left to the viewer's theme.
 */
export function renderTrend(points: TrendPoint[]): string {
  if (points.length < 2) return '';
  const xs = ['start', ...labels(points)];
  const ys = [points[0]!.baselineRate, ...points.map((p) => p.rate)];
  const chart = passRateChart(xs.map((label, i) => ({ label, rate: ys[i]! })));
  const table = [
    '| promoted | candidate | train pass rate before → after |',
    '|---|---|---|',
    ...points.map((p, i) => `| ${xs[i + 1]} | \`${p.candidateId.replace(/[`|]/g, "'")}\` | ${pct(p.baselineRate)}% → ${pct(p.rate)}% |`),
  ];
  return [
    chart,
    '',
    'Each point is the train pass rate measured by the paired validation that promoted that version (rounds and runs that promoted nothing have no point); runs months apart may have run a changed suite.',
    '',
    '<details><summary>Trend data</summary>',
    '',
    ...table,
    '',
    '</details>',
  ].join('\n');
}
