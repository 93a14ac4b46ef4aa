// Agent-native formats over published files: SWE-agent .traj, mini-swe-agent trajectories, OpenHands event
// streams, Terminus keystroke JSON (in a Harbor traces export, and as a [{prompt, response}] episode list).
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { actionsOf, episodeView } from '../../src/mining/episode-view.js';
import { classifyFailure } from '../../src/mining/signature.js';
import { readArtifactTree, readTraceFile } from '../../src/traces/read.js';
import { sweAgentExit } from '../../src/traces/swe-agent.js';
import { keystrokeCommands } from '../../src/traces/text-actions.js';
import type { ParsedTrace } from '../../src/traces/model.js';
import { tempDir } from '../helpers/git.js';
import { record } from '../mining/build.js';

const published = path.resolve('test/fixtures/published');

async function one(rel: string): Promise<ParsedTrace> {
  const result = await readTraceFile(path.join(published, rel), published);
  expect(result.skipped).toEqual([]);
  expect(result.traces).toHaveLength(1);
  return result.traces[0]!;
}

const commands = (trace: ParsedTrace) => actionsOf(trace.steps).map((a) => a.text);

describe('SWE-agent .traj', () => {
  it('reads each turn as an action with its observation, the task from the history and the exit status', async () => {
    const trace = await one('swe-agent/networking_1.traj');
    expect(trace).toMatchObject({ format: 'swe-agent', taskId: 'networking_1', skipped: [] });
    expect(trace.outcome).toBeUndefined();
    expect(trace.error).toBeUndefined();
    expect(trace.instruction).toMatch(
      /^We're currently solving the following CTF challenge\. The CTF challenge is a miscellaneous problem named "Networking 1"/,
    );
    expect(commands(trace)).toEqual([
      'bash: tshark -n -r networking.pcap -q -z io,phs',
      'bash: tshark -n -r networking.pcap -q -z endpoints,ip',
      'bash: tshark -r networking.pcap -Y "telnet" -T fields -e telnet.data',
      "submit: submit 'flag{d316759c281bf925d600be698a4973d5}'",
    ]);
    expect(actionsOf(trace.steps)[2]!.observations[0]!.content).toContain('flag{d316759c281bf925d600be698a4973d5}');
    expect(trace.usage).toBeUndefined();
  });

  it('is found by its .traj extension in a walk', async () => {
    const items: string[] = [];
    for await (const item of readArtifactTree(path.join(published, 'swe-agent')))
      items.push('reason' in item ? `skipped ${item.file}` : `${item.format} ${item.file}`);
    expect(items).toEqual(['swe-agent networking_1.traj']);
  });

  it('mines a run stopped by its cost limit as a step limit at its last action', async () => {
    // The published trajectory, ended the way a run that hit its cost limit ends.
    const doc = JSON.parse(readFileSync(path.join(published, 'swe-agent/networking_1.traj'), 'utf8')) as { info: Record<string, unknown> };
    doc.info.exit_status = 'exit_cost';
    const dir = tempDir('sh-traj-');
    writeFileSync(path.join(dir, 'networking_1.traj'), JSON.stringify(doc));
    const { traces } = await readTraceFile(path.join(dir, 'networking_1.traj'), dir);
    const finding = classifyFailure(episodeView(record('networking_1', 'fail'), traces), (t) => t);
    expect(finding.signature).toEqual({ failureClass: 'step-limit', fingerprint: 'cost_limit: swe-agent exit status exit_cost' });
    expect(traces[0]!.steps[finding.decisiveStep!]!.toolCalls[0]!.name).toBe('submit');
  });

  it('maps the exit statuses that name a limit to errors the miner classifies', () => {
    expect(sweAgentExit('submitted')).toBeUndefined();
    expect(sweAgentExit('exit_cost')).toMatchObject({ type: 'cost_limit' });
    expect(sweAgentExit('submitted (exit_context)')).toMatchObject({ type: 'context_window_exceeded' });
    expect(sweAgentExit('exit_format')).toMatchObject({ type: 'format_error' });
  });
});

describe('mini-swe-agent trajectories', () => {
  it('turns the one bash block of each reply into an action and <returncode>/<output> into its result', async () => {
    const trace = await one('atif/rfc-0001-native-examples/mini-swe-agent-trajectory.json');
    expect(trace.format).toBe('mini-swe-agent');
    expect(trace.instruction).toMatch(/^Please solve this issue: Create a file called hello\.txt with "Hello, world!" as the content\./);
    const actions = actionsOf(trace.steps);
    expect(actions.map((a) => a.text)).toEqual([
      'bash: echo "Hello, world!" > hello.txt',
      'bash: cat hello.txt',
      'bash: echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT',
    ]);
    expect(actions[1]!.observations).toEqual([{ content: 'Hello, world!\n', exitCode: 0 }]);
    expect(trace.usage).toEqual({ costUsd: 0.010520999999999999 });
  });

  it("takes a 2.x `exit` message's status as the run's end, not as an unknown chat role", async () => {
    // The published (1.x) trajectory, ended the 2.x way: an exit message carrying the status, none in info.
    const doc = JSON.parse(readFileSync(path.join(published, 'atif/rfc-0001-native-examples/mini-swe-agent-trajectory.json'), 'utf8')) as {
      info: Record<string, unknown>;
      messages: unknown[];
    };
    delete doc.info.exit_status;
    doc.messages.push({ role: 'exit', content: '', extra: { exit_status: 'LimitsExceeded', submission: '' } });
    const dir = tempDir('sh-mini-');
    writeFileSync(path.join(dir, 'run.traj.json'), JSON.stringify(doc));
    const [trace] = (await readTraceFile(path.join(dir, 'run.traj.json'), dir)).traces;
    expect(trace!.skipped).toEqual([]);
    expect(trace!.error).toEqual({ type: 'LimitsExceeded', message: 'agent exit status LimitsExceeded' });
    expect(classifyFailure(episodeView(record('hello', 'fail'), [trace!]), (t) => t).signature.failureClass).toBe('step-limit');
  });
});

describe('OpenHands event streams', () => {
  it('reads actions with the observations that name them as cause, the task and the usage', async () => {
    const trace = await one('atif/rfc-0001-native-examples/openhands_trajectory.json');
    expect(trace.format).toBe('openhands');
    expect(trace.instruction).toBe('Create a file called hello.txt with "Hello, world!" as the content.\n');
    expect(trace.steps.map((s) => [s.id, s.source])).toEqual([
      ['0', 'system'],
      ['1', 'user'],
      ['5', 'agent'],
      ['7', 'agent'],
    ]);
    const [run, finish] = actionsOf(trace.steps);
    expect(run!.text).toMatch(/^execute_bash: printf 'Hello, world!\\n' > hello\.txt && echo "Created \$\(pwd\)\/hello\.txt"/);
    expect(run!.observations).toEqual([
      { content: 'Created /app/hello.txt\nSize: 14 bytes\nContent: Hello, world!', exitCode: 0, callId: 'call_ruehvjC2P8Qd6aIW5wqdqL7J' },
    ]);
    expect(finish!.text).toMatch(/^finish: /);
    expect(trace.usage).toEqual({ inputTokens: 11859, outputTokens: 1086, costUsd: 0.01934775 });
  });
});

describe('Terminus keystroke JSON', () => {
  it('turns the commands of each reply into keystroke actions, and the parser complaint into an error result', async () => {
    const trace = await one('atif/terminus_2/hello-world-invalid-json.traces.json');
    expect(trace).toMatchObject({ format: 'harbor', taskId: 'hello-world' });
    const actions = actionsOf(trace.steps);
    expect(actions.map((a) => a.text)).toEqual([
      "keystrokes: printf 'Hello, world!\\n' > hello.txt",
      "keystrokes: printf 'Hello, world!\\n' > hello.txt",
      'task_complete: {}',
      'task_complete: {}',
    ]);
    expect(actions[0]!.observations[0]).toMatchObject({
      isError: true,
      content: expect.stringMatching(/^Previous response had parsing errors:\nERROR: Missing required fields: analysis, plan/),
    });
    expect(actions[1]!.observations[0]!.content).toMatch(/^New Terminal Output:\n\nroot@CONTAINER_ID:\/app# printf 'Hello, world!\\n' > hello\.txt/);
  });

  it('reads a [{prompt, response}] episode list (the same published run, one prompt and reply per episode)', async () => {
    // The published export's conversation, written the way Terminus keeps its episodes: prompt shown, reply given.
    const exported = JSON.parse(readFileSync(path.join(published, 'atif/terminus_2/hello-world-invalid-json.traces.json'), 'utf8')) as Array<{
      conversations: Array<{ role: string; content: string }>;
    }>;
    const conversation = exported.at(-1)!.conversations;
    const episodes = [];
    for (let i = 0; i + 1 < conversation.length; i += 2) episodes.push({ prompt: conversation[i]!.content, response: conversation[i + 1]!.content });
    const dir = tempDir('sh-terminus-');
    writeFileSync(path.join(dir, 'episodes.json'), JSON.stringify(episodes, null, 2));
    const { traces, skipped } = await readTraceFile(path.join(dir, 'episodes.json'), dir);
    expect(skipped).toEqual([]);
    const [trace] = traces;
    expect(trace!.format).toBe('terminus');
    expect(trace!.instruction).toMatch(/^You are an AI assistant tasked with solving command-line tasks in a Linux environment\./);
    expect(actionsOf(trace!.steps).map((a) => a.text)).toEqual([
      "keystrokes: printf 'Hello, world!\\n' > hello.txt",
      "keystrokes: printf 'Hello, world!\\n' > hello.txt",
      'task_complete: {}',
      'task_complete: {}',
    ]);
    // A failed episode of this run is a completion claim the verifier did not accept.
    expect(classifyFailure(episodeView(record('hello-world', 'fail'), traces), (t) => t).signature.failureClass).toBe('false-completion');
  });

  it('finds the command JSON around thinking and prose, and nothing in prose alone', () => {
    expect(keystrokeCommands('<think>x {not json}</think>\nI will run:\n{"commands": [{"keystrokes": "ls\\n", "duration": 0.1}]}\nDone.')).toEqual({
      commands: [{ keystrokes: 'ls\n', duration: 0.1 }],
      taskComplete: false,
    });
    expect(keystrokeCommands('I think the task is done.')).toBeUndefined();
  });
});
