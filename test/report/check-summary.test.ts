// The check run's title, per-task table and annotation verdict, from a small hand-made report.
import { describe, expect, it } from 'vitest';
import { changeVerdict, checkTitle, renderPerTaskTable } from '../../src/report/check-summary.js';
import { publicComparison } from '../../src/validate/compare.js';
import type { SplitComparison, ValidationReport } from '../../src/domain/validation.js';

const side = (passed: number, total: number) => ({ passed, total, rate: passed / total, ci: { low: 0.1, high: 0.9 }, infra: 0 });

function split(overrides: Partial<SplitComparison> = {}): SplitComparison {
  return {
    baseline: side(5, 12),
    candidate: side(8, 12),
    delta: 0.25,
    deltaCi: { low: 0.021, high: 0.4789 },
    fixes: ['fix-me'],
    regressions: [],
    tasks: 3,
    attemptsPerTask: 4,
    perTask: [
      { taskId: 'steady', baseline: { passes: 4, runs: 4 }, candidate: { passes: 4, runs: 4 } },
      { taskId: 'half', baseline: { passes: 1, runs: 4 }, candidate: { passes: 2, runs: 4 } },
      { taskId: 'fix-me', baseline: { passes: 0, runs: 4 }, candidate: { passes: 2, runs: 4 } },
    ],
    ...overrides,
  };
}

function report(overrides: Partial<ValidationReport> = {}): ValidationReport {
  return {
    version: 1,
    decision: 'promote',
    reason: 'r',
    baseline: { label: 'base', harnessHash: 'a'.repeat(64) },
    candidate: { label: 'head', harnessHash: 'b'.repeat(64) },
    episodes: { run: 150, cached: 36, infra: 2 },
    train: split(),
    holdoutUses: 1,
    sequential: { method: 'm', alpha: 0.05, beta: 0.2, minEffect: 0.1, looks: [], stoppedEarly: false },
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    startedAt: '2026-01-01T00:00:00Z',
    durationMs: 1,
    ...overrides,
  };
}

describe('check run title', () => {
  it('reads like a test report: the paired change with its interval, regressions on both splits, episodes judged', () => {
    expect(checkTitle(report())).toBe('+25.0 pts [95% CI +2.1, +47.9], 0 regressions, 186 episodes');
    const holdout = split({ regressions: ['h1'], delta: -0.05 });
    expect(checkTitle(report({ train: split({ regressions: ['a'], delta: -0.1, deltaCi: { low: -0.2, high: 0 } }), holdout }))).toBe(
      '-10.0 pts [95% CI -20.0, +0.0], 2 regressions, 186 episodes',
    );
    expect(checkTitle(report({ episodes: { run: 1, cached: 0, infra: 0 }, train: split({ regressions: ['a'] }) }))).toMatch(/1 regression, 1 episode$/);
  });
});

describe('per-task table', () => {
  it('lists the judged tasks first, then the largest changes, with passes/runs on both sides', () => {
    const table = renderPerTaskTable(report());
    const rows = table.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toEqual([
      '| `fix-me` | 0/4 | 2/4 | +50.0 pts | ✅ fixed |',
      '| `half` | 1/4 | 2/4 | +25.0 pts |  |',
      '| `steady` | 4/4 | 4/4 | +0.0 pts |  |',
    ]);
    expect(table).toContain('<summary>Per-task results, train split (3 tasks, 2 with a different pass rate)</summary>');
  });

  it('opens itself when a task regressed, and says how many rows it left out', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ taskId: `t${i}`, baseline: { passes: 1, runs: 1 }, candidate: { passes: i === 3 ? 0 : 1, runs: 1 } }));
    const table = renderPerTaskTable(report({ train: split({ perTask: many, regressions: ['t3'], fixes: [] }) }), 2);
    expect(table.startsWith('<details open>')).toBe(true);
    expect(table).toContain('| `t3` | 1/1 | 0/1 | -100.0 pts | ❌ regressed |');
    expect(table).toContain('3 more tasks in the report artifact.');
  });

  it('keeps a task id from breaking the table or the code span', () => {
    const table = renderPerTaskTable(
      report({ train: split({ perTask: [{ taskId: 'a|b`c', baseline: { passes: 0, runs: 1 }, candidate: { passes: 0, runs: 1 } }] }) }),
    );
    expect(table).toContain("| `a'b'c` |");
  });

  it('is empty for a report without per-task numbers (written before they existed)', () => {
    expect(renderPerTaskTable(report({ train: split({ perTask: undefined }) }))).toBe('');
  });

  it('comes from the validation tallies, only when asked (the held-out split keeps only its counts)', () => {
    const tallies = [{ taskId: 'x', baseline: { passes: 1, runs: 2 }, candidate: { passes: 2, runs: 2 }, discordant: 1, candidateWins: 1 }];
    const { perTask: _perTask, ...counts } = split();
    const withTallies = { ...counts, tallies };
    expect(publicComparison(withTallies)).not.toHaveProperty('perTask');
    expect(publicComparison(withTallies)).not.toHaveProperty('tallies');
    expect(publicComparison(withTallies, { perTask: true }).perTask).toEqual([
      { taskId: 'x', baseline: { passes: 1, runs: 2 }, candidate: { passes: 2, runs: 2 } },
    ]);
  });
});

describe('annotation verdict', () => {
  it('carries the numbers; a regression or a rejection makes it a warning', () => {
    expect(changeVerdict(report(), 'promote')).toEqual({
      level: 'notice',
      title: 'self-harness: promote (+25.0 pts on train)',
      message:
        'The change this file is part of: train pass rate 41.7% → 66.7% over 3 tasks (paired +25.0 pts [95% CI +2.1, +47.9]); fixed: fix-me; regressed: none.',
    });
    expect(changeVerdict(report({ decision: 'reject' }), 'reject').level).toBe('warning');
    expect(changeVerdict(report({ train: split({ regressions: ['r'] }) }), 'promote').level).toBe('warning');
  });
});
