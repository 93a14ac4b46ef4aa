import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { EpisodeRecord } from '../../src/domain/types.js';
import { mineWeaknesses } from '../../src/mining/mine.js';
import { renderMiningMarkdown } from '../../src/mining/markdown.js';
import type { MiningResult } from '../../src/mining/types.js';
import { readEpisodeArtifacts } from '../../src/traces/read.js';
import { removeDir, tempDir, writeFiles } from '../helpers/git.js';
import { generateEpisode, prng, recordFor, type Pattern } from './corpus.js';

const ids = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix}-${String(from + i).padStart(2, '0')}`);
const timeoutTasks = ids('task', 0, 11);
const notFoundTasks = ids('task', 11, 20);
const falseCompletionTasks = ids('task', 20, 27);
const noiseTasks = ids('task', 27, 30);
const passingOnly = ids('task', 30, 36);

let dir: string;
let records: EpisodeRecord[];
let result: MiningResult;

beforeAll(async () => {
  dir = tempDir('sh-mining-planted-');
  const random = prng(42);
  records = [];
  const add = (pattern: Pattern, taskId: string, attempt: number, split: 'train' | 'holdout' = 'train', options: { infra?: boolean } = {}) => {
    const episode = generateEpisode(pattern, taskId, random);
    const id = `${taskId}-a${attempt}-${split}`;
    writeFiles(path.join(dir, 'episodes', id), episode.files);
    const record = recordFor(id, taskId, attempt, split, episode);
    records.push(
      options.infra ? { ...record, outcome: 'infra-error', error: { type: 'DockerError', message: 'daemon unavailable', infrastructure: true } } : record,
    );
  };
  // Three known causes; each task fails twice, some also pass on a third attempt.
  const causes: [Pattern, string[]][] = [
    ['timeout', timeoutTasks],
    ['command-not-found', notFoundTasks],
    ['false-completion', falseCompletionTasks],
  ];
  for (const [pattern, tasks] of causes) {
    tasks.forEach((task, i) => {
      add(pattern, task, 0);
      add(pattern, task, 1);
      if (i % 3 === 0) add('pass', task, 2);
    });
  }
  // Noise: unique random errors, three episodes each.
  for (const task of noiseTasks) for (let a = 0; a < 3; a++) add('noise', task, a);
  // Passing tasks, some recovering from a missing jq along the way.
  passingOnly.forEach((task, i) => add(i % 2 ? 'pass-with-friction' : 'pass', task, 0));
  // Infrastructure noise and held-out episodes acting out the same patterns must not count.
  add('timeout', 'task-00', 3, 'train', { infra: true });
  add('noise', 'task-30', 1, 'train', { infra: true });
  for (const task of ids('held', 0, 8)) add('command-not-found', task, 0, 'holdout');

  result = await mineWeaknesses({
    episodes: records,
    readArtifacts: (record) => readEpisodeArtifacts(path.join(dir, record.artifacts)),
    maxClusters: 5,
    evidenceTokens: 6000,
    secrets: [],
  });
});

afterAll(() => removeDir(dir));

describe('planted failure patterns', () => {
  it('come out as the three top clusters, ranked by distinct tasks, with exactly the right tasks', () => {
    const top = result.weaknesses.slice(0, 3);
    expect(top.map((w) => [w.rank, w.signature.failureClass, w.tasks])).toEqual([
      [1, 'timeout', timeoutTasks],
      [2, 'command-not-found', notFoundTasks],
      [3, 'false-completion', falseCompletionTasks],
    ]);
    expect(top.map((w) => w.episodes.length)).toEqual([22, 18, 14]);
    expect(top[1]!.signature.fingerprint).toBe('command not found');
  });

  it('leaves noise as small clusters below them', () => {
    const rest = result.weaknesses.slice(3);
    expect(rest.length).toBeGreaterThanOrEqual(noiseTasks.length);
    for (const w of rest) {
      expect(w.tasks.length).toBe(1);
      expect(noiseTasks).toContain(w.tasks[0]);
    }
  });

  it('counts the pattern in passing runs, keeps passing tasks as regression tests, and excludes infra errors', () => {
    expect(result.weaknesses[1]!.alsoInPassing).toBe(3);
    expect(result.weaknesses[0]!.alsoInPassing).toBe(0);
    const recovered = [timeoutTasks, notFoundTasks, falseCompletionTasks].flatMap((tasks) => tasks.filter((_, i) => i % 3 === 0));
    expect(result.passingTasks).toEqual([...recovered, ...passingOnly].sort());
    expect(result.infraExcluded).toBe(2);
    expect(result.nonTrainDropped).toBe(8);
    expect(result.failuresRead).toBe(22 + 18 + 14 + 9);
  });

  it('never lets a held-out task into a cluster', () => {
    const json = JSON.stringify(result);
    expect(json).not.toMatch(/held-0/);
  });

  it('gives the top clusters evidence from distinct tasks, with the decisive step', () => {
    for (const w of result.weaknesses.slice(0, 3)) {
      expect(w.evidence.length).toBe(3);
      expect(new Set(w.evidence.map((e) => e.taskId)).size).toBe(3);
      for (const e of w.evidence) expect(w.tasks).toContain(e.taskId);
    }
    const jqExcerpt = result.weaknesses[1]!.evidence[0]!.excerpt;
    expect(jqExcerpt).toMatch(/signature: command-not-found · command not found: jq/);
    expect(jqExcerpt).toMatch(/call bash: {"command":"jq -r/);
    expect(result.weaknesses[2]!.evidence[0]!.excerpt).toMatch(/call finish/);
  });

  it('renders a markdown summary with the ranked table', () => {
    const md = renderMiningMarkdown(result);
    expect(md).toContain('| 1 | ' + result.weaknesses[0]!.id + ' | timeout | 11 | 22 | 0 |');
    expect(md).toContain('### 2. command-not-found');
    expect(md).toContain('Deterministic signatures only');
  });
});
