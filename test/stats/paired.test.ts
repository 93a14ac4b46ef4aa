import { describe, expect, it } from 'vitest';
import { countPairs, pairedDelta, tallyByTask, type PairedOutcome } from '../../src/stats/paired.js';
import { judgeTasks, suspectedRegressions } from '../../src/stats/regressions.js';
import { seededRandom } from '../../src/stats/rng.js';

const pair = (taskId: string, attempt: number, baselinePassed: boolean, candidatePassed: boolean): PairedOutcome => ({
  taskId,
  attempt,
  baselinePassed,
  candidatePassed,
});

describe('paired tallies', () => {
  it('counts passes per side, discordant pairs and candidate wins per task', () => {
    const outcomes = [pair('a', 0, true, false), pair('a', 1, false, true), pair('a', 2, true, true), pair('b', 0, false, true)];
    expect(tallyByTask(outcomes)).toEqual([
      { taskId: 'a', baseline: { passes: 2, runs: 3 }, candidate: { passes: 2, runs: 3 }, discordant: 2, candidateWins: 1 },
      { taskId: 'b', baseline: { passes: 0, runs: 1 }, candidate: { passes: 1, runs: 1 }, discordant: 1, candidateWins: 1 },
    ]);
    expect(countPairs(outcomes)).toEqual({ pairs: 4, discordant: 3, wins: 2 });
  });
});

describe('paired delta with a bootstrap interval', () => {
  it('weights each task once, whatever its number of attempts', () => {
    // Task a: 0/4 -> 4/4 (+1); task b: 1 attempt, pass -> pass (0). Mean over tasks = 0.5 (not 4/5).
    const outcomes = [0, 1, 2, 3].map((i) => pair('a', i, false, true)).concat([pair('b', 0, true, true)]);
    expect(pairedDelta(tallyByTask(outcomes), { seed: 's' }).delta).toBeCloseTo(0.5, 12);
  });

  it('gives the same interval for the same seed and an interval around the estimate', () => {
    const random = seededRandom('data');
    const outcomes: PairedOutcome[] = [];
    for (let t = 0; t < 40; t++) for (let a = 0; a < 3; a++) outcomes.push(pair(`t${t}`, a, random() < 0.4, random() < 0.55));
    const tallies = tallyByTask(outcomes);
    const first = pairedDelta(tallies, { seed: 'x' });
    expect(pairedDelta(tallies, { seed: 'x' })).toEqual(first);
    expect(first.ci.low).toBeLessThan(first.delta);
    expect(first.ci.high).toBeGreaterThan(first.delta);
    // 40 tasks: the 95% interval is a few tens of points wide, not 0 and not 2.
    expect(first.ci.high - first.ci.low).toBeGreaterThan(0.05);
    expect(first.ci.high - first.ci.low).toBeLessThan(0.6);
  });

  it('is exactly zero with no width when both sides agree on every pair', () => {
    const outcomes = [pair('a', 0, true, true), pair('b', 0, false, false)];
    expect(pairedDelta(tallyByTask(outcomes), { seed: 'x' })).toEqual({ delta: 0, ci: { low: 0, high: 0 } });
  });
});

describe('per-task regressions and fixes', () => {
  const settings = { reliablePassRate: 0.8, regressionMinRuns: 4, fixMinRuns: 2 };
  const run = (taskId: string, n: number, basePasses: number, candPasses: number) =>
    Array.from({ length: n }, (_, i) => pair(taskId, i, i < basePasses, i < candPasses));

  it('names a task that passed reliably and now fails, once it has the attempts', () => {
    const tallies = tallyByTask([...run('reliable-broken', 4, 4, 0), ...run('flaky', 4, 3, 1), ...run('fixed', 2, 0, 2)]);
    expect(judgeTasks(tallies, settings)).toEqual({ regressions: ['reliable-broken'], fixes: ['fixed'] });
  });

  it('treats a regression-looking task with too few attempts as a suspect, not a regression', () => {
    const tallies = tallyByTask(run('maybe', 2, 2, 0));
    expect(judgeTasks(tallies, settings).regressions).toEqual([]);
    expect(suspectedRegressions(tallies, settings)).toEqual(['maybe']);
  });

  it('uses the reliable-pass-rate threshold inclusively on both sides', () => {
    // 4/5 = 0.8 on the baseline and 1/5 = 0.2 on the candidate: exactly at the thresholds.
    const tallies = tallyByTask(run('edge', 5, 4, 1));
    expect(judgeTasks(tallies, settings).regressions).toEqual(['edge']);
  });
});
