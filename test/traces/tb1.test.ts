import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { tempDir } from '../helpers/git.js';
import { readArtifactTree, readTraceFile } from '../../src/traces/read.js';
import { keystrokesArguments, tb1Outcome } from '../../src/traces/tb1.js';
import type { ParsedTrace, SkippedFile } from '../../src/traces/model.js';

const tb1 = path.resolve('test/fixtures/published/tb1');

async function walk(dir: string): Promise<Array<ParsedTrace | SkippedFile>> {
  const items: Array<ParsedTrace | SkippedFile> = [];
  for await (const item of readArtifactTree(dir)) items.push(item);
  return items;
}

describe('Terminal-Bench 1 runs', () => {
  it.each([
    [true, 'unset', 'pass'],
    [true, 'agent_timeout', 'pass'],
    [false, 'unset', 'fail'],
    [false, 'agent_timeout', 'timeout'],
    [null, 'agent_timeout', 'timeout'],
    [null, 'test_timeout', 'fail'],
    [null, 'parse_error', 'fail'],
    [null, 'context_length_exceeded', 'fail'],
    [null, 'agent_installation_failed', 'infra-error'],
    [null, 'unset', 'infra-error'],
  ] as const)('is_resolved %s with failure mode %s is %s', (resolved, mode, outcome) => {
    expect(tb1Outcome(resolved, mode)).toBe(outcome);
  });

  it('reads each of the 80 trials of the leaderboard run once, per-trial files taking precedence', async () => {
    const items = await walk(path.join(tb1, 'openhands-sonnet'));
    expect(items.filter((i) => 'reason' in i)).toEqual([]);
    const traces = items as ParsedTrace[];
    expect(traces).toHaveLength(80);
    expect(new Set(traces.map((t) => t.taskId)).size).toBe(80);
    expect(traces.filter((t) => t.outcome === 'pass')).toHaveLength(32);
    expect(traces.filter((t) => t.outcome === 'timeout')).toHaveLength(17);

    const nginx = traces.find((t) => t.taskId === 'nginx-request-logging')!;
    expect(nginx.file).toBe('nginx-request-logging/nginx-request-logging.1-of-1.openhands-sonnet/results.json');
    expect(nginx.outcome).toBe('fail');
    expect(nginx.tests).toHaveLength(8);
    expect(nginx.tests.filter((t) => t.status === 'failed').map((t) => t.name)).toEqual(['test_nginx_config_settings']);
    expect(nginx.instruction).toMatch(/^Set up an Nginx web server/);
    expect(nginx.steps.at(-1)).toMatchObject({ id: 'post-test', source: 'tool' });
    expect(nginx.steps[0].toolCalls[0]).toEqual({ name: 'keystrokes', arguments: '{"keystrokes":"asciinema rec --stdin /logs/sessions/agent.cast\\n"}' });
  });

  it('reads the resolved-despite-timeout, test-timeout and parse-error trials', async () => {
    const cartpole = (
      await readTraceFile(path.join(tb1, 'openhands-sonnet/cartpole-rl-training/cartpole-rl-training.1-of-1.openhands-sonnet/results.json'), tb1)
    ).traces[0];
    expect(cartpole).toMatchObject({ outcome: 'pass', reward: 1, error: { type: 'agent_timeout' } });
    const conda = (
      await readTraceFile(
        path.join(tb1, 'openhands-sonnet/conda-env-conflict-resolution/conda-env-conflict-resolution.1-of-1.openhands-sonnet/results.json'),
        tb1,
      )
    ).traces[0];
    expect(conda).toMatchObject({ outcome: 'fail', reward: 0, error: { type: 'test_timeout', infrastructure: false } });
    const cron = (await readTraceFile(path.join(tb1, 'openhands-sonnet/cron-broken-network/cron-broken-network.1-of-1.openhands-sonnet/results.json'), tb1))
      .traces[0];
    expect(cron).toMatchObject({ outcome: 'fail', error: { type: 'parse_error' } });
    expect(cron.tests).toEqual([]);
  });

  it('reads the custom-agent runs with their commands as steps', async () => {
    const items = await walk(tb1);
    const custom = items.filter((i): i is ParsedTrace => !('reason' in i) && i.file.startsWith('2025-09-14__15-58-05/'));
    expect(custom).toHaveLength(1);
    expect(custom[0]).toMatchObject({ taskId: 'analyze-access-logs', outcome: 'fail' });
    expect(custom[0].tests.map((t) => t.status)).toEqual(['failed', 'failed', 'failed']);
    expect(custom[0].steps.length).toBeGreaterThan(1);
  });

  it('does not report the agent-logs of a trial as unreadable traces', async () => {
    const dir = tempDir('sh-tb1-');
    const trialDir = path.join(dir, 'hello-world.1-of-1.run');
    cpSync(path.join(tb1, 'openhands-sonnet/hello-world/hello-world.1-of-1.openhands-sonnet'), trialDir, { recursive: true });
    mkdirSync(path.join(trialDir, 'agent-logs/episode-0'), { recursive: true });
    writeFileSync(path.join(trialDir, 'agent-logs/episode-0/debug.json'), JSON.stringify({ litellm: 'debug' }));
    const items = await walk(dir);
    expect(items).toEqual([expect.objectContaining({ format: 'tb1', taskId: 'hello-world', outcome: 'pass' })]);
  });

  it('turns a commands.txt line of tmux keys into keystrokes arguments', () => {
    expect(keystrokesArguments(`["source a.sh && echo 'OK'", 'Enter']`)).toBe(JSON.stringify({ keystrokes: "source a.sh && echo 'OK'\n" }));
    expect(keystrokesArguments(`['bash ', '/tests/run-tests.sh', 'Enter']`)).toBe(JSON.stringify({ keystrokes: 'bash /tests/run-tests.sh\n' }));
    expect(keystrokesArguments(`['C-d']`)).toBe(JSON.stringify({ keystrokes: '<C-d>' }));
    expect(keystrokesArguments('not a list')).toBe('not a list');
  });
});
