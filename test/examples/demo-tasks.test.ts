import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { readHarborTask } from '../../src/tasks/harbor-task.js';
import { createSandbox, removeSandbox, taskEnv, verify } from '../../src/tasks/sandbox.js';
import { runShell } from '../../src/tasks/shell.js';
import { TRAIT_REMEDIES } from '../../src/agent/remedies.js';

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

  it('every task: the solution passes its verifier and an empty attempt fails it', async () => {
    const failures: string[] = [];
    await Promise.all(taskIds.map(async (id) => {
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
        if (solvedResult.durationMs > 2000) failures.push(`${id}: the verifier took ${solvedResult.durationMs} ms`);
      } finally {
        removeSandbox(empty);
        removeSandbox(solved);
      }
    }));
    expect(failures).toEqual([]);
  });
});
