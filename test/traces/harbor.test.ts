import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { harborExceptionOutcome, trialOutcome } from '../../src/traces/harbor.js';
import { readArtifactTree, readEpisodeArtifacts, readTraceFile } from '../../src/traces/read.js';
import type { ParsedTrace, SkippedFile } from '../../src/traces/model.js';
import { tempDir } from '../helpers/git.js';

const harbor = path.resolve('test/fixtures/published/harbor');

async function trial(name: string): Promise<ParsedTrace> {
  const items: Array<ParsedTrace | SkippedFile> = [];
  for await (const item of readArtifactTree(path.join(harbor, name))) items.push(item);
  const traces = items.filter((i): i is ParsedTrace => !('reason' in i));
  expect(items.filter((i) => 'reason' in i)).toEqual([]);
  expect(traces).toHaveLength(1);
  return traces[0];
}

describe('harborExceptionOutcome', () => {
  it.each([
    ['AgentTimeoutError', 'timeout'],
    ['harbor.trial.errors.AgentTimeoutError', 'timeout'],
    ['VerifierTimeoutError', 'fail'],
    ['RewardFileNotFoundError', 'fail'],
    ['RewardFileEmptyError', 'fail'],
    ['VerifierOutputParseError', 'fail'],
    ['NonZeroAgentExitCodeError', 'fail'],
    ['ContextLengthExceededError', 'fail'],
    ['RuntimeError', 'infra-error'],
    ['DockerError', 'infra-error'],
    ['EnvironmentStartTimeoutError', 'infra-error'],
    ['AgentSetupTimeoutError', 'infra-error'],
    ['CancelledError', 'infra-error'],
    ['', 'infra-error'],
  ] as const)('maps %s to %s', (type, expected) => {
    expect(harborExceptionOutcome(type)).toBe(expected);
  });

  it('lets a passing reward win over an agent timeout (Harbor still runs the verifier)', () => {
    expect(trialOutcome(1, 'AgentTimeoutError')).toBe('pass');
    expect(trialOutcome(0, 'AgentTimeoutError')).toBe('timeout');
    expect(trialOutcome(0.5, undefined)).toBe('fail');
    expect(trialOutcome(undefined, undefined)).toBe('infra-error');
  });
});

describe('Harbor trial directories', () => {
  it('reads the agent-timeout trial as a timeout with reward 0', async () => {
    const trace = await trial('thinharness-tune-mjcf-agent-timeout');
    expect(trace).toMatchObject({
      format: 'harbor',
      file: 'job/tune-mjcf__HRaojqz/result.json',
      taskId: 'tune-mjcf',
      outcome: 'timeout',
      reward: 0,
      error: { type: 'AgentTimeoutError', message: 'Agent execution timed out after 900.0 seconds', infrastructure: false },
    });
  });

  it('reads the runtime-error trial as infra-error with no reward', async () => {
    const trace = await trial('pi-configure-git-webserver-runtime-error');
    expect(trace.outcome).toBe('infra-error');
    expect(trace.reward).toBeUndefined();
    expect(trace.taskId).toBe('configure-git-webserver');
    expect(trace.error).toMatchObject({ type: 'RuntimeError', infrastructure: true });
    expect(trace.error!.message).toContain('Unknown option: --');
  });

  it('reads the failing trial with its CTRF tests and token usage', async () => {
    const trace = await trial('thinharness-dna-insert-fail');
    expect(trace).toMatchObject({ outcome: 'fail', reward: 0, taskId: 'dna-insert', usage: { inputTokens: 123149, outputTokens: 5161 } });
    expect(trace.error).toBeUndefined();
    expect(trace.tests).toEqual([
      expect.objectContaining({ name: 'test_outputs.py::test_primers', status: 'failed', message: expect.stringContaining('def test_primers') }),
    ]);
  });

  it('reads the passing trial with all its tests passed', async () => {
    const trace = await trial('thinharness-openssl-selfsigned-cert-pass');
    expect(trace).toMatchObject({ outcome: 'pass', reward: 1, taskId: 'openssl-selfsigned-cert' });
    expect(trace.tests.length).toBe(6);
    expect(trace.tests.every((t) => t.status === 'passed')).toBe(true);
    // pytest-json-ctrf durations are seconds; the model says milliseconds.
    expect(trace.tests.every((t) => (t.durationMs ?? 0) < 60_000)).toBe(true);
  });

  it('explains a job-level result.json when it is read on its own', async () => {
    const result = await readTraceFile(path.join(harbor, 'thinharness-dna-insert-fail/job/result.json'), harbor);
    expect(result.traces).toEqual([]);
    expect(result.skipped[0].reason).toMatch(/Harbor job summary \(1 trials\)/);
  });

  it('folds agent/trajectory.json and verifier reward files into the trial and does not read them twice', async () => {
    const dir = tempDir('sh-harbor-');
    const trialDir = path.join(dir, 'hello-world__abc1234');
    mkdirSync(path.join(trialDir, 'agent'), { recursive: true });
    mkdirSync(path.join(trialDir, 'verifier'), { recursive: true });
    writeFileSync(
      path.join(trialDir, 'result.json'),
      JSON.stringify({
        trial_name: 'hello-world__abc1234',
        task_name: 'hello-world',
        verifier_result: null,
        exception_info: null,
        agent_info: { name: 'terminus-2' },
      }),
    );
    copyFileSync(
      path.resolve('test/fixtures/published/atif/terminus_2/hello-world-invalid-json.trajectory.json'),
      path.join(trialDir, 'agent/trajectory.json'),
    );
    writeFileSync(path.join(trialDir, 'agent/mini-swe-agent.trajectory.json'), JSON.stringify({ messages: [{ role: 'user', content: 'dup' }] }));
    writeFileSync(path.join(trialDir, 'verifier/reward.txt'), '0\n');
    writeFileSync(path.join(trialDir, 'verifier/reward.json'), JSON.stringify({ reward: 1 }));
    writeFileSync(path.join(trialDir, 'config.json'), '{}');

    const result = await readEpisodeArtifacts(dir);
    expect(result.skipped).toEqual([]);
    expect(result.traces).toHaveLength(1);
    const [trace] = result.traces;
    expect(trace).toMatchObject({ format: 'harbor', taskId: 'hello-world', reward: 1, outcome: 'pass', file: 'hello-world__abc1234/result.json' });
    expect(trace.steps).toHaveLength(5);
    expect(trace.usage).toMatchObject({ inputTokens: 2417, outputTokens: 200 });
  });

  it('reads reward.txt when there is no reward.json and says when it is not a number', async () => {
    const dir = tempDir('sh-harbor-');
    writeFileSync(path.join(dir, 'result.json'), JSON.stringify({ trial_name: 't__1', verifier_result: null, exception_info: null }));
    mkdirSync(path.join(dir, 'verifier'));
    writeFileSync(path.join(dir, 'verifier/reward.txt'), '0.25\n');
    let trace = (await readEpisodeArtifacts(dir)).traces[0];
    expect(trace).toMatchObject({ reward: 0.25, outcome: 'fail', taskId: 't' });
    writeFileSync(path.join(dir, 'verifier/reward.txt'), 'oops');
    trace = (await readEpisodeArtifacts(dir)).traces[0];
    expect(trace.outcome).toBe('infra-error');
    expect(trace.skipped.join('\n')).toMatch(/reward.txt: not a number/);
  });

  it('falls back to an agent chat log for steps and to the verifier output when there is no trajectory or CTRF', async () => {
    const dir = tempDir('sh-harbor-');
    mkdirSync(path.join(dir, 'agent/sub'), { recursive: true });
    mkdirSync(path.join(dir, 'verifier'));
    writeFileSync(
      path.join(dir, 'result.json'),
      JSON.stringify({
        trial_name: 'fix__1',
        verifier_result: { rewards: { reward: 0 } },
        exception_info: { exception_type: 'NonZeroAgentExitCodeError', exception_message: 'exit 1' },
      }),
    );
    copyFileSync(
      path.resolve('test/fixtures/published/atif/rfc-0001-native-examples/mini-swe-agent-trajectory.json'),
      path.join(dir, 'agent/mini-swe-agent.trajectory.json'),
    );
    writeFileSync(path.join(dir, 'agent/sub/debug.json'), JSON.stringify({ whatever: true }));
    writeFileSync(path.join(dir, 'verifier/test-stdout.txt'), 'collected 3 items\nFAILED test_x - assert 1 == 2\n');
    const result = await readEpisodeArtifacts(dir);
    expect(result.skipped).toEqual([]);
    expect(result.traces).toHaveLength(1);
    const [trace] = result.traces;
    expect(trace).toMatchObject({ outcome: 'fail', reward: 0, error: { type: 'NonZeroAgentExitCodeError', infrastructure: false } });
    expect(trace.steps).toHaveLength(9);
    expect(trace.skipped).toContain('steps read from agent/mini-swe-agent.trajectory.json (there is no agent/trajectory.json)');
    expect(trace.steps.at(-1)).toMatchObject({ id: 'verifier', source: 'tool', observations: [{ content: expect.stringContaining('FAILED test_x') }] });
  });
});
