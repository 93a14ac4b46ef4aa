import { describe, it, expect } from 'vitest';
import { summarize, renderRunTable } from '../../src/report/run-summary.js';
import type { EpisodeRecord, Outcome } from '../../src/domain/types.js';

function rec(outcome: Outcome, durationMs = 1000, usage?: EpisodeRecord['usage']): EpisodeRecord {
  return {
    id: Math.random().toString(16).slice(2),
    key: { harnessHash: 'h', taskId: 't', taskHash: 'c', attempt: 0, runCommand: 'r', model: '' },
    split: 'train',
    outcome,
    reward: outcome === 'pass' ? 1 : 0,
    exitCode: 0,
    startedAt: '',
    durationMs,
    artifacts: '',
    tries: 1,
    runner: 'command',
    ...(usage ? { usage } : {}),
  };
}

describe('summarize', () => {
  it('excludes infra errors from the rate, counts timeouts as failures, sums time and usage', () => {
    const s = summarize([
      rec('pass', 1000, { inputTokens: 100, outputTokens: 10, costUsd: 0.5 }),
      rec('fail', 2000, { inputTokens: 50 }),
      rec('timeout', 3000),
      rec('infra-error', 500),
    ]);
    expect(s).toMatchObject({ passed: 1, total: 3, infra: 1, timeouts: 1, durationMs: 6500, usage: { inputTokens: 150, outputTokens: 10, costUsd: 0.5 } });
    expect(s.rate).toBeCloseTo(1 / 3);
    expect(s.ci.low).toBeGreaterThan(0.0);
    expect(s.ci.low).toBeLessThan(1 / 3);
    expect(s.ci.high).toBeGreaterThan(1 / 3);
  });

  it('gives an uninformative interval and rate 0 with no judged episode', () => {
    expect(summarize([rec('infra-error')])).toMatchObject({ passed: 0, total: 0, rate: 0, ci: { low: 0, high: 1 }, infra: 1 });
  });
});

describe('renderRunTable', () => {
  it('prints one aligned row per split with passed/total, rate and CI, infra, time, tokens and cost', () => {
    const table = renderRunTable({
      train: summarize([rec('pass', 61_000, { inputTokens: 12_345, outputTokens: 678, costUsd: 0.123 }), rec('fail')]),
      holdout: summarize([rec('infra-error')]),
    });
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^split\s+passed\s+rate \[95% CI\]\s+infra\s+timeouts\s+time\s+tokens in\/out\s+cost$/);
    expect(lines[2]).toContain('1/2');
    expect(lines[2]).toContain('50.0% [9.5%, 90.5%]');
    expect(lines[2]).toContain('1m02s');
    expect(lines[2]).toContain('12.3k/678');
    expect(lines[2]).toContain('$0.12');
    // No judged episode: no rate at all, never a 0% one.
    expect(lines[3]).toMatch(/^holdout\s+0\/0\s+no judged episodes\s+1\s+0/);
    expect(lines[3]).not.toContain('%');
  });
});
