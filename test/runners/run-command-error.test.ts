// A run command that never ran the agent (not found, not executable, a usage error) is a config error with a
// one-line fix, recorded as an infrastructure error: never an agent failure, never mined as a weakness.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandRunner } from '../../src/runners/command.js';
import { makeRepo, removeDir, tempDir } from '../helpers/git.js';
import { runCliIn } from '../agent/run-from-anywhere.js';
import { harness, task } from './helpers.js';
import { PLACEHOLDER_RUN } from '../../src/init/plan.js';
import { INSPECT_RUNNER_SCRIPT } from '../../src/init/inspect-runner.js';

const scratch: string[] = [];
afterAll(() => scratch.forEach(removeDir));

const ARGPARSE_AGENT = `import argparse, json, os
parser = argparse.ArgumentParser(prog="agent.py")
parser.add_argument("--task", required=True)
args = parser.parse_args()
open(os.path.join(os.environ["SELF_HARNESS_OUT"], "result.json"), "w").write(json.dumps({"reward": 0}))
`;

/** Runs `command` once as an episode in a fresh directory holding `files`. */
async function runOnce(command: string, files: Record<string, string> = {}) {
  const root = tempDir('sh-run-cmd-');
  scratch.push(root);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(root, name), content);
  const runner = new CommandRunner({ command, killGraceMs: 300 });
  const result = await runner.run({ task: task('t1'), attempt: 0, harness: harness(root), outDir: path.join(root, '.out'), timeoutMs: 20_000 });
  return { result, root };
}

describe('run command errors', () => {
  it('a command that does not exist is a config error naming the missing program, on one line', async () => {
    const { result, root } = await runOnce('no-such-agent-cli --task "$SELF_HARNESS_TASK"');
    expect(result.outcome).toBe('infra-error');
    expect(result.exitCode).toBe(127);
    expect(result.error).toMatchObject({ type: 'command-not-started', infrastructure: true });
    expect(result.error!.message).toMatch(
      /^suite\.run "no-such-agent-cli --task "\$SELF_HARNESS_TASK"" could not start: "no-such-agent-cli" was not found \(exit 127, ".*not found"\); a config error, not the agent failing\. Fix: set suite\.run in \.self-harness\.yml to a command that exists/,
    );
    // The fix cites the config file and field, never the episode's cwd (a temporary copy, deleted after the run).
    expect(result.error!.message).toContain('Fix: set suite.run in .self-harness.yml to a command that exists where episodes run');
    expect(result.error!.message).not.toContain(root);
    expect(result.error!.message).not.toContain('\n');
  });

  it('a program missing inside the script suite.run runs (inspect in the Inspect wrapper) is to be installed, not suite.run to be changed', async () => {
    const { result, root } = await runOnce('python3 self-harness-inspect.py evals/task.py@quiz', {
      'self-harness-inspect.py': INSPECT_RUNNER_SCRIPT,
    });
    expect(result.exitCode).toBe(127);
    expect(result.error).toMatchObject({ type: 'command-not-started', infrastructure: true });
    expect(result.error!.message).toContain('"inspect" was not found');
    expect(result.error!.message).toContain('Fix: install "inspect" where episodes run');
    expect(result.error!.message).not.toContain('set suite.run');
    expect(result.error!.message).not.toContain(root);
  });

  it('a script that is not executable is a config error whose fix is chmod +x or its interpreter', async () => {
    const { result } = await runOnce('./run_agent.sh', { 'run_agent.sh': '#!/bin/sh\necho "{\\"reward\\": 1}" > "$SELF_HARNESS_OUT/result.json"\n' });
    expect(result.outcome).toBe('infra-error');
    expect(result.exitCode).toBe(126);
    expect(result.error!.message).toMatch(/could not start: "\.\/run_agent\.sh" is not executable \(exit 126, ".*Permission denied"\)/);
    expect(result.error!.message).toContain(
      'Fix: `chmod +x ./run_agent.sh` and commit it, or run it through its interpreter in suite.run in .self-harness.yml (e.g. "sh ./run_agent.sh"',
    );
  });

  it('a python argparse script called with a wrong flag is a usage error, not an agent failure', async () => {
    const { result } = await runOnce('python3 agent.py --tsak "$SELF_HARNESS_TASK"', { 'agent.py': ARGPARSE_AGENT });
    expect(result.outcome).toBe('infra-error');
    expect(result.exitCode).toBe(2);
    expect(result.error).toMatchObject({ type: 'command-usage-error', infrastructure: true });
    expect(result.error!.message).toMatch(
      /was rejected with a usage error \(exit 2, "agent\.py: error: the following arguments are required: --task"\); a config error/,
    );
    expect(result.error!.message).toContain(
      'Fix: correct the arguments in suite.run in .self-harness.yml to match the usage line. The usage line: "usage: agent.py [-h] --task TASK".',
    );
    // The same script called right is the agent's own result.
    const right = await runOnce('python3 agent.py --task "$SELF_HARNESS_TASK"', { 'agent.py': ARGPARSE_AGENT });
    expect(right.result).toMatchObject({ outcome: 'fail', reward: 0, exitCode: 0 });
  });

  it("init's placeholder suite.run is a usage error too, never an agent failure", async () => {
    const { result } = await runOnce(PLACEHOLDER_RUN);
    expect(result.error).toMatchObject({ type: 'command-usage-error', infrastructure: true });
    expect(result.error!.message).toContain('"usage: self-harness needs suite.run in .self-harness.yml');
  });

  it("keeps an agent's own exit 2 and exit 1 as agent failures", async () => {
    const two = await runOnce('echo "assertion failed: 2 != 3" >&2; exit 2');
    expect(two.result).toMatchObject({ outcome: 'fail', exitCode: 2, error: { type: 'exit-code' } });
    const one = await runOnce('echo "usage: this text alone does not make exit 1 a usage error" >&2; exit 1');
    expect(one.result).toMatchObject({ outcome: 'fail', exitCode: 1 });
  });

  it('`self-harness run` stops at the first config error: no retry, no further episode, the fix printed once, exit 2', async () => {
    const counter = path.join(tempDir('sh-run-cmd-count-'), 'calls');
    scratch.push(path.dirname(counter));
    const root = makeRepo(
      {
        '.self-harness.yml': `harness:\n  include: ["prompts/**"]\nsuite:\n  tasks-file: tasks.txt\n  run: echo x >> "${counter}"; python3 agent.py --tsak "$SELF_HARNESS_TASK"\n  infra-retries: 2\n  concurrency: 1\n  holdout: 0\n`,
        'tasks.txt': 'a\nb\nc\nd\n',
        'agent.py': ARGPARSE_AGENT,
        'prompts/system.md': 'You are an agent.\n',
      },
      'sh-run-cmd-cli-',
    );
    scratch.push(root);
    const env = { OPENAI_API_KEY: '', OPENAI_BASE_URL: '', SELF_HARNESS_MODEL_BASE_URL: '' };
    const run = await runCliIn(root, ['run'], env);
    expect(run.exitCode, String(run.all)).toBe(2);
    // One episode ran, once: a config error is neither retried nor followed by more episodes.
    expect(readFileSync(counter, 'utf8')).toBe('x\n');
    const all = String(run.all);
    expect(all.match(/Fix: /g)).toHaveLength(1);
    expect(all).toMatch(
      /^self-harness run: suite\.run .* was rejected with a usage error .* Fix: correct the arguments in suite\.run in \.self-harness\.yml to match the usage line\. .* The episode's stderr: .*\/stderr\.txt\. \(a#0; the run stopped/m,
    );
    const stderrFile = /The episode's stderr: (\S+)\. /.exec(all)![1]!;
    expect(readFileSync(stderrFile, 'utf8')).toMatch(/^usage: agent\.py/m);
    expect(all).not.toMatch(/\bretry\b/);
    const mine = await runCliIn(root, ['mine', '--json'], env);
    expect(mine.exitCode, String(mine.all)).toBe(0);
    const mined = JSON.parse(String(mine.stdout));
    expect(mined.weaknesses).toEqual([]);
    expect(mined.infraExcluded).toBe(1);
  });
});
