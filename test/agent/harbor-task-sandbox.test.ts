import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir, writeFiles } from '../helpers/git.js';
import { pollUntil, processGone } from '../helpers/poll.js';
import { readHarborTask } from '../../src/agent/tasks/harbor-task.js';
import { createSandbox, removeSandbox, verify } from '../../src/agent/tasks/sandbox.js';
import { UserError } from '../../src/domain/types.js';

const scratch = tempDir('sh-task-');
afterAll(() => removeDir(scratch));

function task(name: string, files: Record<string, string>) {
  const dir = path.join(scratch, name);
  writeFiles(dir, { 'instruction.md': `Do ${name}.\n`, 'tests/test.sh': 'exit 0\n', ...files });
  return readHarborTask(dir);
}

describe('Harbor task reading', () => {
  it('reads the instruction, [metadata] traits and the agent and verifier timeouts from task.toml', () => {
    const t = task('timeouts', {
      'task.toml':
        'version = "1.0"\n[metadata]\ntraits = ["Long-Running", "verify"]\ndifficulty = "hard"\n[agent]\ntimeout_sec = 120.0\n[verifier]\ntimeout_sec = 7\n',
    });
    expect(t).toMatchObject({ id: 'timeouts', instruction: 'Do timeouts.\n', traits: ['long-running', 'verify'], agentTimeoutSec: 120, verifierTimeoutSec: 7 });
    expect(t.metadata.difficulty).toBe('hard');
  });

  it('names the file and line of broken TOML and the field of a bad value', () => {
    expect(() => task('bad-toml', { 'task.toml': '[agent]\ntimeout_sec = = 3\n' })).toThrow(/task\.toml:2: not valid TOML/);
    expect(() => task('bad-traits', { 'task.toml': '[metadata]\ntraits = "verify"\n' })).toThrow(/metadata\.traits: expected a list of strings/);
    expect(() => task('bad-timeout', { 'task.toml': '[verifier]\ntimeout_sec = -1\n' })).toThrow(UserError);
  });
});

describe('the sandbox and the verifier', () => {
  it('copies environment/ in but keeps tests/ out until verification', async () => {
    const t = task('env', {
      'environment/data/input.txt': 'x\n',
      'environment/Dockerfile': 'FROM scratch\n',
      'tests/test.sh': '[ -f "$TESTS_DIR/helper.txt" ] && [ "$(pwd)" = "$SANDBOX" ]\n',
      'tests/helper.txt': 'h\n',
    });
    const sandbox = createSandbox(t);
    try {
      expect(readFileSync(path.join(sandbox.workDir, 'data/input.txt'), 'utf8')).toBe('x\n');
      expect(existsSync(path.join(sandbox.workDir, 'Dockerfile'))).toBe(false);
      expect(existsSync(sandbox.testsDir)).toBe(false);
      const result = await verify(t, sandbox);
      expect(result).toMatchObject({ passed: true, reward: 1, rewardSource: 'exit-code' });
      expect(sandbox.logsDir.startsWith(sandbox.workDir)).toBe(false);
    } finally {
      removeSandbox(sandbox);
    }
  });

  it('takes the reward from reward.json first, then reward.txt, then the exit code', async () => {
    const both = task('both', { 'tests/test.sh': 'echo 0.25 > "$LOGS_DIR/reward.txt"; echo \'{"reward": 0.75}\' > "$LOGS_DIR/reward.json"; exit 1\n' });
    const text = task('text', { 'tests/test.sh': 'echo 1 > "$LOGS_DIR/reward.txt"; exit 3\n' });
    const exit = task('exit', { 'tests/test.sh': 'echo "FAIL: nope"; exit 2\n' });
    const results = await Promise.all(
      [both, text, exit].map(async (t) => {
        const sandbox = createSandbox(t);
        try {
          return await verify(t, sandbox);
        } finally {
          removeSandbox(sandbox);
        }
      }),
    );
    expect(results.map((r) => [r.reward, r.rewardSource, r.passed])).toEqual([
      [0.75, 'reward.json', false],
      [1, 'reward.txt', true],
      [0, 'exit-code', false],
    ]);
    expect(results[2]!.output).toContain('FAIL: nope');
  });

  it('kills a verifier that runs past its timeout and scores it 0', async () => {
    // The verifier sleeps 600 s, far past the test's own timeout: had it not been killed, verify would never return
    // in time (no clock needed). Its pid is kept to check the process is gone afterwards.
    const t = task('slow', {
      'task.toml': '[verifier]\ntimeout_sec = 0.5\n',
      'tests/test.sh': 'echo 1 > "$LOGS_DIR/reward.txt"; sleep 600 & echo $! > "$LOGS_DIR/sleeper.pid"; wait\n',
    });
    const sandbox = createSandbox(t);
    try {
      const result = await verify(t, sandbox);
      expect(result).toMatchObject({ timedOut: true, reward: 0, passed: false, rewardSource: 'timeout' });
      const pidFile = path.join(sandbox.logsDir, 'sleeper.pid');
      if (existsSync(pidFile)) expect(await pollUntil(() => processGone(Number(readFileSync(pidFile, 'utf8'))))).toBe(true);
    } finally {
      removeSandbox(sandbox);
    }
  });

  it('does not let a previous reward file decide a later verification', async () => {
    const t = task('stale', { 'tests/test.sh': '[ -f done ] && echo 1 > "$LOGS_DIR/reward.txt"; exit 0\n' });
    const sandbox = createSandbox(t);
    try {
      writeFileSync(path.join(sandbox.logsDir, 'verifier', 'reward.txt'), '1\n');
      const result = await verify(t, sandbox);
      expect(result.rewardSource).toBe('exit-code');
    } finally {
      removeSandbox(sandbox);
    }
  });
});
