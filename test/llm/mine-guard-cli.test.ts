// `self-harness mine` builds its model through the one sealed factory: a held-out task id or held-out instruction
// line planted in a *train* trace is refused by the guard and never reaches the loopback model server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EpisodeRecord } from '../../src/domain/types.js';
import { runCli } from '../helpers/cli.js';
import { removeDir, tempDir, writeFiles } from '../helpers/git.js';
import { startModelServer, type ModelServer } from '../helpers/model-server.js';
import { generateEpisode, prng, recordFor, type Pattern } from '../mining/corpus.js';

const HELD_OUT_ID = 'sealed-task-zulu';
const HELD_OUT_LINE = 'Rebuild the quaternion interpolation table from the calibration log.';

let dir: string;
let server: ModelServer;

beforeAll(async () => {
  server = await startModelServer(() => ({
    content: JSON.stringify({
      terminal_cause: 'loop',
      criticality: 'root_cause',
      agent_mechanism: 'repeats_failing_action',
      harness_fixable: true,
      diagnosis: 'See [step 2].',
      same_as: [],
    }),
  }));
  dir = tempDir('sh-mine-guard-');
  const random = prng(3);
  const files: Record<string, string> = {
    'prompt.md': 'You are an agent.\n',
    [`tasks/${HELD_OUT_ID}/instruction.md`]: `${HELD_OUT_LINE}\n`,
    '.self-harness.yml': [
      'harness:',
      '  include: ["prompt.md"]',
      'suite:',
      '  tasks: "tasks/*"',
      '  run: "true"',
      `  holdout-tasks: [${HELD_OUT_ID}]`,
      '  holdout: 0',
      'model:',
      '  name: diagnosis-model',
      `  base-url: ${server.url}`,
      '  api-key-env: MINE_GUARD_TEST_KEY',
      'mining:',
      '  max-clusters: 4',
      '',
    ].join('\n'),
  };
  const records: EpisodeRecord[] = [];
  // The action-loop cluster's traces mention the held-out id and quote its instruction; the other cluster is clean.
  const tasks: [string, Pattern, string | undefined][] = [
    ['t-loop-1', 'action-loop', `copied the approach of ${HELD_OUT_ID}: ${HELD_OUT_LINE}`],
    ['t-loop-2', 'action-loop', `copied the approach of ${HELD_OUT_ID}: ${HELD_OUT_LINE}`],
    ['t-jq-1', 'command-not-found', undefined],
    ['t-jq-2', 'command-not-found', undefined],
  ];
  tasks.forEach(([task, pattern, marker], i) => {
    files[`tasks/${task}/instruction.md`] = `do ${task}\n`;
    const episode = generateEpisode(pattern, task, random, marker ? { marker } : {});
    for (const [rel, content] of Object.entries(episode.files)) files[`.self-harness/episodes/train-${i}/${rel}`] = content;
    records.push(recordFor(`train-${i}`, task, 0, 'train', episode));
  });
  writeFiles(dir, files);
  writeFileSync(path.join(dir, '.self-harness', 'episodes.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
});

afterAll(async () => {
  await server.close();
  removeDir(dir);
});

describe('self-harness mine behind the held-out guard', () => {
  it('refuses to send a diagnosis request whose train evidence names a held-out id or quotes its text, and still mines', async () => {
    const result = await runCli(['mine', '--config', path.join(dir, '.self-harness.yml')], { env: { MINE_GUARD_TEST_KEY: 'k' } });
    expect(result.exitCode, String(result.all)).toBe(0);
    // The clean cluster was diagnosed, so the model was reachable: the other one was held back, not lost in transit.
    expect(server.requests.length).toBeGreaterThanOrEqual(1);
    for (const request of server.requests) {
      expect(request.raw).not.toContain(HELD_OUT_ID);
      expect(request.raw.toLowerCase()).not.toContain('quaternion interpolation');
    }
    // The evidence did carry it (it is written locally, never sent): without the guard it would have gone out.
    const mined = readFileSync(path.join(dir, '.self-harness', 'weaknesses.json'), 'utf8');
    expect(mined).toContain(HELD_OUT_ID);
    expect(String(result.all)).toMatch(/refused to send a model request: .*held-out/);
  });
});
