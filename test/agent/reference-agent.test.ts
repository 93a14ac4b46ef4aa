import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCliIn } from './run-from-anywhere.js';
import { removeDir, tempDir, writeFiles } from '../helpers/git.js';
import { startModelServer, type ModelScript, type ModelServer } from '../helpers/model-server.js';
import { pollUntil, processGone } from '../helpers/poll.js';
import { readEpisodeArtifacts } from '../../src/traces/read.js';

const TOOLS = [
  { name: 'shell', description: 'Run a shell command.', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } },
  { name: 'read_file', description: 'Read a file.', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
  {
    name: 'write_file',
    description: 'Write a file.',
    parameters: { type: 'object', properties: { path: { type: 'string' }, content: { type: 'string' } }, required: ['path', 'content'] },
  },
  { name: 'finish', description: 'End the episode.', parameters: { type: 'object', properties: { summary: { type: 'string' } } } },
];

const RECOVERY = {
  'harness/recovery/parse-error.md': 'PARSE-RECOVERY: your call was rejected ({{error}}). Send one valid JSON tool call.\n',
  'harness/recovery/timeout.md': 'TIMEOUT-RECOVERY: `{{command}}` ran over {{timeout_seconds}} s. Run it in the background and poll.\n',
  'harness/recovery/nonzero-exit.md': 'EXIT-RECOVERY: exit code {{exit_code}}; read the error before retrying.\n',
  'harness/recovery/repeated-action.md': 'REPEAT-RECOVERY: that is the same call {{count}} times; try something else.\n',
};

const scratch: string[] = [];
let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => scratch.forEach(removeDir));

/** A checkout with harness/ (the agent's files) and a Harbor task whose verifier wants out.txt = "hello". */
function workspace(limits: Record<string, unknown> = {}, agentTimeoutSec = 60): { root: string; taskDir: string; out: string } {
  const root = tempDir('sh-agent-');
  scratch.push(root);
  writeFiles(root, {
    'harness/system-prompt.md': 'You are a test agent.\n\nTask: {{instruction}}\n',
    'harness/tools.json': JSON.stringify(TOOLS),
    'harness/limits.json': JSON.stringify({ max_steps: 10, command_timeout_seconds: 20, ...limits }),
    ...RECOVERY,
    'tasks/say-hello/instruction.md': 'Write hello to out.txt.\n',
    'tasks/say-hello/task.toml': `[metadata]\ntraits = ["verify"]\n[agent]\ntimeout_sec = ${agentTimeoutSec}\n[verifier]\ntimeout_sec = 10.0\n`,
    'tasks/say-hello/environment/README.txt': 'the sandbox\n',
    'tasks/say-hello/tests/test.sh':
      '[ "$(cat out.txt 2>/dev/null)" = "hello" ] && echo 1 > "$LOGS_DIR/reward.txt" || { echo "FAIL: out.txt is not hello"; echo 0 > "$LOGS_DIR/reward.txt"; }\n',
    'tasks/say-hello/solution/solve.sh': 'echo hello > out.txt\n',
  });
  return { root, taskDir: path.join(root, 'tasks', 'say-hello'), out: path.join(root, 'out') };
}

let callCounter = 0;
function call(name: string, args: unknown) {
  callCounter += 1;
  return { id: `call_${callCounter}`, type: 'function', function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) } };
}

async function runAgent(ws: { root: string; taskDir: string; out: string }, script: ModelScript) {
  server = await startModelServer(script);
  const result = await runCliIn(ws.root, ['agent'], {
    SELF_HARNESS_TASK_DIR: ws.taskDir,
    SELF_HARNESS_OUT: ws.out,
    SELF_HARNESS_ATTEMPT: '0',
    SELF_HARNESS_HARNESS: 'test-hash',
    OPENAI_BASE_URL: server.url,
    OPENAI_API_KEY: 'test-key',
    SELF_HARNESS_MODEL: 'scripted-model',
  });
  expect(result.exitCode, String(result.all)).toBe(0);
  const resultFile = JSON.parse(readFileSync(path.join(ws.out, 'result.json'), 'utf8'));
  const trajectory = JSON.parse(readFileSync(path.join(ws.out, 'trajectory.json'), 'utf8'));
  return { result, resultFile, trajectory, requests: server.requests };
}

/** The tool-result message sent back for a call id in a later request. */
function toolReply(body: any, callId: string): string {
  const message = body.messages.find((m: any) => m.role === 'tool' && m.tool_call_id === callId);
  expect(message, `no tool message for ${callId}`).toBeDefined();
  return message.content;
}

describe('the reference agent', () => {
  it('solves a task with native tool calls, then the verifier rewards it', async () => {
    const ws = workspace();
    const write = call('shell', { command: 'printf hello > out.txt && cat out.txt' });
    const finish = call('finish', { summary: 'wrote out.txt' });
    const { resultFile, trajectory, requests } = await runAgent(ws, (_body, index) =>
      index === 0
        ? { content: 'Writing the file.', tool_calls: [write], usage: { prompt_tokens: 100, completion_tokens: 10 } }
        : { tool_calls: [finish], usage: { prompt_tokens: 150, completion_tokens: 5 } },
    );
    expect(requests).toHaveLength(2);
    const first = requests[0]!.body;
    expect(first.model).toBe('scripted-model');
    expect(first.messages[0]).toEqual({ role: 'system', content: 'You are a test agent.\n\nTask: Write hello to out.txt.\n\n' });
    expect(first.tools.map((t: any) => t.function.name)).toEqual(['shell', 'read_file', 'write_file', 'finish']);
    expect(requests[0]!.headers.authorization).toBe('Bearer test-key');
    expect(toolReply(requests[1]!.body, write.id)).toBe('hello\n[exit code 0]');
    expect(resultFile).toMatchObject({ reward: 1, passed: true, agent: 'self-harness-reference-agent', usage: { input_tokens: 250, output_tokens: 15 } });
    expect(resultFile.error).toBeUndefined();
    expect(trajectory.agent.name).toBe('self-harness-reference-agent');
    expect(trajectory.schema_version).toBe('ATIF-v1.5');
  });

  it('answers malformed tool arguments with its parse-error recovery text, then carries on', async () => {
    const ws = workspace();
    const broken = call('shell', '{"command": "echo hi');
    const fixed = call('shell', { command: 'echo hello > out.txt; env' });
    const finish = call('finish', {});
    const { resultFile, requests } = await runAgent(ws, (_body, index) => ({ tool_calls: [[broken, fixed, finish][index]!] }));
    const sent = toolReply(requests[1]!.body, broken.id);
    expect(sent).toMatch(/^PARSE-RECOVERY: your call was rejected \(the arguments of shell are not valid JSON .*\)\. Send one valid JSON tool call\.$/);
    expect(resultFile.passed).toBe(true);
    // The agent's commands see the sandbox, not the task directory (tests, solution) or the model key.
    const envOutput = toolReply(requests[2]!.body, fixed.id);
    expect(envOutput).toMatch(/^SANDBOX=/m);
    expect(envOutput).not.toContain('SELF_HARNESS_TASK_DIR');
    expect(envOutput).not.toContain('test-key');
  });

  it('kills a command at the per-command timeout and sends its timeout recovery text', async () => {
    const ws = workspace({ command_timeout_seconds: 1 });
    // 600 s is far past the test's own timeout: had the command not been killed at 1 s, the run would never end in
    // time (no clock needed).
    const slow = call('shell', { command: 'sleep 600' });
    const finish = call('finish', {});
    const { resultFile, requests } = await runAgent(ws, (_body, index) => ({ tool_calls: [[slow, finish][index]!] }));
    const sent = toolReply(requests[1]!.body, slow.id);
    expect(sent).toContain('[command timed out after 1 s and was killed]');
    expect(sent.endsWith('TIMEOUT-RECOVERY: `sleep 600` ran over 1 s. Run it in the background and poll.')).toBe(true);
    // Claimed completion without out.txt: the verifier fails it and result.json says so.
    expect(resultFile).toMatchObject({ reward: 0, passed: false, error: { type: 'VerifierFailed' } });
    expect(resultFile.error.message).toMatch(/^tests failed after the agent reported completion: FAIL: out.txt is not hello/);
  });

  it("stops at the task's agent timeout: the running command is cut short and result.json says AgentTimeoutError", async () => {
    const ws = workspace({ command_timeout_seconds: 30 }, 2);
    const slow = call('shell', { command: 'sleep 600' });
    const { resultFile, requests, trajectory } = await runAgent(ws, () => ({ tool_calls: [slow] }));
    expect(requests).toHaveLength(1);
    const observation = trajectory.steps.find((s: any) => s.source === 'agent').observation.results[0].content;
    // Cut short by what was left of the 2 s agent budget when the command started (1 s on a slow machine), never
    // by the 30 s command timeout.
    const cut = Number(/\[command timed out after (\d+) s and was killed\]/.exec(observation)?.[1]);
    expect(cut).toBeGreaterThanOrEqual(1);
    expect(cut).toBeLessThanOrEqual(2);
    expect(resultFile).toMatchObject({ passed: false, reward: 0, error: { type: 'AgentTimeoutError' } });
  });

  it('stops what the agent left running in the background when the episode ends', async () => {
    const ws = workspace();
    const background = call('shell', { command: 'sleep 300 > /dev/null 2>&1 & echo $!' });
    const finish = call('finish', {});
    const { trajectory } = await runAgent(ws, (_body, index) => ({ tool_calls: [[background, finish][index]!] }));
    const pid = Number(/^(\d+)/.exec(trajectory.steps.find((s: any) => s.tool_calls?.[0]?.tool_call_id === background.id).observation.results[0].content)![1]);
    expect(pid).toBeGreaterThan(1);
    // Killed: gone, or a zombie where PID 1 does not reap orphans (as in some containers); polled, since the kill
    // lands when the kernel next schedules it.
    expect(await pollUntil(() => processGone(pid))).toBe(true);
  });

  it('stops at the step limit, with the repeated-action and non-zero-exit recoveries on the way', async () => {
    const ws = workspace({ max_steps: 4 });
    const { resultFile, requests, trajectory } = await runAgent(ws, () => ({ tool_calls: [call('shell', { command: 'cat missing.txt' })] }));
    expect(requests).toHaveLength(4);
    const last = requests[3]!.body.messages.filter((m: any) => m.role === 'tool').map((m: any) => m.content);
    expect(last[0]).toMatch(/No such file or directory\n\[exit code 1\]\nEXIT-RECOVERY: exit code 1; read the error before retrying\.$/);
    expect(last[2]).toMatch(/REPEAT-RECOVERY: that is the same call 3 times; try something else\.$/);
    expect(resultFile).toMatchObject({ passed: false, reward: 0, error: { type: 'StepLimitExceeded' } });
    expect(trajectory.steps.filter((s: any) => s.source === 'agent')).toHaveLength(4);
  });

  it('summarises old turns when the context budget is exceeded', async () => {
    const ws = workspace({ context_budget_tokens: 400 });
    const { requests, trajectory } = await runAgent(ws, (_body, index) =>
      index < 4 ? { tool_calls: [call('shell', { command: `seq 1 60 # ${index}` })] } : { tool_calls: [call('finish', {})] },
    );
    const lastMessages = requests.at(-1)!.body.messages;
    expect(lastMessages[0].role).toBe('system');
    expect(lastMessages[2]).toMatchObject({ role: 'user' });
    expect(lastMessages[2].content).toMatch(/^Summary of earlier steps/);
    expect(lastMessages[2].content).toContain('called shell {"command":"seq 1 60 # 0"}');
    expect(trajectory.steps.some((s: any) => s.source === 'system' && /context summarization/.test(s.message))).toBe(true);
  });

  it('writes an ATIF trajectory that the trace readers accept', async () => {
    const ws = workspace();
    const write = call('write_file', { path: 'out.txt', content: 'hello' });
    const read = call('read_file', { path: 'out.txt' });
    const finish = call('finish', { summary: 'done' });
    await runAgent(ws, (_body, index) => ({ content: index === 0 ? 'thinking' : '', tool_calls: [[write, read, finish][index]!] }));
    const { traces, skipped } = await readEpisodeArtifacts(ws.out);
    expect(skipped.filter((s) => s.file.endsWith('trajectory.json'))).toEqual([]);
    const atif = traces.find((t) => t.format === 'atif');
    expect(atif).toBeDefined();
    const agentSteps = atif!.steps.filter((s) => s.source === 'agent');
    expect(agentSteps.map((s) => s.toolCalls.map((c) => c.name))).toEqual([['write_file'], ['read_file'], ['finish']]);
    expect(agentSteps[1]!.observations[0]).toMatchObject({ callId: read.id, content: 'hello' });
    expect(JSON.parse(agentSteps[0]!.toolCalls[0]!.arguments)).toEqual({ path: 'out.txt', content: 'hello' });
    expect(atif!.skipped).toEqual([]);
  });
});
