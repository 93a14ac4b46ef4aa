// evolve mines the base harness's imported episodes (self-harness import, the action's artifacts) in round 1 instead
// of running the train split for mining, and never lets them judge: validation runs its own fresh episodes.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { evolve } from '../../src/flows/evolve.js';
import { importEvals } from '../../src/flows/import.js';
import type { EpisodeRequest, EpisodeResult, EpisodeRunner } from '../../src/domain/types.js';
import type { Candidate, Proposer } from '../../src/propose/types.js';
import type { Weakness } from '../../src/mining/types.js';
import { splitTasks } from '../../src/domain/split.js';
import { seededRandom } from '../../src/stats/rng.js';
import { makeRepo, removeDir, tempDir } from '../helpers/git.js';
import { repoRoot } from '../helpers/cli.js';
import { episodeSeed, simulatedVerdict } from '../helpers/simulation.js';

const TASKS = 20;
const ids = Array.from({ length: TASKS }, (_, i) => `t-${String(i).padStart(2, '0')}`);
const split = splitTasks(ids, { holdout: 0.3, seed: 'imp' });
const publishedTrial = path.join(repoRoot, 'test', 'fixtures', 'published', 'harbor', 'thinharness-dna-insert-fail', 'job', 'dna-insert__SHwX67r');

const scratch: string[] = [];
afterEach(() => scratch.splice(0).forEach(removeDir));

function suite(): string {
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
      '  seed: "imp"',
      'mining:',
      '  diagnose: false',
      'validate:',
      '  max-attempts: 4',
      '  holdout-attempts: 6',
      '',
    ].join('\n'),
  };
  for (const id of ids) files[`tasks/${id}/task.txt`] = `task ${id}\n`;
  const repo = makeRepo(files, 'sh-evolve-import-');
  scratch.push(repo);
  return repo;
}

/** A Harbor job of failed trials (the published dna-insert trial, its failing CTRF test kept) renamed to `tasks`. */
function harborJob(tasks: string[]): string {
  const job = tempDir('sh-import-job-');
  scratch.push(job);
  for (const task of tasks) {
    const trial = path.join(job, `${task}__trial`);
    cpSync(publishedTrial, trial, { recursive: true });
    const result = JSON.parse(readFileSync(path.join(trial, 'result.json'), 'utf8'));
    result.task_name = `local/${task}`;
    result.trial_name = `${task}__trial`;
    writeFileSync(path.join(trial, 'result.json'), JSON.stringify(result));
  }
  return job;
}

interface Call {
  task: string;
  harness: string;
  out: string;
}

/** Pass chance 0.3, 0.9 with the `good` note; records every episode it runs. */
function runner(calls: Call[]): EpisodeRunner {
  return {
    name: 'in-process',
    model: '',
    runCommand: 'in-process',
    async run(request: EpisodeRequest): Promise<EpisodeResult> {
      calls.push({ task: request.task.id, harness: request.harness.hash, out: request.outDir });
      let notes = '';
      try {
        notes = readFileSync(path.join(request.harness.root, 'harness', 'good.md'), 'utf8');
      } catch {
        /* the base harness has no note */
      }
      const passed = seededRandom(episodeSeed(request.outDir))() < (notes.includes('good') ? 0.9 : 0.3);
      return simulatedVerdict(request.outDir, passed, 'the output did not match');
    },
  };
}

function proposer(seen: { weaknesses: Weakness[]; runsBefore: number }[], calls: Call[]): Proposer {
  return {
    name: 'model',
    async propose(input) {
      seen.push({ weaknesses: input.weaknesses, runsBefore: calls.length });
      const candidate: Candidate = {
        id: 'c-good',
        weaknessId: input.weaknesses[0]?.id ?? 'w',
        mechanism: 'prompt_instruction',
        summary: 'good note',
        rationale: 'scripted',
        predictedFixes: [],
        proposer: 'model',
        edits: [{ kind: 'create', file: 'harness/good.md', content: 'kind: good\n' }],
      };
      return { candidates: seen.length === 1 ? [candidate] : [], declined: [], dropped: [], usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 } };
    },
  };
}

describe('evolve with imported episodes', () => {
  it('mines the imported episodes of the base harness in round 1 without a mining run, and judges only on fresh episodes', async () => {
    const repo = suite();
    const loaded = loadConfig(path.join(repo, '.self-harness.yml'));
    const stateDir = path.join(repo, '.self-harness');
    const importedTrain = split.train.slice(0, 4);
    const importedHeldOut = split.holdout.slice(0, 1);
    const report = await importEvals([harborJob([...importedTrain, ...importedHeldOut])], { loaded, stateDir });
    expect(report.added.map((e) => e.outcome)).toEqual(['fail', 'fail', 'fail', 'fail', 'fail']);
    const importedIds = new Map(report.added.map((e) => [e.id, e.taskId]));
    const heldOutImport = report.added.find((e) => importedHeldOut.includes(e.taskId))!.id;

    const calls: Call[] = [];
    const seen: { weaknesses: Weakness[]; runsBefore: number }[] = [];
    const result = await evolve({ loaded, stateDir, rounds: 1, budget: {}, runner: runner(calls), proposer: proposer(seen, calls) });

    // Round 1 mined the imports alone: nothing was run before the proposal, and the failing test is the weakness.
    expect(seen[0]!.runsBefore).toBe(0);
    const mined = seen[0]!.weaknesses.flatMap((w) => w.episodes);
    expect(new Set(mined)).toEqual(new Set([...importedIds.keys()].filter((id) => id !== heldOutImport)));
    expect(JSON.stringify(seen[0]!.weaknesses)).toContain('test_primers');
    // The held-out task's import never reached the proposer.
    expect(JSON.stringify(seen[0]!.weaknesses)).not.toContain(importedHeldOut[0]!);

    // Judging ran its own baseline episodes, on every imported train task too: no imported episode was a pair's side.
    expect(result.validation).toBeDefined();
    const base = calls[0]!.harness;
    for (const task of importedTrain)
      expect(
        calls.some((c) => c.task === task && c.harness === base),
        task,
      ).toBe(true);
    const ledger = readFileSync(path.join(stateDir, 'episodes.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const judged = ledger.filter((r) => !String(r.key.stream ?? '').startsWith('import:'));
    expect(judged.length).toBe(calls.length);
    expect(judged.every((r) => !importedIds.has(r.id))).toBe(true);
    expect(judged.every((r) => calls.some((c) => c.out.includes(r.id)))).toBe(true);
  });

  it('runs the train split for mining as before when nothing was imported', async () => {
    const repo = suite();
    const loaded = loadConfig(path.join(repo, '.self-harness.yml'));
    const calls: Call[] = [];
    const seen: { weaknesses: Weakness[]; runsBefore: number }[] = [];
    await evolve({ loaded, stateDir: path.join(repo, '.self-harness'), rounds: 1, budget: {}, runner: runner(calls), proposer: proposer(seen, calls) });
    expect(seen[0]!.runsBefore).toBe(split.train.length);
  });
});
