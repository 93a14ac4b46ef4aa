import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tempDir } from '../helpers/git.js';
import { readArtifactTree, readTraceFile } from '../../src/traces/read.js';
import { harnessCommand, keystrokesArguments, launchFailure, tb1Outcome } from '../../src/traces/tb1.js';
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
    expect(nginx.steps.at(-1)).toMatchObject({ id: 'post-test', source: 'system' });
    // An installed agent: everything in commands.txt is the harness's (setup, install, the agent's launch), no agent action.
    expect(nginx.steps.map((s) => [s.source, s.message?.split(':')[0]])).toEqual([
      ['system', 'harness (setup)'],
      ['system', 'harness (installed-agent)'],
      ['system', 'harness (agent launch)'],
      ['system', 'terminal after the tests ran (panes/post-test.txt)'],
    ]);
    expect(nginx.steps[2].message).toMatch(/^harness \(agent launch\): openhands --max-budget-per-task 10 --max-iterations 100 --task 'Set up an Nginx/);
    expect(nginx.steps.flatMap((s) => s.toolCalls)).toEqual([]);
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
    // TB1's parse_error: the harness could not parse the test output; not the agent's parse error.
    expect(cron).toMatchObject({ outcome: 'fail', error: { type: 'test_output_unparsed', infrastructure: false } });
    expect(cron.error!.message).toMatch(/^Terminal-Bench could not parse the test output \(failure mode parse_error\)/);
    expect(cron.tests).toEqual([]);
  });

  it('reads the custom-agent runs, whose commands.txt holds only the harness recording and test run', async () => {
    const items = await walk(tb1);
    const custom = items.filter((i): i is ParsedTrace => !('reason' in i) && i.file.startsWith('2025-09-14__15-58-05/'));
    expect(custom).toHaveLength(1);
    expect(custom[0]).toMatchObject({ taskId: 'analyze-access-logs', outcome: 'fail' });
    expect(custom[0].tests.map((t) => t.status)).toEqual(['failed', 'failed', 'failed']);
    // asciinema rec, clear, bash /tests/run-tests.sh and C-d are the harness's keystrokes, not agent actions.
    expect(custom[0].steps.map((s) => [s.id, s.source])).toEqual([['post-test', 'system']]);
  });

  it('does not report the agent-logs of a trial as unreadable traces', async () => {
    const dir = tempDir('sh-tb1-');
    const trialDir = path.join(dir, 'hello-world.1-of-1.run');
    cpSync(path.join(tb1, 'openhands-sonnet/hello-world/hello-world.1-of-1.openhands-sonnet'), trialDir, { recursive: true });
    mkdirSync(path.join(trialDir, 'agent-logs/episode-0'), { recursive: true });
    writeFileSync(path.join(trialDir, 'agent-logs/episode-0/debug.json'), JSON.stringify({ litellm: 'debug' }));
    const items = await walk(dir);
    expect(items).toEqual([expect.objectContaining({ format: 'tb1', taskId: 'hello-world', outcome: 'pass' })]);
    // Not silently: the trace says what it left unread.
    expect((items[0] as ParsedTrace).skipped).toEqual(["agent-logs/: 1 JSON file(s) of the agent's own logs (e.g. episode-N/debug.json) not read"]);
  });

  it('turns a commands.txt line of tmux keys into keystrokes arguments', () => {
    expect(keystrokesArguments(`["source a.sh && echo 'OK'", 'Enter']`)).toBe(JSON.stringify({ keystrokes: "source a.sh && echo 'OK'\n" }));
    expect(keystrokesArguments(`['bash ', '/tests/run-tests.sh', 'Enter']`)).toBe(JSON.stringify({ keystrokes: 'bash /tests/run-tests.sh\n' }));
    expect(keystrokesArguments(`['C-d']`)).toBe(JSON.stringify({ keystrokes: '<C-d>' }));
    expect(keystrokesArguments('not a list')).toBe('not a list');
  });

  it("reads an installed agent's sessions/agent.log, and a launch that failed is an infrastructure error", async () => {
    const dir = path.join(tb1, 'swe-agent-mini/fix-permissions/fix-permissions.1-of-1.2025-08-07__20-46-16');
    const { traces, skipped } = await readTraceFile(path.join(dir, 'results.json'), tb1);
    expect(skipped).toEqual([]);
    const [trace] = traces;
    expect(trace).toMatchObject({ taskId: 'fix-permissions', outcome: 'infra-error', tests: [{ name: 'test_script_permissions', status: 'failed' }] });
    expect(trace.reward).toBeUndefined();
    expect(trace.error).toEqual({
      type: 'agent_not_started',
      message: 'the installed agent never ran: its launch command failed (bash: mini: command not found) in sessions/agent.log',
      infrastructure: true,
    });
    expect(trace.steps.map((s) => [s.id, s.source])).toEqual([['agent-log', 'system']]);
    expect(trace.steps[0].observations[0].content).toContain('error: externally-managed-environment');
  });

  it('reads only the end of a large agent.log', async () => {
    const dir = tempDir('sh-tb1-log-');
    const trialDir = path.join(dir, 'fix-permissions.1-of-1.run');
    cpSync(path.join(tb1, 'swe-agent-mini/fix-permissions/fix-permissions.1-of-1.2025-08-07__20-46-16'), trialDir, { recursive: true });
    const log = path.join(trialDir, 'sessions/agent.log');
    // 12 MB of install noise before the published end: over the 8 MB a side file may have, read from its end.
    writeFileSync(log, `${'Setting up libfoo (1.0) ...\r\n'.repeat(450_000)}${readFileSync(log, 'utf8')}`);
    const [trace] = (await readTraceFile(path.join(trialDir, 'results.json'), dir)).traces;
    expect(trace.skipped).toEqual([]);
    expect(trace.steps[0].message).toBe("the installed agent's terminal (sessions/agent.log, last part)");
    expect(trace.error).toMatchObject({ type: 'agent_not_started', infrastructure: true });
  });

  it('tells the harness keystrokes from the agent ones', () => {
    // A Terminus-style sequence: the agent types between the recording's start and the test run.
    const typed = [
      'asciinema rec --stdin /logs/agent.cast\n',
      'clear\n',
      'ls -la\n',
      'cat hello.txt\n',
      'asciinema rec --stdin /logs/tests.cast\n',
      'clear\n',
      'bash /tests/run-tests.sh\n',
      '<C-d>',
    ];
    let tests = false;
    const kinds = typed.map((t) => {
      const kind = harnessCommand(t, false, tests);
      if (kind === 'tests') tests = true;
      return kind ?? 'agent';
    });
    expect(kinds).toEqual(['recording', 'recording', 'agent', 'agent', 'tests', 'tests', 'tests', 'tests']);
    expect(harnessCommand("openhands --task 'x'\n", true, false)).toBe('agent launch');
    expect(harnessCommand("openhands --task 'x'\n", false, false)).toBeUndefined();
  });

  it('finds the shell complaint of a launch command in a terminal log, and nothing when the agent ran', () => {
    const installed = "root@a:/app# source /installed-agent/install-agent.sh && echo 'INSTALL_SUCCESS'\nINSTALL_SUCCESS\n";
    expect(launchFailure(`${installed}root@a:/app# mini -t x\nbash: mini: command not found\nroot@a:/app# \nexit`)).toBe('bash: mini: command not found');
    expect(launchFailure(`${installed}root@a:/app# mini -t x\nmini-swe-agent (step 1, $0.01):\nTHOUGHT: ls\nroot@a:/app# \nexit`)).toBeUndefined();
    // An agent typing into the terminal itself (no install): its own failing commands are its behaviour, not a launch failure.
    expect(launchFailure('root@a:/app# uv run x.py\nbash: uv: command not found\nroot@a:/app# ')).toBeUndefined();
  });
});
