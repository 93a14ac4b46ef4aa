// `self-harness mine` end to end against a loopback model server that records every request: no held-out
// id, instruction or trace text and no planted secret ever leaves the process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EpisodeRecord } from '../../src/domain/types.js';
import { runCli } from '../helpers/cli.js';
import { removeDir, tempDir, writeFiles } from '../helpers/git.js';
import { startModelServer, type ModelServer } from '../helpers/model-server.js';
import { generateEpisode, prng, recordFor, type Pattern } from './corpus.js';

const HOLDOUT_MARKER = 'HOLDOUT-MARKER-c0ffee51';
const HOLDOUT_TASKS = ['sealed-task-alpha', 'sealed-task-bravo', 'sealed-task-charlie'];
const SECRETS = {
  openai: 'sk-proj-PlantedKey0123456789abcdefXYZ',
  github: 'ghp_PlantedToken0123456789abcdefghijKLMN',
  bearer: 'PlantedBearerValue.abc123.def456',
  service: 'plain-service-credential-4711-zq',
};
const secretText = `debug: OPENAI_API_KEY=${SECRETS.openai} gh ${SECRETS.github} curl -H "Authorization: Bearer ${SECRETS.bearer}" then login with ${SECRETS.service}`;

let dir: string;
let server: ModelServer;
const records: EpisodeRecord[] = [];

function config(): string {
  return [
    'harness:',
    '  include: ["prompt.md"]',
    'suite:',
    '  tasks: "tasks/*"',
    '  run: "true"',
    `  holdout-tasks: [${HOLDOUT_TASKS.join(', ')}]`,
    '  holdout: 0',
    'model:',
    '  name: diagnosis-model',
    `  base-url: ${server.url}`,
    '  api-key-env: MINING_TEST_KEY',
    'mining:',
    '  max-clusters: 4',
    '',
  ].join('\n');
}

beforeAll(async () => {
  server = await startModelServer((body) => {
    const user = String(body?.messages?.at(-1)?.content ?? '');
    const id = /Cluster (w-[0-9a-f]+)/.exec(user)?.[1] ?? 'w-x';
    return {
      content: JSON.stringify({
        terminal_cause: 'cause_of_' + id,
        criticality: 'root_cause',
        agent_mechanism: 'repeats_failing_action',
        harness_fixable: true,
        diagnosis: `See [step 2] of ${id}.`,
        same_as: [],
      }),
    };
  });
  dir = tempDir('sh-mining-cli-');
  const random = prng(9);
  const trainTasks: [string, Pattern][] = [
    ['t-loop-1', 'action-loop'],
    ['t-loop-2', 'action-loop'],
    ['t-loop-3', 'action-loop'],
    ['t-jq-1', 'command-not-found'],
    ['t-jq-2', 'command-not-found'],
    ['t-fc-1', 'false-completion'],
    ['t-fc-2', 'false-completion'],
    ['t-ok-1', 'pass'],
    ['t-ok-2', 'pass-with-friction'],
  ];
  const files: Record<string, string> = { 'prompt.md': 'You are an agent.\n' };
  for (const task of [...trainTasks.map(([t]) => t), ...HOLDOUT_TASKS]) files[`tasks/${task}/instruction.md`] = `do ${task}\n`;
  const add = (id: string, taskId: string, split: 'train' | 'holdout', pattern: Pattern, marker: string) => {
    const episode = generateEpisode(pattern, taskId, random, { marker });
    if (split === 'holdout' || taskId.startsWith('sealed')) {
      episode.error = { type: 'VerifierFailed', message: `tests failed after the agent reported completion: ${HOLDOUT_MARKER}` };
    }
    for (const [rel, content] of Object.entries(episode.files)) files[`.self-harness/episodes/${id}/${rel}`] = content;
    records.push(recordFor(id, taskId, 0, split, episode));
  };
  trainTasks.forEach(([task, pattern], i) => add(`train-episode-${i}`, task, 'train', pattern, secretText));
  // Held-out episodes of the same patterns, with markers in ids, instructions, outputs and errors.
  HOLDOUT_TASKS.forEach((task, i) => add(`HOLDOUTID-${i}-episode`, task, 'holdout', i === 0 ? 'action-loop' : 'command-not-found', HOLDOUT_MARKER));
  // A stale record that says train for a task now held out, and a held-out record of a train task.
  add('HOLDOUTID-stale-train-label', HOLDOUT_TASKS[1]!, 'train', 'command-not-found', HOLDOUT_MARKER);
  add('HOLDOUTID-holdout-of-train-task', 't-loop-1', 'holdout', 'action-loop', HOLDOUT_MARKER);
  files['.self-harness.yml'] = config();
  writeFiles(dir, files);
  writeFileSync(path.join(dir, '.self-harness', 'episodes.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
});

afterAll(async () => {
  await server.close();
  removeDir(dir);
});

describe('self-harness mine', () => {
  it('never sends held-out ids, instructions or trace text, nor planted secrets, to the model', async () => {
    const result = await runCli(['mine', '--config', path.join(dir, '.self-harness.yml')], {
      env: { MY_SERVICE_TOKEN: SECRETS.service, MINING_TEST_KEY: 'test-key-not-secret' },
    });
    expect(result.exitCode, String(result.all)).toBe(0);
    expect(server.requests.length).toBeGreaterThanOrEqual(3);
    const forbidden = [HOLDOUT_MARKER, 'HOLDOUTID', ...HOLDOUT_TASKS, ...Object.values(SECRETS)];
    for (const request of server.requests) {
      for (const text of forbidden) expect(request.raw, `request contains ${text}`).not.toContain(text);
    }
    // The secrets were in the evidence path: what was sent shows the redaction marks instead.
    const sent = server.requests.map((r) => r.raw).join('\n');
    expect(sent).toContain('[REDACTED:api-key]');
    expect(sent).toContain('[REDACTED:github-token]');
    expect(sent).toContain('[REDACTED:authorization]');
    expect(sent).toContain('[REDACTED:env]');
    expect(sent).toContain('untrusted data');

    const written =
      readFileSync(path.join(dir, '.self-harness', 'weaknesses.json'), 'utf8') +
      readFileSync(path.join(dir, '.self-harness', 'weaknesses.md'), 'utf8') +
      String(result.all);
    for (const text of forbidden) expect(written, `output contains ${text}`).not.toContain(text);

    const mined = JSON.parse(readFileSync(path.join(dir, '.self-harness', 'weaknesses.json'), 'utf8'));
    expect(mined.weaknesses.slice(0, 3).map((w: any) => [w.signature.failureClass, w.tasks])).toEqual([
      ['action-loop', ['t-loop-1', 't-loop-2', 't-loop-3']],
      // Same number of tasks, but a passing run also hit `jq: command not found`: ranked lower.
      ['false-completion', ['t-fc-1', 't-fc-2']],
      ['command-not-found', ['t-jq-1', 't-jq-2']],
    ]);
    expect(mined.weaknesses[2].alsoInPassing).toBe(1);
    expect(mined.weaknesses[0].labels.terminalCause).toBe(`cause_of_${mined.weaknesses[0].id}`);
    expect(mined.model).toBe('diagnosis-model');
    expect(mined.usage.inputTokens).toBeGreaterThan(0);
    expect(result.stdout).toContain('## Weaknesses mined from the train split');
    expect(result.stderr).toMatch(/mining usage: model diagnosis-model, \d+ prompt \+ \d+ completion tokens/);
  });

  it('runs deterministic-only with --no-model, says so, and writes --out', async () => {
    const before = server.requests.length;
    const out = path.join(dir, 'mined');
    const result = await runCli(['mine', '--no-model', '--json', '--out', out, '--config', path.join(dir, '.self-harness.yml')], {
      env: { MINING_TEST_KEY: 'k' },
    });
    expect(result.exitCode, String(result.all)).toBe(0);
    expect(server.requests.length).toBe(before);
    expect(result.stderr).toContain('mining without a model: --no-model');
    const printed = JSON.parse(String(result.stdout));
    expect(printed.weaknesses[0].signature.failureClass).toBe('action-loop');
    expect(printed.weaknesses[0].labels).toBeUndefined();
    expect(JSON.parse(readFileSync(path.join(out, 'weaknesses.json'), 'utf8'))).toEqual(printed);
    expect(readFileSync(path.join(out, 'weaknesses.md'), 'utf8')).toContain('Deterministic signatures only');
  });

  it('fails with a usage error when no train episodes are recorded', async () => {
    const empty = tempDir('sh-mining-empty-');
    writeFiles(empty, {
      'prompt.md': 'x',
      'tasks/a/i.md': 'a',
      'tasks/b/i.md': 'b',
      '.self-harness.yml': 'harness:\n  include: ["prompt.md"]\nsuite:\n  tasks: "tasks/*"\n  run: "true"\n',
    });
    const result = await runCli(['mine', '--config', path.join(empty, '.self-harness.yml')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/no train episodes recorded; run `self-harness run --split train` first/);
    removeDir(empty);
  });
});
