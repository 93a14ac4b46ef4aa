// A realistic promoted evolve result (the demo's shape: 17 train tasks x 4 attempts, a sealed held-out confirmation,
// two earlier promotions in the history) from which the rendered preview draws the PR body and the check summary.
import type { EvolveResult } from '../../src/domain/flows.js';
import type { TaskResult, ValidationReport } from '../../src/domain/validation.js';
import type { TrendPoint } from '../../src/report/trend.js';

const TRAIN_TASKS = [
  'archive-old-logs',
  'build-bundle',
  'bump-version',
  'count-code-lines',
  'count-log-errors',
  'count-open-issues',
  'exact-greeting',
  'extract-user-names',
  'find-app-port',
  'fix-calc-script',
  'fix-moved-config',
  'iso-dates',
  'json-to-csv-report',
  'merge-json-settings',
  'open-todo-items',
  'pass-rate-percent',
  'sum-sales-column',
];

/** Passes out of 4 on each side, per task: the candidate fixes two tasks and helps a few more. */
const BASELINE = [4, 0, 1, 4, 0, 2, 4, 0, 1, 4, 0, 1, 0, 2, 0, 4, 0];
const CANDIDATE = [4, 4, 2, 4, 3, 2, 4, 0, 1, 4, 4, 2, 0, 2, 1, 4, 0];

const perTask: TaskResult[] = TRAIN_TASKS.map((taskId, i) => ({
  taskId,
  baseline: { passes: BASELINE[i]!, runs: 4 },
  candidate: { passes: CANDIDATE[i]!, runs: 4 },
}));

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const basePassed = sum(BASELINE);
const candPassed = sum(CANDIDATE);

export const validation: ValidationReport = {
  version: 1,
  question: 'superiority',
  decision: 'promote',
  reason: 'The candidate won 15 of 16 discordant pairs on the train split; the sealed held-out confirmation agreed.',
  baseline: { label: 'main', harnessHash: 'a1b2c3d4e5f6'.padEnd(64, '0') },
  candidate: { label: 'c-7f3a9e21', harnessHash: 'f6e5d4c3b2a1'.padEnd(64, '0') },
  episodes: { run: 150, cached: 36, infra: 2 },
  train: {
    baseline: { passed: basePassed, total: 68, rate: basePassed / 68, ci: { low: 0.27, high: 0.5 }, infra: 1 },
    candidate: { passed: candPassed, total: 68, rate: candPassed / 68, ci: { low: 0.45, high: 0.68 }, infra: 1 },
    delta: (candPassed - basePassed) / 68,
    deltaCi: { low: 0.103, high: 0.338 },
    fixes: ['build-bundle', 'fix-moved-config'],
    regressions: [],
    tasks: 17,
    attemptsPerTask: 4,
    perTask,
  },
  holdout: {
    baseline: { passed: 9, total: 28, rate: 9 / 28, ci: { low: 0.18, high: 0.5 }, infra: 0 },
    candidate: { passed: 15, total: 28, rate: 15 / 28, ci: { low: 0.36, high: 0.7 }, infra: 0 },
    delta: 6 / 28,
    deltaCi: { low: 0.036, high: 0.393 },
    fixes: [],
    regressions: [],
    tasks: 7,
    attemptsPerTask: 4,
  },
  holdoutUses: 2,
  sequential: { method: 'group-sequential sign test', alpha: 0.1, beta: 0.2, minEffect: 0.1, looks: [], stoppedEarly: true },
  confirmation: { method: 'group-sequential sign test', alpha: 0.025, beta: 0.5, minEffect: 0.1, looks: [], stoppedEarly: true },
  usage: { inputTokens: 48_210, outputTokens: 3_904, costUsd: 0.0137 },
  startedAt: '2026-12-02T03:00:00.000Z',
  durationMs: 312_000,
};

export const evolveResult: Omit<EvolveResult, 'markdown' | 'reportPath'> = {
  decision: 'promote',
  reason: 'Promoted 1 change after 2 rounds: round 1 confirmed on the sealed held-out split.',
  branch: 'self-harness/main',
  commit: 'c'.repeat(40),
  baseCommit: 'b'.repeat(40),
  changedFiles: [{ path: 'examples/demo/harness/prompt.md', addedLines: [12, 13, 14, 15] }],
  diff: [
    'diff --git a/examples/demo/harness/prompt.md b/examples/demo/harness/prompt.md',
    '--- a/examples/demo/harness/prompt.md',
    '+++ b/examples/demo/harness/prompt.md',
    '@@ -9,3 +9,7 @@ Work in the task directory.',
    ' Use the tools to inspect files before you change them.',
    ' When the task is done, call finish.',
    '+',
    '+Before you finish, run the check the task describes (or the closest one you can)',
    '+and read its output. If a file the task names is missing, search for it with',
    '+`find . -name` before concluding it does not exist.',
    '',
  ].join('\n'),
  validation,
  rounds: [
    { round: 1, weaknesses: 3, candidates: 2, promoted: ['c-7f3a9e21'], trainRate: candPassed / 68, trainCi: { low: 0.45, high: 0.68 } },
    { round: 2, weaknesses: 2, candidates: 2, promoted: [], trainRate: 0.6, trainCi: { low: 0.48, high: 0.7 } },
  ],
  changes: [
    {
      round: 1,
      candidateId: 'c-7f3a9e21',
      summary: 'Run the task check before finishing, and search for a missing file before giving up on it.',
      rationale:
        'In 23 failed train episodes the agent called finish without running the check the task describes; in 9 it gave up on an input file that had moved to another directory.',
    },
  ],
  targeted: [
    {
      id: 'w-1',
      failureClass: 'finished without verifying',
      tasks: ['build-bundle', 'count-log-errors', 'iso-dates'],
      diagnosis: 'The agent reports completion before running the verifier-like check named in the instruction.',
      evidence: ['step 6: finish {"summary": "done"} — verifier: output.txt does not match the expected format'],
    },
  ],
  estimate: { episodes: 420, tokens: 120_000, usd: 0.05 },
  errorControl: {
    alpha: 0.05,
    spent: 0.025,
    spends: [{ round: 1, test: 'held-out confirmation of c-7f3a9e21', alpha: 0.025, outcome: 'promote' }],
    statement: 'An evolve run like this one promotes an edit with no real effect at most 5% of the time.',
  },
  spent: { episodes: 186, cachedEpisodes: 36, inputTokens: 48_210, outputTokens: 3_904, costUsd: 0.0137 },
};

export const trend: TrendPoint[] = [
  { at: '2026-11-18T03:00:00Z', candidateId: 'c-1d2e3f40', baselineRate: 0.25, rate: 0.31 },
  { at: '2026-11-25T03:00:00Z', candidateId: 'c-5a6b7c80', baselineRate: 0.31, rate: basePassed / 68 },
  { at: '2026-12-02T03:00:00Z', candidateId: 'c-7f3a9e21', baselineRate: basePassed / 68, rate: candPassed / 68 },
];
