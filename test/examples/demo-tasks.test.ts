import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { readHarborTask } from '../../src/agent/tasks/harbor-task.js';
import { createSandbox, removeSandbox, taskEnv, verify } from '../../src/agent/tasks/sandbox.js';
import { runShell } from '../../src/agent/tasks/shell.js';
import { TRAIT_REMEDIES, hasRemedy } from '../../src/agent/remedies.js';
import { harnessText, loadAgentHarness } from '../../src/agent/harness.js';
import { REFERENCE_HARNESS_FILES } from '../../src/init/reference-harness.js';
import { loadConfig } from '../../src/config/load.js';
import { readFileSync } from 'node:fs';

const tasksDir = path.join(repoRoot, 'examples', 'demo', 'tasks');
const taskIds = readdirSync(tasksDir).sort();

describe('the demo suite', () => {
  it('has at least 24 Harbor-layout tasks, each with known traits and a solution', () => {
    expect(taskIds.length).toBeGreaterThanOrEqual(24);
    const known = new Set(TRAIT_REMEDIES.map((r) => r.trait));
    const seen = new Set<string>();
    for (const id of taskIds) {
      const task = readHarborTask(path.join(tasksDir, id));
      expect(task.traits.length, id).toBeGreaterThan(0);
      for (const trait of task.traits) {
        expect(known.has(trait), `${id}: ${trait}`).toBe(true);
        seen.add(trait);
      }
      expect(task.solutionScript, id).toBeDefined();
    }
    expect([...seen].sort()).toEqual([...known].sort());
  });

  it('has a valid config and a starting harness that lacks every remedy and matches the one init writes', () => {
    const { config } = loadConfig(undefined, path.join(repoRoot, 'examples', 'demo'));
    expect(config.harness.include).toEqual(['harness/**']);
    expect(config.suite).toMatchObject({ tasks: 'tasks/*', attempts: 1, holdout: 0.3, concurrency: 4, 'timeout-seconds': 60 });
    const harness = loadAgentHarness(path.join(repoRoot, 'examples', 'demo', 'harness'));
    for (const remedy of TRAIT_REMEDIES) expect(hasRemedy(remedy.trait, harnessText(harness)), remedy.trait).toBe(false);
    // Same files as init's scaffold; only the command timeout is shorter, so that the demo's 30-40 s scripts outlast it.
    for (const [file, text] of Object.entries(REFERENCE_HARNESS_FILES)) {
      if (file === 'harness/limits.json') continue;
      expect(readFileSync(path.join(repoRoot, 'examples', 'demo', file), 'utf8'), file).toBe(text);
    }
    expect(harness.limits.command_timeout_seconds).toBe(15);
    expect(Object.keys(harness.files).sort()).toEqual(
      Object.keys(REFERENCE_HARNESS_FILES)
        .map((f) => f.replace(/^harness\//, ''))
        .sort(),
    );
  });

  it('every task: the solution passes its verifier and an empty attempt fails it', async () => {
    const failures: string[] = [];
    const queue = [...taskIds];
    const check = async (id: string) => {
      const task = readHarborTask(path.join(tasksDir, id));
      const empty = createSandbox(task);
      const solved = createSandbox(task);
      try {
        const emptyResult = await verify(task, empty);
        if (emptyResult.passed || emptyResult.reward !== 0) failures.push(`${id}: an empty attempt passed (${emptyResult.rewardSource})`);
        const solve = await runShell(`sh "${task.solutionScript}"`, { cwd: solved.workDir, env: taskEnv(task, solved), timeoutMs: 10_000 });
        if (solve.exitCode !== 0) failures.push(`${id}: solve.sh exited ${solve.exitCode}: ${solve.output}`);
        const solvedResult = await verify(task, solved);
        if (!solvedResult.passed || solvedResult.reward !== 1) failures.push(`${id}: the solution failed the verifier: ${solvedResult.output}`);
        // Generous: a verifier that waits on something would take far longer; a loaded machine should not fail this.
        if (solvedResult.durationMs > 10_000) failures.push(`${id}: the verifier took ${solvedResult.durationMs} ms`);
      } finally {
        removeSandbox(empty);
        removeSandbox(solved);
      }
    };
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let id = queue.shift(); id; id = queue.shift()) await check(id);
      }),
    );
    expect(failures).toEqual([]);
  });
});
