// The evolve loop's branches, driven through the real loop (git worktrees, ledger, mining, screening, confirmation)
// with a scripted proposer and an in-process agent whose pass chance comes from note files the edits write.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { evolve } from '../../src/flows/evolve.js';
import type { EpisodeRequest, EpisodeResult, EpisodeRunner } from '../../src/domain/types.js';
import type { Candidate, Proposer } from '../../src/propose/types.js';
import { seededRandom } from '../../src/stats/rng.js';
import { splitTasks } from '../../src/domain/split.js';
import { git, makeRepo, removeDir } from '../helpers/git.js';
import { episodeSeed, simulatedVerdict } from '../helpers/simulation.js';

const TASKS = 30;
let repo = '';
afterEach(() => {
  if (repo) removeDir(repo);
  repo = '';
});

function suite(extra: string[] = []): string {
  const files: Record<string, string> = {
    'harness/prompt.md': '# System prompt\n',
    '.self-harness.yml': [
      'harness:',
      '  include: ["harness/**"]',
      'suite:',
      '  tasks: "tasks/*"',
      '  run: "in-process"',
      '  concurrency: 4',
      '  attempts: 1',
      '  infra-retries: 0',
      '  holdout: 0.3',
      '  seed: "loop"',
      'mining:',
      '  diagnose: false',
      'validate:',
      '  max-attempts: 6',
      '  holdout-attempts: 12',
      ...extra,
      '',
    ].join('\n'),
  };
  for (let i = 0; i < TASKS; i++) files[`tasks/t-${String(i).padStart(2, '0')}/task.txt`] = `task ${i}\n`;
  return makeRepo(files, 'sh-evolve-loop-');
}

/**
 * Pass chance 0.3 on every task, moved by the notes in the harness: `good` +0.5 everywhere, `overfit` +0.5 on train
 * tasks only (it looks great on the split it was mined from and does nothing on the sealed one), `null` nothing.
 * `drift` makes the episode write into the harness it is judged on.
 */
function runner(holdoutIds: () => Set<string>): EpisodeRunner {
  return {
    name: 'in-process',
    model: '',
    runCommand: 'in-process',
    async run(request: EpisodeRequest): Promise<EpisodeResult> {
      const dir = path.join(request.harness.root, 'harness');
      const notes = readdirSync(dir)
        .map((f) => readFileSync(path.join(dir, f), 'utf8'))
        .join('\n');
      let p = 0.3;
      if (notes.includes('kind: good')) p += 0.5;
      if (notes.includes('kind: overfit') && !holdoutIds().has(request.task.id)) p += 0.5;
      if (notes.includes('-drift')) writeFileSync(path.join(dir, 'prompt.md'), '# rewritten by an episode\n');
      const passed = seededRandom(episodeSeed(request.outDir))() < p;
      return simulatedVerdict(request.outDir, passed, 'the output did not match');
    },
  };
}

function proposer(rounds: string[][]): Proposer & { calls: number } {
  const state = {
    name: 'model' as const,
    calls: 0,
    async propose(input: Parameters<Proposer['propose']>[0]) {
      const kinds = rounds[Math.min(state.calls, rounds.length - 1)] ?? [];
      state.calls += 1;
      const candidates: Candidate[] = kinds.map((kind) => ({
        id: `c-${kind}`,
        weaknessId: input.weaknesses[0]?.id ?? 'w',
        mechanism: 'prompt_instruction',
        summary: `${kind} note`,
        rationale: 'scripted',
        predictedFixes: [],
        proposer: 'model',
        edits: [{ kind: 'create', file: `harness/${kind}.md`, content: `kind: ${kind}\n` }],
      }));
      return { candidates, declined: [], dropped: [], usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 } };
    },
  };
  return state;
}

/** The held-out ids of this suite, read from one plain `run`-like pass: the split is a pure function of seed and id. */
async function holdoutOf(): Promise<Set<string>> {
  const ids = Array.from({ length: TASKS }, (_, i) => `t-${String(i).padStart(2, '0')}`);
  return new Set(splitTasks(ids, { holdout: 0.3, seed: 'loop' }).holdout);
}

describe('the evolve loop', () => {
  it('never lets an edit that only helps the split it was mined from ride along: the good edit alone is promoted', async () => {
    const held = await holdoutOf();
    repo = suite();
    const loaded = loadConfig(path.join(repo, '.self-harness.yml'));
    const result = await evolve({
      loaded,
      stateDir: path.join(repo, '.self-harness'),
      rounds: 2,
      budget: {},
      runner: runner(() => held),
      proposer: proposer([['overfit', 'null', 'good'], []]),
    });
    expect(result.decision).toBe('promote');
    const files = git(repo, 'ls-tree', '-r', '--name-only', 'self-harness/evolve', 'harness/').split('\n');
    expect(files).toContain('harness/good.md');
    expect(files).not.toContain('harness/overfit.md');
    expect(files).not.toContain('harness/null.md');
    // Every promotion was confirmed on its own and spent its share; the ledger never goes over alpha.
    expect(result.errorControl!.spent).toBeLessThanOrEqual(0.05 + 1e-12);
    expect(result.errorControl!.spends.every((s) => s.test.startsWith('held-out confirmation of '))).toBe(true);
  });

  it('vetoes, on the sealed split, an edit that only helps the train split, and says nothing of held-out numbers in the history', async () => {
    const held = await holdoutOf();
    repo = suite();
    const loaded = loadConfig(path.join(repo, '.self-harness.yml'));
    const result = await evolve({
      loaded,
      stateDir: path.join(repo, '.self-harness'),
      rounds: 1,
      budget: {},
      runner: runner(() => held),
      proposer: proposer([['overfit']]),
    });
    expect(result.decision).not.toBe('promote');
    expect(git(repo, 'branch', '--list', 'self-harness/evolve')).toBe('');
    const history = readFileSync(path.join(repo, '.self-harness', 'history.local.jsonl'), 'utf8');
    expect(history).toContain('not confirmed by the sealed held-out split');
    for (const id of held) expect(history).not.toMatch(new RegExp(`\\b${id}\\b`));
    expect(result.errorControl!.spends).toHaveLength(1);
  });

  it('does not commit an edit whose episodes changed the harness it was judged on', async () => {
    const held = await holdoutOf();
    repo = suite();
    const loaded = loadConfig(path.join(repo, '.self-harness.yml'));
    const result = await evolve({
      loaded,
      stateDir: path.join(repo, '.self-harness'),
      rounds: 1,
      budget: {},
      runner: runner(() => held),
      proposer: proposer([['good-drift']]),
    });
    void result;
    // `good-drift` holds both words: it helps, and its episodes rewrite prompt.md in the worktree they run in.
    expect(git(repo, 'branch', '--list', 'self-harness/evolve')).toBe('');
    const history = readFileSync(path.join(repo, '.self-harness', 'history.local.jsonl'), 'utf8');
    expect(history).not.toContain('"decision":"promote"');
    // The episodes that wrote into their harness are infrastructure errors that say so, never results of the clean hash.
    const ledger = readFileSync(path.join(repo, '.self-harness', 'episodes.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const touched = ledger.filter((e) => e.outcome === 'infra-error');
    expect(touched.length).toBeGreaterThan(0);
    expect(touched.some((e) => /the episode modified harness files: harness\/prompt.md/.test(e.error?.message ?? ''))).toBe(true);
  });

  it('skips an edit already rejected on the same parent in an earlier run, and retries an inconclusive one on new episodes', async () => {
    const held = await holdoutOf();
    repo = suite();
    const loaded = loadConfig(path.join(repo, '.self-harness.yml'));
    const stateDir = path.join(repo, '.self-harness');
    const file = path.join(stateDir, 'history.local.jsonl');
    const once = () => evolve({ loaded, stateDir, rounds: 1, budget: {}, runner: runner(() => held), proposer: proposer([['null']]) });
    const entries = () =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
    await once();
    const [first] = entries();
    expect(first.stream).toMatch(/^screen:[0-9a-f]{16}:0$/);

    writeFileSync(file, JSON.stringify({ ...first, decision: 'reject' }) + '\n');
    await once();
    expect(entries()).toHaveLength(1);

    writeFileSync(file, JSON.stringify({ ...first, decision: 'inconclusive' }) + '\n');
    const before = readFileSync(path.join(stateDir, 'episodes.jsonl'), 'utf8').trim().split('\n').length;
    const retried = await once();
    const after = entries();
    expect(after).toHaveLength(2);
    expect(after[1].stream).toBe(first.stream.replace(/:0$/, ':1'));
    // New episodes: the retry's screening ran on its own stream, nothing of the first screening was reused.
    expect(retried.spent.episodes).toBeGreaterThan(0);
    const ledger = readFileSync(path.join(stateDir, 'episodes.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(ledger.length).toBeGreaterThan(before);
    expect(ledger.slice(before).every((e) => e.key.stream === after[1].stream || e.key.stream?.startsWith('confirm:'))).toBe(true);
  });
});
