import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { readArtifactTree, readTraceFile } from '../../src/traces/read.js';
import type { ParsedTrace, SkippedFile } from '../../src/traces/model.js';

const published = path.resolve('test/fixtures/published');
const atif = path.join(published, 'atif');

async function one(rel: string): Promise<ParsedTrace> {
  const result = await readTraceFile(path.join(atif, rel), atif);
  expect(result.skipped).toEqual([]);
  expect(result.traces).toHaveLength(1);
  return result.traces[0];
}

describe('ATIF trajectories', () => {
  it('reads the OpenHands function-calling trajectory: steps, tool calls, observations and final metrics', async () => {
    const trace = await one('openhands/hello-world.trajectory.json');
    expect(trace.format).toBe('atif');
    expect(trace.file).toBe('openhands/hello-world.trajectory.json');
    expect(trace.steps.map((s) => s.source)).toEqual(['system', 'user', 'system', 'system', 'agent', 'agent']);
    expect(trace.steps.map((s) => s.id)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(trace.steps[4].toolCalls).toEqual([
      { id: expect.any(String), name: 'str_replace_editor', arguments: expect.stringContaining('"path":"/app/hello.txt"') },
    ]);
    expect(trace.steps[4].observations).toEqual([{ callId: 'call_fake_1', content: 'File created successfully at: /app/hello.txt' }]);
    expect(trace.steps[5].toolCalls.map((c) => c.name)).toEqual(['finish']);
    expect(trace.usage).toEqual({ inputTokens: 220, outputTokens: 80, costUsd: 0.00135 });
    expect(trace.skipped).toEqual([]);
  });

  it('reads the trajectory without native function calling (4 steps, no tool calls)', async () => {
    const trace = await one('openhands/hello-world.trajectory.no_function_calling.json');
    expect(trace.steps).toHaveLength(4);
    expect(trace.steps.flatMap((s) => s.toolCalls)).toEqual([]);
    expect(trace.steps[2].observations).toHaveLength(1);
  });

  it('keeps reasoning and the parse-error feedback of the Terminus-2 invalid-json run', async () => {
    const trace = await one('terminus_2/hello-world-invalid-json.trajectory.json');
    expect(trace.steps).toHaveLength(5);
    expect(trace.steps[1].reasoning).toBeTruthy();
    expect(trace.steps[1].observations[0].content).toMatch(/^Previous response had parsing errors/);
    expect(trace.steps.flatMap((s) => s.toolCalls.map((c) => c.name))).toEqual(['bash_command', 'mark_task_complete', 'mark_task_complete']);
    expect(trace.steps[1].usage).toEqual({ inputTokens: 682, outputTokens: 100, costUsd: expect.any(Number) });
  });

  it('reads the timeout run with its long sleep command', async () => {
    const trace = await one('terminus_2/hello-world-timeout.trajectory.json');
    expect(trace.steps).toHaveLength(4);
    expect(trace.steps[3].toolCalls[0]).toMatchObject({ name: 'bash_command', arguments: expect.stringContaining('sleep') });
  });

  it('summarises referenced summarization sub-trajectories inside the parent step instead of merging them', async () => {
    const trace = await one('terminus_2/hello-world-context-summarization.trajectory.json');
    expect(trace.steps).toHaveLength(10);
    const handoff = trace.steps[4];
    expect(handoff.source).toBe('system');
    expect(handoff.message).toBe('Performed context summarization and handoff to continue task.');
    expect(handoff.observations[0].content).toContain('[sub-trajectory trajectory.summarization-1-summary.json: 2 steps]');
    expect(handoff.observations[0].content).toContain('[sub-trajectory trajectory.summarization-1-questions.json: 2 steps]');
    expect(trace.steps.at(-1)!.toolCalls[0].name).toBe('mark_task_complete');
  });

  it('follows continued_trajectory_ref and drops the replayed (is_copied_context) steps', async () => {
    const trace = await one('terminus_2/hello-world-context-summarization-linear-history.trajectory.json');
    expect(trace.steps.map((s) => s.id)).toEqual(['1', '2', '3', '4', '5', 'cont-1:5', 'cont-1:6', 'cont-1:7', 'cont-1:8']);
    expect(trace.steps.map((s) => s.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Sub-trajectory files of this run are not published: said so, not crashed.
    expect(trace.steps[4].observations[0].content).toContain('not found');
  });

  it('does not read continuation or sub-trajectory files again when walking the folder', async () => {
    const items: Array<ParsedTrace | SkippedFile> = [];
    for await (const item of readArtifactTree(path.join(atif, 'terminus_2'))) items.push(item);
    const files = items.map((i) => i.file).sort();
    expect(files).not.toContain('hello-world-context-summarization-linear-history.trajectory.cont-1.json');
    expect(files).not.toContain('hello-world-context-summarization.trajectory.summarization-1-summary.json');
    expect(files).toContain('hello-world-context-summarization.trajectory.json');
    expect(items.filter((i) => 'reason' in i)).toEqual([]);
  });

  it('reads a continuation file on its own as a trajectory', async () => {
    const trace = await one('terminus_2/hello-world-context-summarization-linear-history.trajectory.cont-1.json');
    expect(trace.steps).toHaveLength(4);
  });

  it('reads Harbor traces exports as one trace per trial from the longest episode', async () => {
    const trace = await one('terminus_2/hello-world-context-summarization.traces.json');
    expect(trace.format).toBe('harbor');
    expect(trace.taskId).toBe('hello-world');
    expect(trace.steps).toHaveLength(11);
    expect(trace.skipped[0]).toMatch(/last of 7 episodes/);
    const openhands = await one('openhands/hello-world.traces.json');
    expect(openhands.steps.map((s) => s.source)).toEqual(['user', 'user', 'user', 'user', 'agent', 'user', 'agent']);
  });

  it('reads every RFC native example: a Gemini CLI chat, a mini-swe-agent trajectory and an OpenHands event list', async () => {
    const gemini = await one('rfc-0001-native-examples/gemini-cli-trajectory.json');
    expect(gemini.format).toBe('openai-chat');
    expect(gemini.steps.map((s) => s.source)).toEqual(['user', 'agent']);
    expect(gemini.steps[1].usage).toEqual({ inputTokens: 5915, outputTokens: 24 });
    const mini = await one('rfc-0001-native-examples/mini-swe-agent-trajectory.json');
    expect(mini.format).toBe('mini-swe-agent');
    expect(mini.steps).toHaveLength(8);
    expect(mini.usage?.costUsd).toBeCloseTo(0.010521, 6);
    const native = await readTraceFile(path.join(atif, 'rfc-0001-native-examples/openhands_trajectory.json'), atif);
    expect(native.skipped).toEqual([]);
    expect(native.traces.map((t) => [t.format, t.steps.length])).toEqual([['openhands', 4]]);
  });
});
