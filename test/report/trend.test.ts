// The trend across runs: one point per promoted version from history.jsonl, none for what was not promoted.
import { describe, expect, it } from 'vitest';
import { renderTrend, trendFromHistory } from '../../src/report/trend.js';

const line = (id: string, decision: string, at: string, before: number, after: number) =>
  JSON.stringify({ id, decision, at, numbers: { train_baseline_rate: before, train_candidate_rate: after, train_delta: after - before } });

const history = [
  line('c-2', 'promote', '2026-11-09T03:00:00Z', 0.5, 0.6),
  line('c-1', 'promote', '2026-11-02T03:00:00Z', 0.3, 0.45),
  line('c-x', 'reject', '2026-11-05T03:00:00Z', 0.45, 0.2),
  line('c-y', 'inconclusive', '2026-11-06T03:00:00Z', 0.45, 0.7),
  JSON.stringify({ id: 'c-old', decision: 'promote', at: '2026-10-01T00:00:00Z' }),
  '{torn',
  line('c-3', 'promote', '2026-11-09T09:00:00Z', 0.6, 0.7),
].join('\n');

describe('the trend across runs', () => {
  it('takes the promoted versions with numbers, oldest first, and skips the rest', () => {
    expect(trendFromHistory(history).map((p) => p.candidateId)).toEqual(['c-1', 'c-2', 'c-3']);
  });

  it("draws one series from the first promotion's baseline, with distinct day labels, and its data as a table", () => {
    const text = renderTrend(trendFromHistory(history));
    expect(text).toContain('x-axis ["start", "2026-11-02", "2026-11-09", "2026-11-09 (2)"]');
    expect(text).toContain('line [30.0, 45.0, 60.0, 70.0]');
    expect(text.match(/^\s*(line|bar) /gm)).toHaveLength(1);
    // Neither the rejected 20% nor the unconfirmed 70% screening result is a point.
    expect(text).not.toContain('20.0');
    expect(text).toContain("'plotColorPalette': '#2f81f7'");
    expect(text).toContain('| 2026-11-09 (2) | `c-3` | 60.0% → 70.0% |');
  });

  it('draws nothing for fewer than two promotions (the before/after table already says it)', () => {
    expect(renderTrend(trendFromHistory(line('c-1', 'promote', '2026-11-02T03:00:00Z', 0.3, 0.45)))).toBe('');
    expect(renderTrend([])).toBe('');
  });
});
