import { describe, expect, it } from 'vitest';
import { infraAsymmetry, taskMeanDiscordance, validateCandidate } from '../../src/validate/validate.js';
import type { EpisodeRecord } from '../../src/domain/types.js';
import { initialSchedule } from '../../src/validate/schedule.js';
import { holdoutUsesCounter } from '../../src/store/holdout-uses.js';
import { drawPassProbabilities, logitShiftFor, shiftOnLogit, simulatedTasks } from '../helpers/simulation.js';
import { tempDir } from '../helpers/git.js';
import { simulatedInput, spread } from './helpers.js';

const TASKS = 30;

describe('validateCandidate decisions on a simulated suite', () => {
  it('promotes a no-effect candidate (identical pass probabilities) rarely across seeds', async () => {
    let promoted = 0;
    const seeds = 80;
    for (let seed = 0; seed < seeds; seed++) {
      const base = drawPassProbabilities(TASKS, `null-${seed}`);
      const { input } = simulatedInput({ train: { base, cand: base }, seed: `null-${seed}`, settings: { maxAttempts: 6 } });
      const report = await validateCandidate(input);
      if (report.decision === 'promote') promoted++;
    }
    // alpha = 0.05: 4 expected of 80; 9 or more would happen by chance < 1% of the time.
    expect(promoted).toBeLessThanOrEqual(8);
  });

  it('promotes a clearly better candidate and stops before the maximum', async () => {
    const base = drawPassProbabilities(TASKS, 'better');
    const cand = shiftOnLogit(base, logitShiftFor(base, 0.3));
    const { input, planned } = simulatedInput({ train: { base, cand }, seed: 'better' });
    const report = await validateCandidate(input);
    expect(report.decision).toBe('promote');
    expect(report.reason).toMatch(/promotion boundary/);
    expect(report.reason).toMatch(/no reliable task regressed/);
    expect(report.sequential.stoppedEarly).toBe(true);
    expect(report.sequential.looks.length).toBeGreaterThan(0);
    const last = report.sequential.looks[report.sequential.looks.length - 1]!;
    expect(last.statistic).toBeGreaterThanOrEqual(last.upper);
    expect(planned.length).toBeLessThan(TASKS * 4 * 2);
    expect(report.train.delta).toBeGreaterThan(0);
    expect(report.train.deltaCi.low).toBeLessThanOrEqual(report.train.delta);
    expect(report.train.deltaCi.high).toBeGreaterThanOrEqual(report.train.delta);
  });

  it('rejects a harmful candidate early', async () => {
    const base = drawPassProbabilities(TASKS, 'harmful');
    const cand = shiftOnLogit(base, logitShiftFor(base, -0.3));
    const { input, planned } = simulatedInput({ train: { base, cand }, seed: 'harmful' });
    const report = await validateCandidate(input);
    expect(report.decision).toBe('reject');
    expect(report.reason).toMatch(/minimum effect/);
    expect(planned.length).toBeLessThan(TASKS * 2 * 2);
  });

  it('blocks promotion when one reliable task regresses, and allows it when one regression is allowed', async () => {
    // Much better everywhere except train-000, which always passed and now always fails.
    const base = [1, ...spread(TASKS - 1, 0.2, 0.5)];
    const cand = [0, ...spread(TASKS - 1, 0.8, 0.95)];
    const blocked = await validateCandidate(simulatedInput({ train: { base, cand }, seed: 'regression' }).input);
    expect(blocked.decision).toBe('reject');
    expect(blocked.train.regressions).toEqual(['train-000']);
    expect(blocked.reason).toMatch(/train-000.*allowed-regressions = 0/);

    // train-001 and train-002 never passed and now always pass: targeted, they run first and are named as fixes.
    const fixable = { base: [1, 0, 0, ...base.slice(3)], cand: [0, 1, 1, ...cand.slice(3)] };
    const { input } = simulatedInput({ train: fixable, seed: 'regression', settings: { allowedRegressions: 1 } });
    const allowed = await validateCandidate({ ...input, targetedTasks: ['train-001', 'train-002', 'not-a-train-task'] });
    expect(allowed.decision).toBe('promote');
    expect(allowed.reason).toMatch(/no more than 1 reliable task regressed/);
    expect(allowed.train.regressions).toEqual(['train-000']);
    expect(allowed.train.fixes).toEqual(expect.arrayContaining(['train-001', 'train-002']));
  });

  it('runs a suspected regression to the maximum attempts before naming it', async () => {
    const base = [1, ...spread(TASKS - 1, 0.2, 0.5)];
    const cand = [0, ...spread(TASKS - 1, 0.8, 0.95)];
    const { input, planned } = simulatedInput({ train: { base, cand }, seed: 'regression', settings: { allowedRegressions: 1 } });
    await validateCandidate(input);
    const attempts = planned.filter((plan) => plan.task.id === 'train-000').map((plan) => plan.attempt);
    expect(Math.max(...attempts)).toBe(3);
  });

  it('excludes infra-error episodes from the comparison and counts them apart', async () => {
    const base = spread(TASKS, 0.1, 0.9);
    const { input } = simulatedInput({ train: { base, cand: base }, seed: 'infra', infraRate: 0.2 });
    const report = await validateCandidate(input);
    expect(report.episodes.infra).toBeGreaterThan(0);
    expect(report.train.baseline.infra + report.train.candidate.infra).toBe(report.episodes.infra);
    // Paired totals count only pairs where neither side was an infra error.
    expect(report.train.baseline.total).toBe(report.train.candidate.total);
    expect(report.train.baseline.total * 2 + report.episodes.infra).toBeLessThanOrEqual(report.episodes.run);
  });

  it('counts episodes that come back from the cache as cached, not run', async () => {
    const base = spread(TASKS, 0.1, 0.9);
    const { input, planned } = simulatedInput({ train: { base, cand: base }, seed: 'cached', cachedBefore: new Date() });
    const report = await validateCandidate(input);
    expect(report.episodes).toMatchObject({ run: 0, cached: planned.length });
    expect(report.usage).toEqual({ inputTokens: 0, outputTokens: 0, costUsd: 0 });
  });

  it('stops inconclusive with "budget exhausted" before spending more than the budget', async () => {
    const base = spread(TASKS, 0.1, 0.9);
    const { input, planned } = simulatedInput({ train: { base, cand: base }, seed: 'budget' });
    const budget = 19;
    const report = await validateCandidate({ ...input, budget: { episodesLeft: () => budget - planned.length } });
    expect(report.decision).toBe('inconclusive');
    expect(report.stoppedBy).toBe('budget');
    expect(report.reason).toMatch(/budget ran out/);
    expect(planned.length).toBeLessThanOrEqual(budget);
    expect(planned.length).toBe(18);
  });

  it('says inconclusive when the maximum attempts run out before either boundary', async () => {
    // Tasks that always pass or always fail on both sides never disagree: no evidence either way.
    const base = [1, 1, 1, 0, 0, 0];
    const { input } = simulatedInput({ train: { base, cand: base }, seed: 'tiny', settings: { maxAttempts: 1 } });
    const report = await validateCandidate(input);
    expect(report.decision).toBe('inconclusive');
    expect(report.reason).toMatch(/max-attempts = 1/);
    expect(report.sequential.stoppedEarly).toBe(false);
  });

  it('states the method, its error rates and every look in the report', async () => {
    const base = drawPassProbabilities(TASKS, 'report');
    const { input } = simulatedInput({ train: { base, cand: base }, seed: 'report' });
    const report = await validateCandidate(input);
    expect(report.sequential).toMatchObject({ alpha: 0.05, beta: 0.2, minEffect: 0.1 });
    expect(report.sequential.method).toMatch(/sign test.*alpha 0.05.*beta 0.2/);
    const episodes = report.sequential.looks.map((look) => look.episodes);
    expect(episodes).toEqual([...episodes].sort((a, b) => a - b));
    for (const look of report.sequential.looks) expect(look.lower).toBeLessThan(look.upper);
    expect(report.version).toBe(1);
    expect(report.baseline).toEqual({ label: 'baseline', harnessHash: 'sim-baseline' });
  });

  it('plans on the mean per-task discordance, ignoring who won', () => {
    const schedule = initialSchedule(simulatedTasks(2));
    Object.assign(schedule[0]!, { pairs: 4, discordant: 2, pooledPasses: 4 });
    Object.assign(schedule[1]!, { pairs: 2, discordant: 0, pooledPasses: 0 });
    // Task rates 0.5 and 0: mean 0.25, plus 2.5 standard errors over 6 pairs.
    expect(taskMeanDiscordance(schedule)).toBeCloseTo(0.25 + 2.5 * Math.sqrt((0.25 * 0.75) / 6), 12);
    expect(taskMeanDiscordance(initialSchedule(simulatedTasks(2)))).toBeUndefined();
  });

  it('rejects settings outside their range naming the config field', async () => {
    const base = spread(4, 0.3, 0.7);
    const { input } = simulatedInput({ train: { base, cand: base }, seed: 'x', settings: { alpha: 1.5 } });
    await expect(validateCandidate(input)).rejects.toThrow(/validate\.alpha/);
  });
});

describe('the sealed held-out split', () => {
  const base = drawPassProbabilities(TASKS, 'holdout');
  const cand = shiftOnLogit(base, logitShiftFor(base, 0.3));
  const holdout = { base: spread(10, 0.2, 0.8), cand: spread(10, 0.3, 0.9) };

  it('is not run unless asked, and the counter does not move', async () => {
    const stateDir = tempDir('sh-holdout-');
    const { input, planned } = simulatedInput({ train: { base, cand }, holdout, seed: 'h1' });
    const report = await validateCandidate({ ...input, runHoldout: false, holdoutUses: holdoutUsesCounter(stateDir) });
    expect(report.decision).toBe('promote');
    expect(planned.some((plan) => plan.split === 'holdout')).toBe(false);
    expect(report.holdout).toBeUndefined();
    expect(report.holdoutUses).toBe(0);
  });

  it('is run as a sequential confirmation of its own for a candidate that passed on train, on its own stream, and each use is counted', async () => {
    const stateDir = tempDir('sh-holdout-');
    const better = { base: spread(10, 0.1, 0.4), cand: spread(10, 0.7, 0.95) };
    for (const expectedUses of [1, 2]) {
      const { input, planned } = simulatedInput({ train: { base, cand }, holdout: better, seed: 'h2' });
      const report = await validateCandidate({
        ...input,
        settings: { ...input.settings, holdoutAttempts: 8 },
        runHoldout: true,
        holdoutUses: holdoutUsesCounter(stateDir),
        streams: { train: 'screen:x:0', holdout: `confirm:${expectedUses - 1}` },
      });
      expect(report.decision).toBe('promote');
      expect(report.holdoutUses).toBe(expectedUses);
      expect(report.holdout?.tasks).toBe(10);
      expect(report.confirmation?.alpha).toBe(0.05);
      expect(report.confirmation?.looks.length).toBeGreaterThan(0);
      // Every episode of each phase on its own stream: none is shared with mining or another confirmation.
      expect(planned.filter((plan) => plan.split === 'train').every((plan) => plan.stream === 'screen:x:0')).toBe(true);
      expect(planned.filter((plan) => plan.split === 'holdout').every((plan) => plan.stream === `confirm:${expectedUses - 1}`)).toBe(true);
      // Held-out episodes only after the train decision: never interleaved with the train test.
      const firstHoldout = planned.findIndex((plan) => plan.split === 'holdout');
      expect(planned.slice(firstHoldout).every((plan) => plan.split === 'holdout')).toBe(true);
    }
  });

  it('does not confirm a candidate with no effect on the held-out split, however well it did on train', async () => {
    const stateDir = tempDir('sh-holdout-');
    const flat = { base: spread(10, 0.2, 0.8), cand: spread(10, 0.2, 0.8) };
    const { input } = simulatedInput({ train: { base, cand }, holdout: flat, seed: 'h5' });
    const report = await validateCandidate({
      ...input,
      settings: { ...input.settings, holdoutAttempts: 8 },
      runHoldout: true,
      holdoutUses: holdoutUsesCounter(stateDir),
    });
    expect(report.decision).not.toBe('promote');
    expect(report.reason).toMatch(/sealed held-out confirmation did not/);
  });

  it('is not run for a candidate the train split rejects', async () => {
    const stateDir = tempDir('sh-holdout-');
    const { input, planned } = simulatedInput({ train: { base: cand, cand: base }, holdout, seed: 'h3' });
    const report = await validateCandidate({ ...input, runHoldout: true, holdoutUses: holdoutUsesCounter(stateDir) });
    expect(report.decision).toBe('reject');
    expect(planned.some((plan) => plan.split === 'holdout')).toBe(false);
    expect(report.holdoutUses).toBe(0);
  });

  it('vetoes a promotion when the held-out split drops beyond noise', async () => {
    const stateDir = tempDir('sh-holdout-');
    const dropping = { base: spread(20, 0.8, 0.95), cand: spread(20, 0.05, 0.2) };
    const { input } = simulatedInput({ train: { base, cand }, holdout: dropping, seed: 'h4' });
    const report = await validateCandidate({ ...input, runHoldout: true, holdoutUses: holdoutUsesCounter(stateDir) });
    expect(report.decision).toBe('reject');
    expect(report.reason).toMatch(/sealed held-out confirmation did not/);
    // Held-out task ids never go into the reason (it reaches the proposer's history).
    expect(report.reason).not.toMatch(/holdout-\d/);
    expect(report.holdout!.delta).toBeLessThan(0);
  });
});

describe('infra errors on one side only', () => {
  it('does not promote a candidate that turns its failures into "infrastructure" errors', async () => {
    // Both sides pass 30% of the time; the candidate reports every failure as an infra error, so on the pairs
    // that remain it would look perfect.
    const { input } = simulatedInput({ train: { base: spread(30, 0.3, 0.3), cand: spread(30, 0.3, 0.3) }, seed: 'infra-skew' });
    const inner = input.runEpisodes;
    input.runEpisodes = async (plans) => {
      const records = await inner(plans);
      return records.map((record, i) =>
        plans[i]!.harness.hash === input.candidate.hash && record.outcome === 'fail'
          ? { ...record, outcome: 'infra-error' as const, error: { type: 'x', message: 'y', infrastructure: true } }
          : record,
      );
    };
    const report = await validateCandidate(input);
    expect(report.decision).not.toBe('promote');
    expect(report.episodes.infra).toBeGreaterThan(0);
  });

  it('names the skew when the candidate alone errs much more often', () => {
    const pass = { outcome: 'pass' } as EpisodeRecord;
    const infra = { outcome: 'infra-error' } as EpisodeRecord;
    const slots = [
      ...Array.from({ length: 8 }, (_, i) => ({ taskId: `t${i}`, attempt: 0, baseline: pass, candidate: infra })),
      { taskId: 'u', attempt: 0, baseline: infra, candidate: pass },
    ];
    expect(infraAsymmetry(slots, 0.05)).toMatch(/8 pair\(s\), against 1/);
    expect(infraAsymmetry(slots.slice(0, 2).concat(slots.slice(-1)), 0.05)).toBeUndefined();
  });
});

describe('review regressions', () => {
  it('does not promote when a suspected regression lost a pair to an infra error and could not be judged', async () => {
    // t00 passes always on the baseline and never on the candidate; the other tasks improve a lot.
    const base = [1, ...spread(29, 0.2, 0.5)];
    const cand = [0, ...spread(29, 0.7, 0.95)];
    const { input } = simulatedInput({ train: { base, cand }, seed: 'lost-pair' });
    const inner = input.runEpisodes;
    input.runEpisodes = async (plans) => {
      const records = await inner(plans);
      return records.map((record, i) => {
        const plan = plans[i]!;
        const lost = plan.task.id === input.trainTasks[0]!.id && plan.attempt === 1 && plan.harness.hash === input.candidate.hash;
        return lost ? { ...record, outcome: 'infra-error' as const, error: { type: 'x', message: 'y', infrastructure: true } } : record;
      });
    };
    const report = await validateCandidate(input);
    expect(report.decision).not.toBe('promote');
  });

  it('confirms on the held-out split without running the train test again', async () => {
    const { input } = simulatedInput({
      train: { base: spread(30, 0.1, 0.4), cand: spread(30, 0.7, 0.95) },
      holdout: { base: spread(10, 0.1, 0.4), cand: spread(10, 0.7, 0.95) },
      seed: 'confirm',
    });
    const first = await validateCandidate(input);
    expect(first.decision).toBe('promote');
    expect(first.holdout).toBeUndefined();
    const splits: string[] = [];
    const inner = input.runEpisodes;
    const confirmed = await validateCandidate({
      ...input,
      runHoldout: true,
      confirm: first,
      runEpisodes: async (plans) => {
        splits.push(...plans.map((plan) => plan.split));
        return inner(plans);
      },
    });
    expect(new Set(splits)).toEqual(new Set(['holdout']));
    expect(confirmed.decision).toBe('promote');
    expect(confirmed.train).toEqual(first.train);
    expect(confirmed.holdout).toBeDefined();
    expect(confirmed.episodes.run).toBeGreaterThan(first.episodes.run);
  });
});
