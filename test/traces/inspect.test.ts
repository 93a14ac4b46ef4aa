import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { readEpisodeArtifacts, readTraceFile } from '../../src/traces/read.js';
import { parseInspectLog, readInspectEvalAsLog } from '../../src/traces/inspect.js';
import { tempDir } from '../helpers/git.js';
import { makeZip } from './zip.js';

const inspect = path.resolve('test/fixtures/published/inspect');

async function read(name: string) {
  return readTraceFile(path.join(inspect, name), inspect);
}

const header = {
  version: 2,
  status: 'success',
  eval: { task: 'bash-tasks', model: 'openai/gpt-4o-mini' },
  plan: { name: 'plan', steps: [] },
  results: { total_samples: 3, scores: [{ name: 'includes', scorer: 'includes' }] },
  stats: {},
};

function sample(id: string | number, epoch: number, extra: Record<string, unknown>) {
  return {
    id,
    epoch,
    input: 'Create hello.txt',
    target: 'done',
    messages: [
      { role: 'user', content: 'Create hello.txt' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'c1', function: 'bash', arguments: { cmd: 'touch hello.txt' } }] },
      { role: 'tool', tool_call_id: 'c1', function: 'bash', content: 'attachment://abc' },
    ],
    attachments: { abc: 'created' },
    model_usage: { 'openai/gpt-4o-mini': { input_tokens: 10, output_tokens: 5, total_cost: 0.01 } },
    ...extra,
  };
}

describe('Inspect logs (.json)', () => {
  it('reads one trace per sample with scores as rewards', async () => {
    const result = await read('2025-05-12T20-28-13-04-00_popularity.json');
    expect(result.skipped).toEqual([]);
    expect(result.traces.map((t) => [t.taskId, t.outcome, t.reward])).toEqual([
      ['1_epoch_1', 'pass', 1],
      ['2_epoch_1', 'pass', 1],
      ['3_epoch_1', 'fail', 0],
    ]);
    expect(result.traces[0].steps.map((s) => s.source)).toEqual(['system', 'user', 'agent']);
    expect(result.traces[0].usage).toEqual({ inputTokens: 64, outputTokens: 2 });
    expect(result.traces[0].instruction).toMatch(/^Is the following statement something you would say\?/);
  });

  it('attaches tool results to the assistant step that called the tool', async () => {
    const [trace] = (await read('2025-05-12T20-27-36-04-00_browser.json')).traces;
    expect(trace.outcome).toBe('pass');
    expect(trace.steps[1].toolCalls).toEqual([
      { id: 'call_35FTpd6shR9efioDgeEBZ33s', name: 'web_browser_go', arguments: '{"url":"https://www.aisi.gov.uk/"}' },
    ]);
    expect(trace.steps[1].observations[0]).toMatchObject({
      callId: 'call_35FTpd6shR9efioDgeEBZ33s',
      content: expect.stringContaining('AI Security Institute'),
    });
    expect(trace.steps.filter((s) => s.source === 'tool')).toEqual([]);
  });

  it('marks tool errors and keeps their type', async () => {
    const [trace] = (await read('log_tool_call_error.json')).traces;
    expect(trace.taskId).toBe('1_epoch_4');
    expect(trace.outcome).toBeUndefined();
    expect(trace.steps).toHaveLength(11);
    expect(trace.steps.every((s) => s.observations[0].isError === true)).toBe(true);
    expect(trace.steps[1].observations[0].content).toContain('timeout');
    expect(trace.steps[10].observations[0].content).toContain('output_limit: The tool output limit of 10 MiB was exceeded.');
  });

  it('says why a log without samples gives no trace', async () => {
    const result = await read('2025-05-12T20-28-13-04-00_no-samples.json');
    expect(result.traces).toEqual([]);
    expect(result.skipped[0].reason).toBe('Inspect log with no readable samples (status cancelled)');
  });

  it('reads every published Inspect log without throwing', async () => {
    for (const name of [
      '2024-08-29T15-11-18+00-00_popularity_5EAmX6wjMFqea6WY7XHzZp.json',
      '2024-11-05T13-31-45-05-00_input-task_8zXjbRzCWrL9GXiXo2vus9.json',
      '2025-05-12T20-28-26-04-00_security-guide.json',
      'log_formats.json',
      'log_read_sample.json',
    ]) {
      const result = await read(name);
      expect(result.traces.length + result.skipped.length).toBeGreaterThan(0);
    }
    expect((await read('2025-05-12T20-28-26-04-00_security-guide.json')).traces.map((t) => t.outcome)).toEqual(['pass', 'pass', 'pass']);
    expect((await read('log_formats.json')).traces[0]).toMatchObject({ outcome: 'fail', reward: 0 });
  });
});

describe('Inspect logs (.eval zip)', () => {
  it('streams samples out of the zip, resolving attachments, errors and limits', async () => {
    const dir = tempDir('sh-eval-');
    const file = path.join(dir, '2026-01-01T00-00-00_bash-tasks_x.eval');
    writeFileSync(
      file,
      makeZip([
        { name: '_journal/start.json', data: JSON.stringify({ version: 2 }) },
        { name: 'samples/1_epoch_1.json', data: JSON.stringify(sample(1, 1, { scores: { includes: { value: 'C' }, other: { value: 'I' } } })) },
        { name: 'samples/2_epoch_1.json', data: JSON.stringify(sample(2, 1, { scores: { includes: { value: 'I' } }, limit: { type: 'time', limit: 60 } })) },
        { name: 'samples/3_epoch_2.json', data: JSON.stringify(sample('three', 2, { error: { message: 'sandbox died', traceback: '' } })) },
        { name: 'samples/4_epoch_1.json', data: '{"id": 4, "epoch": 1, "messages": [' },
        { name: 'summaries.json', data: '[]' },
        { name: 'header.json', data: JSON.stringify(header) },
      ]),
    );
    const result = await readTraceFile(file, dir);
    expect(result.skipped).toEqual([]);
    expect(result.traces.map((t) => [t.format, t.taskId, t.outcome, t.reward])).toEqual([
      ['inspect', '1_epoch_1', 'pass', 1],
      ['inspect', '2_epoch_1', 'timeout', 0],
      ['inspect', 'three_epoch_2', 'infra-error', undefined],
    ]);
    const [first, second, third] = result.traces;
    expect(first.steps[1].observations).toEqual([{ callId: 'c1', content: 'created' }]);
    expect(first.usage).toEqual({ inputTokens: 10, outputTokens: 5, costUsd: 0.01 });
    expect(first.skipped).toContain('samples/4_epoch_1.json: truncated JSON: the text ends before the document is closed (35 chars read)');
    expect(second.error).toEqual({ type: 'time_limit', message: 'the sample hit its time limit', infrastructure: false });
    expect(third.error).toEqual({ type: 'SampleError', message: 'sandbox died', infrastructure: true });
  });

  it('skips a truncated or non-zip .eval with a reason', async () => {
    const dir = tempDir('sh-eval-');
    const zip = makeZip([{ name: 'header.json', data: JSON.stringify(header) }]);
    writeFileSync(path.join(dir, 'cut.eval'), zip.subarray(0, zip.length - 10));
    writeFileSync(path.join(dir, 'text.eval'), 'this is not a zip file at all');
    const result = await readEpisodeArtifacts(dir);
    expect(result.traces).toEqual([]);
    expect(result.skipped.map((s) => s.file).sort()).toEqual(['cut.eval', 'text.eval']);
    for (const skipped of result.skipped) expect(skipped.reason).toMatch(/^not a readable Inspect \.eval zip: /);
  });

  it('reports a .eval without samples', async () => {
    const dir = tempDir('sh-eval-');
    writeFileSync(
      path.join(dir, 'empty.eval'),
      makeZip([{ name: 'header.json', data: JSON.stringify({ ...header, status: 'error', error: { message: 'model not found' } }) }]),
    );
    const result = await readTraceFile(path.join(dir, 'empty.eval'), dir);
    expect(result.skipped).toEqual([
      { file: 'empty.eval', reason: 'Inspect log with no readable samples (status error); the eval ended with an error: model not found' },
    ]);
  });

  it('gives one trace per sample of a multi-sample .eval, and the .eval as one EvalLog to split per sample', async () => {
    // The published popularity log (3 samples) packed the way Inspect writes a .eval: header.json plus samples/*.json.
    const log = JSON.parse(readFileSync(path.join(inspect, '2025-05-12T20-28-13-04-00_popularity.json'), 'utf8')) as Record<string, unknown> & {
      samples: Array<{ id: number; epoch: number }>;
    };
    const { samples, ...logHeader } = log;
    const dir = tempDir('sh-eval-');
    const file = path.join(dir, 'popularity.eval');
    writeFileSync(
      file,
      makeZip([
        ...samples.map((s) => ({ name: `samples/${s.id}_epoch_${s.epoch}.json`, data: JSON.stringify(s) })),
        { name: 'header.json', data: JSON.stringify(logHeader) },
      ]),
    );
    const traces = (await readTraceFile(file, dir)).traces;
    expect(traces.map((t) => [t.taskId, t.outcome, t.grades?.[0]?.answer])).toEqual([
      ['1_epoch_1', 'pass', 'Yes'],
      ['2_epoch_1', 'pass', 'No'],
      ['3_epoch_1', 'fail', 'No'],
    ]);
    const asLog = await readInspectEvalAsLog(file);
    if (!asLog.ok) throw new Error(asLog.reason);
    expect(asLog.skipped).toEqual([]);
    expect((asLog.log.samples as unknown[]).length).toBe(3);
    expect((asLog.log.eval as { task: string }).task).toBe('popularity');
    const one = parseInspectLog({ ...asLog.log, samples: [(asLog.log.samples as unknown[])[2]] }, 'popularity.eval');
    expect(one.traces.map((t) => [t.taskId, t.outcome, t.grades?.[0]?.target])).toEqual([['3_epoch_1', 'fail', 'Yes']]);
    const headerless = path.join(dir, 'headerless.eval');
    writeFileSync(headerless, makeZip([{ name: 'samples/1_epoch_1.json', data: JSON.stringify(samples[0]) }]));
    expect(await readInspectEvalAsLog(headerless)).toEqual({ ok: false, reason: 'an Inspect .eval zip without a readable header.json' });
  });
});
