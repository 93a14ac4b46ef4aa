import { afterEach, describe, expect, it } from 'vitest';
import { annotationsFor, batches, changedRanges, completeCheckRun, conclusionFor, startCheckRun } from '../../src/github/check-run.js';
import { createGitHub } from '../../src/github/client.js';
import { startGitHubDouble, type GitHubDouble } from '../helpers/github-double.js';

let double: GitHubDouble | undefined;
afterEach(async () => {
  if (!double) return;
  expect(double.violations).toEqual([]);
  await double.close();
  double = undefined;
});

function setDouble(d: GitHubDouble) {
  double = d;
}

const repo = { owner: 'octo-org', repo: 'agent' };
const verdict = { level: 'notice' as const, title: 'self-harness: promote (+12.5 pts on train)', message: 'The change this file is part of: …' };

describe('check runs', () => {
  it('maps decisions to conclusions', () => {
    expect([conclusionFor('promote'), conclusionFor('reject'), conclusionFor('inconclusive')]).toEqual(['success', 'failure', 'neutral']);
    // A strict gate: inconclusive blocks the merge until the evidence is there.
    expect([conclusionFor('promote', 'failure'), conclusionFor('reject', 'failure'), conclusionFor('inconclusive', 'failure')]).toEqual([
      'success',
      'failure',
      'failure',
    ]);
  });

  it('annotates each changed file once, on its first range, naming its other ranges instead of repeating the verdict', () => {
    expect(changedRanges([7, 3, 4, 5, 9, 4, 0, -1])).toEqual([
      [3, 5],
      [7, 7],
      [9, 9],
    ]);
    const annotations = annotationsFor(
      [
        { path: 'harness/p.md', addedLines: [7, 3, 4, 5, 9, 4] },
        { path: 'harness/tools.json', addedLines: [12] },
        { path: 'harness/deleted-only.md', addedLines: [] },
      ],
      verdict,
    );
    expect(annotations).toEqual([
      {
        path: 'harness/p.md',
        start_line: 3,
        end_line: 5,
        annotation_level: 'notice',
        title: verdict.title,
        message: `${verdict.message} This file has 3 changed ranges (lines 3–5, 7, 9), judged together.`,
      },
      { path: 'harness/tools.json', start_line: 12, end_line: 12, annotation_level: 'notice', title: verdict.title, message: verdict.message },
    ]);
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('stops at max-annotations', () => {
    const files = Array.from({ length: 5 }, (_, i) => ({ path: `h${i}.md`, addedLines: [1] }));
    expect(annotationsFor(files, verdict, 2).map((a) => a.path)).toEqual(['h0.md', 'h1.md']);
    expect(annotationsFor(files, verdict, 0)).toEqual([]);
  });

  it('creates in_progress on the head SHA, then completes, sending annotations in batches of 50', async () => {
    const double = await startGitHubDouble();
    setDouble(double);
    const github = createGitHub({ token: 't', baseUrl: double.url, timeUnitMs: 1 });
    const sha = 'a'.repeat(40);
    const started = await startCheckRun(github, repo, 'gate', sha, 'https://github.test/run/1');
    expect(double.state.checkRuns[0]).toMatchObject({ head_sha: sha, status: 'in_progress', conclusion: null });
    const every2nd = Array.from({ length: 120 }, (_, i) => i * 2 + 1);
    await completeCheckRun(github, repo, started.id, {
      conclusion: 'failure',
      title: 't'.repeat(300),
      summary: '✓'.repeat(30_000),
      annotations: Array.from({ length: 120 }, (_, i) => annotationsFor([{ path: `h${i}.md`, addedLines: every2nd }], verdict)[0]!),
      fullReportHint: 'see run',
    });
    const run = double.state.checkRuns[0]!;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(run.annotations).toHaveLength(120);
    const updates = double.requests.filter((r) => r.operationId === 'checks/update');
    expect(updates.map((r) => r.body.output.annotations.length)).toEqual([50, 50, 20]);
    expect(Buffer.byteLength(run.output.summary!)).toBeLessThanOrEqual(65_535);
    expect(run.output.title!.length).toBeLessThanOrEqual(255);
  });
});
