// Measures the validation engine against the published Self-Harness gate on a simulated noisy suite.
// Run: npx tsx bench/validation.ts [--trials 2000] [--max-attempts 4,8]
//
// Suite: 60 tasks, pass probabilities drawn per trial from Beta(0.6, 0.75) (mean 0.44, most tasks near 0 or 1),
// split 42 train / 18 held-out. An edit of +/-X points moves every task by the same amount on the logit
// scale, calibrated per trial so the mean pass probability over the 60 tasks moves by exactly X.
import { parseArgs } from 'node:util';
import { signTestPValue } from '../src/stats/sign-test.js';
import { seededRandom } from '../src/stats/rng.js';
import { validateCandidate, type ValidateSettings } from '../src/validate/validate.js';
import {
  drawPassProbabilities,
  logitShiftFor,
  probabilityMap,
  shiftOnLogit,
  simulatedHarness,
  simulatedRunEpisodes,
  simulatedTasks,
} from '../test/helpers/simulation.js';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '2000' },
    'max-attempts': { type: 'string', default: '4,8' },
    gamma: { type: 'string' },
    /** logit (default): same shift on the logit scale; additive: same shift in probability, clipped to [0, 1]. */
    'effect-model': { type: 'string', default: 'logit' },
    inflation: { type: 'string' },
    /** PR gate (non-inferiority) margins to measure. */
    margins: { type: 'string', default: '0.1,0.05' },
  },
});
const design = {
  ...(values.gamma ? { alphaGamma: Number(values.gamma.split(',')[0]), betaGamma: Number(values.gamma.split(',')[1] ?? values.gamma.split(',')[0]) } : {}),
  ...(values.inflation ? { inflation: Number(values.inflation) } : {}),
};
const trials = Number(values.trials);
const maxAttemptsList = String(values['max-attempts']).split(',').map(Number);
const TASKS = 60;
const TRAIN = 42;
const scenarios = [
  { name: 'no effect', delta: 0 },
  { name: 'harmful -10', delta: -0.1 },
  { name: 'better +10', delta: 0.1 },
];

interface Trial {
  tasks: ReturnType<typeof simulatedTasks>;
  base: number[];
  cand: number[];
}

const additive = values['effect-model'] === 'additive';
const clip = (ps: number[], c: number) => ps.map((p) => Math.min(1, Math.max(0, p + c)));
/** The additive shift, clipped to [0, 1], that moves the mean by exactly `delta` (bisection). */
function additiveShiftFor(ps: number[], delta: number): number {
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  let low = delta > 0 ? 0 : -1;
  let high = delta > 0 ? 1 : 0;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (mean(clip(ps, mid)) - mean(ps) < delta) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

function makeTrial(index: number, delta: number): Trial {
  const base = drawPassProbabilities(TASKS, `bench-${index}`);
  const cand = delta === 0 ? base : additive ? clip(base, additiveShiftFor(base, delta)) : shiftOnLogit(base, logitShiftFor(base, delta));
  return { tasks: simulatedTasks(TASKS), base, cand };
}

const baseline = simulatedHarness('baseline');
const candidate = simulatedHarness('candidate');
const memoryCounter = () => {
  let uses = 0;
  return { read: async () => uses, increment: async () => ++uses };
};

async function ourMethod(trial: Trial, index: number, maxAttempts: number, gate?: { margin: number }) {
  const settings: ValidateSettings = {
    // The config's defaults (src/config/schema.ts).
    alpha: 0.05,
    beta: 0.1,
    minEffect: 0.1,
    maxAttempts,
    allowedRegressions: 0,
    reliablePassRate: 0.8,
    holdoutAttempts: 24,
    confirmBeta: 0.02,
    concurrency: 4,
    ...(gate ? { question: 'non-inferiority' as const, margin: gate.margin, regressionBeta: 0.1 } : {}),
  };
  const sim = simulatedRunEpisodes({
    passProbability: probabilityMap(trial.tasks, [
      { harness: baseline, probabilities: trial.base },
      { harness: candidate, probabilities: trial.cand },
    ]),
    seed: `episodes-${index}`,
  });
  const report = await validateCandidate({
    baseline,
    candidate,
    trainTasks: trial.tasks.slice(0, TRAIN),
    holdoutTasks: trial.tasks.slice(TRAIN),
    runHoldout: !gate,
    settings,
    runEpisodes: sim.runEpisodes,
    holdoutUses: memoryCounter(),
    design,
  });
  const holdout = report.holdout ? 2 * report.holdout.baseline.total : 0;
  return { decision: report.decision, episodes: report.episodes.run + report.episodes.cached, holdout };
}

/** Published gate: 2 repeats per side on both splits; accept iff neither split's mean drops and one rises. */
function publishedGate(trial: Trial, index: number) {
  const random = seededRandom(`gate-${index}`);
  const rate = (ps: number[]) => ps.reduce((sum, p) => sum + (random() < p ? 1 : 0) + (random() < p ? 1 : 0), 0) / (2 * ps.length);
  const dIn = rate(trial.cand.slice(0, TRAIN)) - rate(trial.base.slice(0, TRAIN));
  const dHo = rate(trial.cand.slice(TRAIN)) - rate(trial.base.slice(TRAIN));
  return { promoted: dIn >= 0 && dHo >= 0 && Math.max(dIn, dHo) > 0, episodes: 2 * 2 * TASKS };
}

/** Smallest number of paired train episodes at which a fixed-sample exact sign test (alpha 0.05) has power >= 0.8 at +10. */
function fixedSamplePairs(): { pairs: number; power: number; nullRate: number } {
  const maxPairs = TRAIN * 16;
  const critical: number[] = [];
  for (let d = 0; d <= maxPairs; d++) {
    let c = 0;
    while (c <= d && signTestPValue(c, d) > 0.05) c++;
    critical.push(c === 0 ? Infinity : c);
  }
  const hits = (delta: number) => {
    const rejections = new Float64Array(maxPairs + 1);
    for (let i = 0; i < trials; i++) {
      const trial = makeTrial(i, delta);
      const random = seededRandom(`fixed-${delta}-${i}`);
      let d = 0;
      let w = 0;
      for (let n = 1; n <= maxPairs; n++) {
        const task = (n - 1) % TRAIN;
        const b = random() < trial.base[task]!;
        const c = random() < trial.cand[task]!;
        if (b !== c) {
          d++;
          if (c) w++;
        }
        if (w >= critical[d]!) rejections[n]++;
      }
    }
    return rejections.map((count) => count / trials);
  };
  const power = hits(0.1);
  const nullRates = hits(0);
  for (let n = 1; n <= maxPairs; n++) if (power[n]! >= 0.8) return { pairs: n, power: power[n]!, nullRate: nullRates[n]! };
  return { pairs: maxPairs, power: power[maxPairs]!, nullRate: nullRates[maxPairs]! };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const started = performance.now();
const fixed = fixedSamplePairs();
console.log(
  `Simulated suite: ${TASKS} tasks (Beta(0.6, 0.75) pass probabilities), ${TRAIN} train / ${TASKS - TRAIN} held-out; ${trials} trials per scenario; edits are ${additive ? 'additive shifts (clipped to [0, 1])' : 'logit shifts'} calibrated to the stated mean change.`,
);
console.log(
  `Fixed-sample design (exact one-sided sign test, alpha 0.05, power >= 80% at +10): ${fixed.pairs} train pairs = ${2 * fixed.pairs} episodes (power ${pct(fixed.power)}, null promotion ${pct(fixed.nullRate)}).`,
);
console.log('');

for (const maxAttempts of maxAttemptsList) {
  const rows: string[] = [];
  for (const scenario of scenarios) {
    let promoted = 0;
    let rejected = 0;
    let episodes = 0;
    let holdout = 0;
    for (let i = 0; i < trials; i++) {
      const result = await ourMethod(makeTrial(i, scenario.delta), i, maxAttempts);
      if (result.decision === 'promote') promoted++;
      if (result.decision === 'reject') rejected++;
      episodes += result.episodes;
      holdout += result.holdout;
    }
    const mean = episodes / trials;
    const train = (episodes - holdout) / trials;
    rows.push(
      `  ${scenario.name.padEnd(12)} promote ${pct(promoted / trials).padStart(6)}  reject ${pct(rejected / trials).padStart(6)}  inconclusive ${pct((trials - promoted - rejected) / trials).padStart(6)}  mean episodes ${mean.toFixed(0).padStart(4)} (${pct(mean / (2 * fixed.pairs))} of fixed); train only ${train.toFixed(0).padStart(4)} (${pct(train / (2 * fixed.pairs))})`,
    );
  }
  console.log(
    `validate --question superiority: sequential paired sign test on train (alpha 0.05, beta 0.1, min-effect +10, max-attempts ${maxAttempts}), then the sequential held-out confirmation (alpha 0.05, confirm-beta 0.02, at most 24 attempts):`,
  );
  console.log(rows.join('\n'));
}

// The PR gate: a person's change asked "is it not worse by the margin?" (train split only).
const gateScenarios = [
  { name: 'harmful -10', delta: -0.1 },
  { name: 'harmful -5', delta: -0.05 },
  { name: 'no effect', delta: 0 },
  { name: 'better +10', delta: 0.1 },
];
for (const margin of String(values.margins).split(',').map(Number)) {
  for (const maxAttempts of maxAttemptsList) {
    const rows: string[] = [];
    for (const scenario of gateScenarios) {
      let passed = 0;
      let regressed = 0;
      let episodes = 0;
      for (let i = 0; i < trials; i++) {
        const result = await ourMethod(makeTrial(i, scenario.delta), i, maxAttempts, { margin });
        if (result.decision === 'promote') passed++;
        if (result.decision === 'reject') regressed++;
        episodes += result.episodes;
      }
      rows.push(
        `  ${scenario.name.padEnd(12)} pass ${pct(passed / trials).padStart(6)}  regress ${pct(regressed / trials).padStart(6)}  inconclusive ${pct((trials - passed - regressed) / trials).padStart(6)}  mean episodes ${(episodes / trials).toFixed(0).padStart(4)}`,
      );
    }
    console.log(
      `PR gate: sequential non-inferiority test (alpha 0.05, regression-beta 0.1, margin ${Math.round(margin * 100)} points, max-attempts ${maxAttempts}, ${TRAIN} train tasks):`,
    );
    console.log(rows.join('\n'));
  }
}

const gateRows: string[] = [];
for (const scenario of scenarios) {
  let promoted = 0;
  for (let i = 0; i < trials; i++) if (publishedGate(makeTrial(i, scenario.delta), i).promoted) promoted++;
  gateRows.push(
    `  ${scenario.name.padEnd(12)} promote ${pct(promoted / trials).padStart(6)}  episodes ${2 * 2 * TASKS} (both sides; ${2 * TASKS} new when the parent's baseline runs are reused)`,
  );
}
console.log('Published Self-Harness gate (2 repeats, both splits, accept iff neither drops and one rises):');
console.log(gateRows.join('\n'));
console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
