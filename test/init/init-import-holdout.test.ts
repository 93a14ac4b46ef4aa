// `init` then `import` then `mine` on an Inspect evals repo: the task ids init lists and the ones import records are
// one format, so the suite's sealed hold-out covers imported samples and mining never reads a held-out one.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo, removeDir } from '../helpers/git.js';
import { runCliIn } from '../agent/run-from-anywhere.js';

const scratch: string[] = [];
afterAll(() => scratch.forEach(removeDir));
const noModel = { OPENAI_API_KEY: '', OPENAI_BASE_URL: '', SELF_HARNESS_MODEL_BASE_URL: '' };

const TASK_PY = `from inspect_ai import Task, task
from inspect_ai.dataset import json_dataset
from inspect_ai.scorer import match
from inspect_ai.solver import generate

@task
def popularity():
    return Task(dataset=json_dataset("data.jsonl"), solver=[generate()], scorer=match())
`;

/** The instruction text of sample n: unique, so its appearance anywhere in mining output is detectable. */
const instruction = (n: number) => `Name the most popular colour of crayon number ${n} (marker-${n}-zq).`;

function inspectLog(task: string, ids: number[]): string {
  return JSON.stringify({
    version: 2,
    status: 'success',
    eval: { task, model: 'openai/gpt-4o-mini' },
    plan: { steps: [{ solver: 'generate' }] },
    samples: ids.map((n) => ({
      id: n,
      epoch: 1,
      input: instruction(n),
      target: 'blue',
      messages: [
        { role: 'user', content: instruction(n) },
        { role: 'assistant', content: 'I could not parse the tool output, giving up.' },
      ],
      output: { completion: 'I could not parse the tool output, giving up.' },
      scores: { match: { value: 'I', answer: 'giving up' } },
    })),
  });
}

describe('init, import and mine on an Inspect repo', () => {
  it('seals the held-out samples of the imported logs: mine never shows a held-out sample id or its instruction', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => i + 1);
    const root = makeRepo(
      { 'evals/popularity.py': TASK_PY, 'evals/data.jsonl': '{"input": "q", "target": "blue"}\n', 'prompts/system.md': 'Be brief.\n' },
      'sh-init-import-',
    );
    scratch.push(root);
    mkdirSync(path.join(root, 'logs'), { recursive: true });
    writeFileSync(path.join(root, 'logs', '2026-10-01T10-00-00_popularity_abc.json'), inspectLog('popularity', ids));

    const init = await runCliIn(root, ['init', '--json'], noModel);
    expect(init.exitCode, String(init.all)).toBe(0);
    const listed = readFileSync(path.join(root, 'self-harness-tasks.txt'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(listed).toEqual(ids.map((n) => `popularity:${n}`).sort());

    const imported = await runCliIn(root, ['import', 'logs', '--json'], noModel);
    expect(imported.exitCode, String(imported.all)).toBe(0);
    const records = readFileSync(path.join(root, '.self-harness', 'episodes.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { key: { taskId: string }; split: string });
    expect(records).toHaveLength(ids.length);
    const heldOut = records.filter((r) => r.split === 'holdout').map((r) => r.key.taskId);
    const train = records.filter((r) => r.split === 'train').map((r) => r.key.taskId);
    // holdout: 0.3 of 12 tasks: some of each, so the check below can fail.
    expect(heldOut.length).toBeGreaterThan(0);
    expect(train.length).toBeGreaterThan(0);

    const mined = await runCliIn(root, ['mine', '--harness', 'all', '--no-model', '--json'], noModel);
    expect(mined.exitCode, String(mined.all)).toBe(0);
    expect(mined.stderr).toMatch(new RegExp(`mining ${train.length} train episode\\(s\\)`));
    const shown = `${mined.stdout}\n${readFileSync(path.join(root, '.self-harness', 'weaknesses.md'), 'utf8')}`;
    for (const taskId of heldOut) {
      const n = Number(taskId.split(':')[1]);
      expect(shown).not.toContain(`marker-${n}-zq`);
      expect(shown).not.toMatch(new RegExp(`["\\s(]${taskId}["\\s),]`));
    }
  });
});
