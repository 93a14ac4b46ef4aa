// Pure summaries of a run: pass rate with its Wilson interval, infra errors apart, time, tokens, cost.
import type { EpisodeRecord, Usage } from '../domain/types.js';
import { accumulateUsage, zeroUsage } from '../domain/usage.js';
import { wilson } from '../stats/wilson.js';

export interface SideSummary {
  passed: number;
  /** Judged episodes (infra errors excluded). */
  total: number;
  rate: number;
  ci: { low: number; high: number };
  infra: number;
  timeouts: number;
  durationMs: number;
  usage: Required<Usage>;
}

/** Infra-error episodes are excluded from total and rate and counted in `infra`. */
export function summarize(records: EpisodeRecord[]): SideSummary {
  let passed = 0;
  let total = 0;
  let infra = 0;
  let timeouts = 0;
  let durationMs = 0;
  const usage = zeroUsage();
  for (const record of records) {
    durationMs += record.durationMs;
    accumulateUsage(usage, record.usage);
    if (record.outcome === 'infra-error') {
      infra++;
      continue;
    }
    total++;
    if (record.outcome === 'pass') passed++;
    if (record.outcome === 'timeout') timeouts++;
  }
  const interval = wilson(passed, total);
  return { passed, total, rate: total > 0 ? passed / total : 0, ci: { low: interval.low, high: interval.high }, infra, timeouts, durationMs, usage };
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

export function formatTokens(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

/** Plain-text table, one row per split: passed/total, rate [95% CI], infra errors, timeouts, time, tokens, cost. */
export function renderRunTable(bySplit: Record<string, SideSummary>): string {
  const header = ['split', 'passed', 'rate [95% CI]', 'infra', 'timeouts', 'time', 'tokens in/out', 'cost'];
  const rows = Object.entries(bySplit).map(([split, s]) => [
    split,
    `${s.passed}/${s.total}`,
    s.total > 0 ? `${percent(s.rate)} [${percent(s.ci.low)}, ${percent(s.ci.high)}]` : 'no judged episodes',
    String(s.infra),
    String(s.timeouts),
    formatDuration(s.durationMs),
    `${formatTokens(s.usage.inputTokens)}/${formatTokens(s.usage.outputTokens)}`,
    `$${s.usage.costUsd.toFixed(2)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
