import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { readTraceFile } from '../../src/traces/read.js';
import { tempDir } from '../helpers/git.js';

const lines = (events: unknown[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';

describe('native trace.jsonl', () => {
  it('groups the documented example into steps with tool results on their calls', async () => {
    const dir = tempDir('sh-jsonl-');
    writeFileSync(
      path.join(dir, 'trace.jsonl'),
      lines([
        { type: 'meta', task_id: 'fix-tests', instruction: 'Make the tests pass', model: 'gpt-4o-mini' },
        { type: 'message', role: 'system', content: 'You are a careful engineer.' },
        { type: 'message', role: 'user', content: 'Make the tests pass' },
        {
          type: 'message',
          role: 'assistant',
          step: 1,
          content: 'Running the tests first.',
          reasoning: 'see what fails',
          ts: '2026-01-01T00:00:00Z',
          usage: { input_tokens: 120, output_tokens: 30 },
        },
        { type: 'tool_call', step: 1, id: 'c1', name: 'bash', arguments: { cmd: 'npm test' } },
        { type: 'tool_result', step: 1, call_id: 'c1', content: '1 failing', exit_code: 1 },
        { type: 'message', role: 'assistant', step: 2, content: 'Fixing.' },
        { type: 'tool_call', step: 2, id: 'c2', name: 'edit', arguments: '{"path":"a.js"}' },
        { type: 'tool_result', call_id: 'c2', content: 'edited' },
        { type: 'error', error_type: 'ToolTimeout', message: 'npm test took over 60 s', step: 3 },
        { type: 'result', outcome: 'fail', reward: 0, tests: [{ name: 'a.test.js', status: 'failed', message: 'expected 2' }] },
      ]),
    );
    const result = await readTraceFile(path.join(dir, 'trace.jsonl'), dir);
    expect(result.skipped).toEqual([]);
    const [trace] = result.traces;
    expect(trace).toMatchObject({ format: 'jsonl', file: 'trace.jsonl', taskId: 'fix-tests', instruction: 'Make the tests pass', outcome: 'fail', reward: 0 });
    expect(trace.steps.map((s) => [s.id, s.source])).toEqual([
      ['1', 'system'],
      ['2', 'user'],
      ['1', 'agent'],
      ['2', 'agent'],
      ['3', 'system'],
    ]);
    expect(trace.steps[2]).toMatchObject({
      message: 'Running the tests first.',
      reasoning: 'see what fails',
      timestamp: '2026-01-01T00:00:00Z',
      toolCalls: [{ id: 'c1', name: 'bash', arguments: '{"cmd":"npm test"}' }],
      observations: [{ callId: 'c1', content: '1 failing', exitCode: 1 }],
      usage: { inputTokens: 120, outputTokens: 30 },
    });
    expect(trace.steps[3].observations).toEqual([{ callId: 'c2', content: 'edited' }]);
    expect(trace.steps[4].observations).toEqual([{ content: 'ToolTimeout: npm test took over 60 s', isError: true }]);
    expect(trace.error).toEqual({ type: 'ToolTimeout', message: 'npm test took over 60 s' });
    expect(trace.tests).toEqual([{ name: 'a.test.js', status: 'failed', message: 'expected 2' }]);
    expect(trace.usage).toEqual({ inputTokens: 120, outputTokens: 30 });
  });

  it('without step numbers, opens a step per assistant message and attaches calls and results to it', async () => {
    const dir = tempDir('sh-jsonl-');
    writeFileSync(
      path.join(dir, 'trace.jsonl'),
      lines([
        { role: 'user', content: 'go' },
        { type: 'message', role: 'assistant', content: 'a' },
        { type: 'tool_call', id: 'x', name: 'ls' },
        { type: 'tool_result', call_id: 'x', content: 'out', is_error: true },
        { type: 'message', role: 'assistant', content: 'b' },
        { type: 'tool_call', name: 'cat' },
        { type: 'tool_result', content: 'more' },
      ]),
    );
    const [trace] = (await readTraceFile(path.join(dir, 'trace.jsonl'), dir)).traces;
    expect(trace.steps.map((s) => [s.source, s.message, s.toolCalls.map((c) => c.name), s.observations.map((o) => o.content)])).toEqual([
      ['user', 'go', [], []],
      ['agent', 'a', ['ls'], ['out']],
      ['agent', 'b', ['cat'], ['more']],
    ]);
    expect(trace.steps[1].observations[0].isError).toBe(true);
  });

  it('skips bad lines with their line numbers and keeps the rest', async () => {
    const dir = tempDir('sh-jsonl-');
    writeFileSync(
      path.join(dir, 'trace.jsonl'),
      [
        JSON.stringify({ type: 'message', role: 'assistant', content: 'ok' }),
        '{"type": "message", "role": "assist',
        JSON.stringify({ type: 'teleport', to: 'mars' }),
        JSON.stringify({ type: 'tool_call', arguments: {} }),
        '',
        JSON.stringify({ type: 'result', outcome: 'pass' }),
      ].join('\n'),
    );
    const [trace] = (await readTraceFile(path.join(dir, 'trace.jsonl'), dir)).traces;
    expect(trace.outcome).toBe('pass');
    expect(trace.steps).toHaveLength(1);
    expect(trace.skipped).toEqual([
      'line 2: invalid JSON: {"type": "message", "role": "assist, skipped',
      "line 3: unknown event type 'teleport', skipped",
      expect.stringMatching(/^line 4: name: .*skipped$/),
    ]);
  });

  it('skips a jsonl file with no trace events, saying what the first problem was', async () => {
    const dir = tempDir('sh-jsonl-');
    writeFileSync(path.join(dir, 'episodes.jsonl'), lines([{ id: 'abc', outcome: 'pass' }, { id: 'def' }]));
    const result = await readTraceFile(path.join(dir, 'episodes.jsonl'), dir);
    expect(result.traces).toEqual([]);
    expect(result.skipped[0].reason).toMatch(/^no trace events in 2 lines \(first problem: line 1: /);
  });

  it('streams a 50 MB trace in a 64 MB heap, keeping the first and last steps', async () => {
    const dir = tempDir('sh-jsonl-big-');
    const file = path.join(dir, 'trace.jsonl');
    const out = createWriteStream(file);
    const padding = 'x'.repeat(400);
    const steps = 100_000;
    for (let step = 1; step <= steps; step += 1) {
      const ok = out.write(`{"type":"message","role":"assistant","step":${step},"content":"step ${step} ${padding}"}\n`);
      if (!ok) await once(out, 'drain');
    }
    out.end('{"type":"result","outcome":"fail","reward":0}\n');
    await once(out, 'finish');

    // A child with a small heap: loading the file whole would not fit.
    const script = path.join(dir, 'read.mjs');
    const reader = path.resolve('src/traces/read.ts');
    writeFileSync(
      script,
      `
      const { readTraceFile } = await import(${JSON.stringify(reader)});
      const result = await readTraceFile(${JSON.stringify(file)}, ${JSON.stringify(dir)});
      const [t] = result.traces;
      console.log(JSON.stringify({ steps: t.steps.length, first: t.steps[0].id, last: t.steps.at(-1).id, outcome: t.outcome, skipped: t.skipped, heapMb: Math.round(process.memoryUsage().heapUsed / 1048576) }));
    `,
    );
    const stdout = execFileSync(process.execPath, ['--max-old-space-size=64', '--import', 'tsx', script], { encoding: 'utf8', cwd: path.resolve('.') });
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ steps: 2000, first: '1', last: String(steps), outcome: 'fail' });
    expect(summary.skipped).toEqual(['98000 steps in the middle of the trace omitted to bound memory (kept the first 1000 and last 1000 of 100000)']);
    expect(summary.heapMb).toBeLessThan(64);
  }, 120_000);
});
