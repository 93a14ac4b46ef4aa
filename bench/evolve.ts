// Error rates where users meet them: whole `evolve` runs (the real loop: mining, proposal slots, screening, held-out
// confirmation, alpha ledger, git worktrees and commits), with a scripted proposer and a simulated agent.
// Run: npx tsx bench/evolve.ts [--runs 1000] [--from 0] [--scenarios null,harmful,power] [--spread even,subset] [--rounds 2]
//      [--validate key=value,...]; BENCH_BREAKDOWN=1 also prints each run's episodes by purpose and its edits' fates.
//
// Suite: 60 tasks, per-task pass probabilities drawn per run from Beta(0.6, 0.75) (mean 0.44, most tasks near 0 or 1),
// suite.holdout 0.3. An edit's effect is a shift of the suite's mean pass rate: spread evenly (the same logit shift on
// every task) or over a subset (a quarter of the tasks carry all of it). The scripted proposer offers K = 4 candidates a
// round: round 1 holds the scenario's edits, later rounds four new no-effect edits.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load.js';
import { evolve } from '../src/flows/evolve.js';
import type { EpisodeRequest, EpisodeResult, EpisodeRunner } from '../src/domain/types.js';
import type { Candidate, Proposer } from '../src/propose/types.js';
import { seededRandom } from '../src/stats/rng.js';
import { wilson } from '../src/stats/wilson.js';
import { drawPassProbabilities, episodeSeed, logitShiftFor, shiftOnLogit, simulatedVerdict } from '../test/helpers/simulation.js';
import { makeRepo } from '../test/helpers/git.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    /** The first run's index: runs --from .. --from+runs-1, so several processes can share one row's runs. */
    from: { type: 'string', default: '0' },
    scenarios: { type: 'string', default: 'null,harmful,power' },
    spread: { type: 'string', default: 'even,subset' },
    rounds: { type: 'string', default: '2' },
    seed: { type: 'string', default: 'bench-evolve' },
    /** Overrides of the validate: section, e.g. --validate screen-alpha=0.1,holdout-attempts=24 (defaults otherwise). */
    validate: { type: 'string', default: '' },
  },
});
const RUNS = Number(values.runs);
const FROM = Number(values.from);
const ROUNDS = Number(values.rounds);
const TASKS = 60;

interface Edit {
  name: string;
  delta: number;
}
const SCENARIOS: Record<string, { label: string; round1: Edit[] }> = {
  null: { label: 'all four edits have no effect', round1: [0, 1, 2, 3].map((i) => ({ name: `null-${i}`, delta: 0 })) },
  harmful: {
    label: 'one -10-point edit among three with no effect',
    round1: [{ name: 'harm', delta: -0.1 }, ...[1, 2, 3].map((i) => ({ name: `null-${i}`, delta: 0 }))],
  },
  power: {
    label: 'one +10-point edit among three with no effect',
    round1: [{ name: 'good', delta: 0.1 }, ...[1, 2, 3].map((i) => ({ name: `null-${i}`, delta: 0 }))],
  },
};

/** The agent: pass probability from the task's base rate and the effects of the edits present in the harness. */
function simulatedRunner(runSeed: string, spread: 'even' | 'subset'): EpisodeRunner {
  const base = drawPassProbabilities(TASKS, runSeed);
  const subset = new Set(Array.from({ length: TASKS }, (_, i) => i).filter((i) => seededRandom(`${runSeed}:subset:${i}`)() < 0.25));
  const cache = new Map<string, number[]>();
  const probabilities = (delta: number): number[] => {
    const key = delta.toFixed(6);
    let ps = cache.get(key);
    if (!ps) {
      if (delta === 0) ps = base;
      else if (spread === 'even') ps = shiftOnLogit(base, logitShiftFor(base, delta));
      else {
        // The whole mean shift carried by the subset: its tasks move by delta * TASKS / |subset| on average.
        const inner = base.filter((_, i) => subset.has(i));
        const moved = shiftOnLogit(inner, logitShiftFor(inner, Math.max(-0.99, Math.min(0.99, (delta * TASKS) / Math.max(1, inner.length)))));
        let k = 0;
        ps = base.map((p, i) => (subset.has(i) ? moved[k++]! : p));
      }
      cache.set(key, ps);
    }
    return ps;
  };
  return {
    name: 'simulated',
    model: '',
    runCommand: 'simulated-agent',
    async run(request: EpisodeRequest): Promise<EpisodeResult> {
      const dir = path.join(request.harness.root, 'harness');
      let delta = 0;
      for (const file of readdirSync(dir)) {
        const match = /^effect (-?[\d.]+)/m.exec(readFileSync(path.join(dir, file), 'utf8'));
        if (match) delta += Number(match[1]);
      }
      const index = Number(request.task.id.slice(2));
      const p = probabilities(delta)[index]!;
      // Seeded by the episode's own directory (its id: harness, task, attempt and stream), like a re-run of a noisy agent.
      const passed = seededRandom(`${runSeed}:${episodeSeed(request.outDir)}`)() < p;
      return simulatedVerdict(request.outDir, passed, 'tests failed after the agent reported completion: output.txt does not match the expected format');
    },
  };
}

/** K = 4 candidates a round: the scenario's edits first, then no-effect edits; each writes one note file. */
function scriptedProposer(round1: Edit[]): Proposer & { offered: Map<string, Edit> } {
  let call = 0;
  const offered = new Map<string, Edit>();
  return {
    name: 'model',
    offered,
    async propose(input) {
      call += 1;
      const edits = call === 1 ? round1 : [0, 1, 2, 3].map((i) => ({ name: `later-${call}-${i}`, delta: 0 }));
      const candidates: Candidate[] = edits.map((edit) => {
        const id = `c-${edit.name}`;
        offered.set(id, edit);
        return {
          id,
          weaknessId: input.weaknesses[0]?.id ?? 'w',
          mechanism: 'prompt_instruction',
          summary: `note ${edit.name}`,
          rationale: 'scripted',
          predictedFixes: [],
          proposer: 'model',
          edits: [{ kind: 'create', file: `harness/note-${edit.name}.md`, content: `effect ${edit.delta}\n` }],
        };
      });
      return { candidates, declined: [], dropped: [], usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 } };
    },
  };
}

function suiteRepo(): string {
  const files: Record<string, string> = {
    'harness/prompt.md': '# System prompt\n',
    '.self-harness.yml': [
      'harness:',
      '  include: ["harness/**"]',
      'suite:',
      '  tasks: "tasks/*"',
      '  run: "simulated-agent"',
      '  concurrency: 8',
      '  attempts: 1',
      '  holdout: 0.3',
      '  seed: "bench"',
      'mining:',
      '  diagnose: false',
      ...(values.validate
        ? [
            'validate:',
            ...String(values.validate)
              .split(',')
              .map((kv) => `  ${kv.replace('=', ': ')}`),
          ]
        : []),
      '',
    ].join('\n'),
  };
  for (let i = 0; i < TASKS; i++) files[`tasks/t-${String(i).padStart(3, '0')}/task.txt`] = `task ${i}\n`;
  return makeRepo(files, 'sh-bench-evolve-');
}

interface RunOutcome {
  promoted: Edit[];
  episodes: number;
}

async function oneRun(scenario: keyof typeof SCENARIOS, spread: 'even' | 'subset', index: number, template: string): Promise<RunOutcome> {
  const repo = mkdtempSync(path.join(os.tmpdir(), 'sh-bench-run-'));
  rmSync(repo, { recursive: true });
  const { execFileSync } = await import('node:child_process');
  execFileSync('git', ['clone', '-q', template, repo]);
  try {
    const loaded = loadConfig(path.join(repo, '.self-harness.yml'));
    const proposer = scriptedProposer(SCENARIOS[scenario]!.round1);
    const result = await evolve({
      loaded,
      stateDir: path.join(repo, '.self-harness-state'),
      rounds: ROUNDS,
      budget: {},
      runner: simulatedRunner(`${values.seed}:${scenario}:${spread}:${index}`, spread),
      proposer,
    });
    const promotedIds = result.rounds.flatMap((r) => r.promoted);
    if (process.env.BENCH_BREAKDOWN) {
      const ledger = readFileSync(path.join(repo, '.self-harness-state', 'episodes.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const kinds = new Map<string, number>();
      for (const e of ledger) {
        const k = String(e.key.stream ?? 'mining').split(':')[0]!;
        kinds.set(k, (kinds.get(k) ?? 0) + 1);
      }
      console.error(`  episodes by purpose: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}; promoted ${promotedIds.join(',') || 'nothing'}`);
      const history = readFileSync(path.join(repo, '.self-harness-state', 'history.local.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      for (const e of history)
        if (!String(e.id).startsWith('c-later'))
          console.error(`    r${e.round} ${e.id}: ${e.decision} (Δ ${((e.numbers?.train_delta ?? 0) * 100).toFixed(1)}): ${String(e.reason).slice(0, 90)}`);
    }
    return { promoted: promotedIds.map((id) => proposer.offered.get(id)!), episodes: result.spent.episodes };
  } finally {
    // Removed in the background: a run leaves ~1,300 episode directories, and deleting them is not what is measured.
    spawn('rm', ['-rf', repo], { detached: true, stdio: 'ignore' }).unref();
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ci = (k: number, n: number) => {
  const w = wilson(k, n);
  return `[${pct(w.low)}, ${pct(w.high)}]`;
};

const template = suiteRepo();
console.log(
  `bench/evolve: ${RUNS} evolve run(s) per row, ${ROUNDS} round(s), K = 4, 60 tasks (Beta(0.6, 0.75)), holdout 0.3, ${values.validate ? `validate ${values.validate}` : 'defaults otherwise'}`,
);
console.log(
  '| scenario | effect spread | runs | promoted anything | no-effect edit promoted | harmful promoted | good edit promoted | mean new episodes per run |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const scenario of String(values.scenarios).split(',') as (keyof typeof SCENARIOS)[]) {
  for (const spread of String(values.spread).split(',') as ('even' | 'subset')[]) {
    if (scenario === 'null' && spread === 'subset') continue; // no effect has no spread
    let anything = 0,
      nullIn = 0,
      harmful = 0,
      good = 0,
      episodes = 0;
    const started = Date.now();
    for (let i = 0; i < RUNS; i++) {
      const run = await oneRun(scenario, spread, FROM + i, template);
      if (run.promoted.length > 0) anything++;
      if (run.promoted.some((e) => e.delta === 0)) nullIn++;
      if (run.promoted.some((e) => e.delta < 0)) harmful++;
      if (run.promoted.some((e) => e.delta > 0)) good++;
      episodes += run.episodes;
    }
    console.log(
      `| ${SCENARIOS[scenario]!.label} | ${scenario === 'null' ? '-' : spread} | ${RUNS} | ${pct(anything / RUNS)} ${ci(anything, RUNS)} | ${pct(nullIn / RUNS)} ${ci(nullIn, RUNS)} | ${pct(harmful / RUNS)} ${ci(harmful, RUNS)} | ${pct(good / RUNS)} ${ci(good, RUNS)} | ${(episodes / RUNS).toFixed(0)} |`,
    );
    console.error(`  (${((Date.now() - started) / 1000 / RUNS).toFixed(2)} s per run)`);
    // Raw counts, to add up the rows of processes that ran disjoint --from ranges.
    console.error(
      `  counts ${scenario}/${spread} runs ${FROM}..${FROM + RUNS - 1}: anything ${anything}, null ${nullIn}, harmful ${harmful}, good ${good}, episodes ${episodes}`,
    );
  }
}
rmSync(template, { recursive: true, force: true });
