// The rounds chart measures one thing: the train pass rate of each promoted version, from the start the table shows.
import { describe, expect, it } from 'vitest';
import { renderRoundsChart } from '../../src/report/markdown.js';
import type { EvolveRoundSummary } from '../../src/domain/flows.js';
import type { ValidationReport } from '../../src/domain/validation.js';

const round = (n: number, promoted: boolean, rate: number): EvolveRoundSummary => ({
  round: n,
  weaknesses: 1,
  candidates: 1,
  promoted: promoted ? [`c-${n}`] : [],
  trainRate: rate,
  trainCi: { low: 0, high: 1 },
});
const validation = { train: { baseline: { rate: 0.313 } } } as unknown as ValidationReport;

describe('the rounds chart', () => {
  it('has no point for a round that promoted nothing, and starts at the baseline of the table', () => {
    const chart = renderRoundsChart([round(1, true, 0.563), round(2, false, 0.633)], 0.353, validation);
    expect(chart).toContain('x-axis ["start", "round 1"]');
    expect(chart).toContain('line [31.3, 56.3]');
    expect(chart).not.toContain('63.3');
    expect(chart).not.toContain('35.3');
    // One series, one colour chosen to read on light and dark backgrounds.
    expect(chart.match(/^\s*(line|bar) /gm)).toHaveLength(1);
    expect(chart).toContain("'plotColorPalette': '#2f81f7'");
  });

  it('draws nothing when no round promoted', () => {
    expect(renderRoundsChart([round(1, false, 0.4), round(2, false, 0.45)], 0.35)).toBe('');
  });

  it("with several promotions, starts at the first round's measurement", () => {
    const chart = renderRoundsChart([round(1, true, 0.5), round(2, false, 0.52), round(3, true, 0.6)], 0.35, validation);
    expect(chart).toContain('x-axis ["start", "round 1", "round 3"]');
    expect(chart).toContain('line [35.0, 50.0, 60.0]');
  });
});
