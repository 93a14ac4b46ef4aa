import { describe, expect, it } from 'vitest';
import { closeSync, ftruncateSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { detectFormat, readArtifactTree, readEpisodeArtifacts, readTraceFile } from '../../src/traces/read.js';
import type { ParsedTrace, SkippedFile } from '../../src/traces/model.js';
import { tempDir, writeFiles } from '../helpers/git.js';

const atifDoc = {
  schema_version: 'ATIF-v1.5',
  agent: { name: 'a' },
  steps: [
    { step_id: 1, source: 'user', message: 'hi' },
    { step_id: 2, source: 'robot', message: 'beep' },
    {
      step_id: 3,
      source: 'agent',
      message: 'ok',
      tool_calls: [{ tool_call_id: 't', function_name: 'bash', arguments: { cmd: 'ls' } }, { nope: true }],
      observation: { results: [{ content: [{ type: 'text', text: 'a.txt' }] }] },
    },
    'not a step',
  ],
};

describe('files that are not (good) traces', () => {
  it('gives each broken file a clear reason and never throws', async () => {
    const dir = tempDir('sh-broken-');
    const full = JSON.stringify(atifDoc);
    writeFiles(dir, {
      'truncated.json': full.slice(0, full.length - 25),
      'empty.json': '',
      'blank.json': '   \n',
      'wrong-shape.json': JSON.stringify({ hello: 'world', n: 1 }),
      'scalar.json': '42',
      'bad-atif.json': JSON.stringify({ schema_version: 'ATIF-v1.5', steps: 'many' }),
      'empty.jsonl': '',
      'empty.eval': '',
      'empty.xml': '',
    });
    writeFileSync(path.join(dir, 'garbage.json'), randomBytes(4096));
    writeFileSync(path.join(dir, 'garbage.jsonl'), Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0xfe]), randomBytes(2048)]));
    writeFileSync(path.join(dir, 'garbage.xml'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]));
    const reasons: Record<string, string> = {};
    for (const name of [
      'truncated.json',
      'empty.json',
      'blank.json',
      'wrong-shape.json',
      'scalar.json',
      'bad-atif.json',
      'empty.jsonl',
      'empty.eval',
      'empty.xml',
      'garbage.json',
      'garbage.jsonl',
      'garbage.xml',
    ]) {
      const result = await readTraceFile(path.join(dir, name), dir);
      expect(result.traces, name).toEqual([]);
      expect(result.skipped, name).toHaveLength(1);
      expect(result.skipped[0].file).toBe(name);
      reasons[name] = result.skipped[0].reason;
    }
    expect(reasons['truncated.json']).toMatch(/^truncated JSON: the text ends before the document is closed/);
    expect(reasons['empty.json']).toBe('empty file (0 bytes)');
    expect(reasons['blank.json']).toBe('empty file (only whitespace)');
    expect(reasons['wrong-shape.json']).toMatch(/^JSON of an unknown shape \(hello, n\); formats read: ATIF/);
    expect(reasons['scalar.json']).toMatch(/^JSON of an unknown shape \(number\)/);
    expect(reasons['bad-atif.json']).toMatch(/^not an ATIF trajectory: steps: /);
    expect(reasons['empty.jsonl']).toBe('empty file (0 bytes)');
    expect(reasons['empty.eval']).toBe('empty file (0 bytes)');
    expect(reasons['garbage.json']).toMatch(/^binary content/);
    expect(reasons['garbage.jsonl']).toBe('binary content, not UTF-8 JSON lines');
    expect(reasons['garbage.xml']).toMatch(/^binary content/);
  });

  it('keeps the good steps of a partly wrong ATIF file and lists what it skipped', async () => {
    const dir = tempDir('sh-partial-');
    writeFileSync(path.join(dir, 'trajectory.json'), JSON.stringify(atifDoc));
    const [trace] = (await readTraceFile(path.join(dir, 'trajectory.json'), dir)).traces;
    expect(trace.steps.map((s) => s.id)).toEqual(['1', '3']);
    expect(trace.steps[1].toolCalls).toEqual([{ id: 't', name: 'bash', arguments: '{"cmd":"ls"}' }]);
    expect(trace.steps[1].observations).toEqual([{ content: 'a.txt' }]);
    expect(trace.skipped).toEqual([
      "step 2: unknown source 'robot', skipped",
      expect.stringMatching(/^step 3 tool call 2: function_name: .*, skipped$/),
      expect.stringMatching(/^step 4: .*skipped$/),
    ]);
  });

  it('says which wrong-typed fields it ignored', async () => {
    const dir = tempDir('sh-typed-');
    writeFileSync(
      path.join(dir, 'trajectory.json'),
      JSON.stringify({ schema_version: 'ATIF-v1.6', steps: [{ step_id: 1, source: 'agent', message: 'x', tool_calls: 'bash', metrics: [1] }] }),
    );
    writeFileSync(path.join(dir, 'result.json'), JSON.stringify({ trial_name: 't__1', verifier_result: 'passed', exception_info: null }));
    const [atif] = (await readTraceFile(path.join(dir, 'trajectory.json'), dir)).traces;
    expect(atif.steps).toHaveLength(1);
    expect(atif.skipped).toEqual(['step 1: tool_calls has the wrong type (string), ignored', 'step 1: metrics has the wrong type (array), ignored']);
    const [trial] = (await readTraceFile(path.join(dir, 'result.json'), dir)).traces;
    expect(trial.skipped).toEqual(['verifier_result has the wrong type (string), ignored']);
    expect(trial.outcome).toBe('infra-error');
  });

  it('does not load a plain JSON file over the 64 MB cap', async () => {
    const dir = tempDir('sh-cap-');
    const file = path.join(dir, 'huge.json');
    const fd = openSync(file, 'w');
    writeSync(fd, `{"messages": [${' '.repeat(9000)}`);
    ftruncateSync(fd, 65 * 1024 * 1024); // sparse: instant, no disk use
    closeSync(fd);
    const result = await readTraceFile(file, dir);
    expect(result.skipped).toEqual([
      { file: 'huge.json', reason: expect.stringMatching(/^plain JSON of 65\.0 MB is over the 64\.0 MB cap and was not loaded/) },
    ]);
  });

  it('says so when the directory does not exist', async () => {
    const missing = path.join(tempDir('sh-missing-'), 'nope');
    expect(await readEpisodeArtifacts(missing)).toEqual({ traces: [], skipped: [{ file: missing, reason: 'directory not found' }] });
  });
});

describe('readEpisodeArtifacts', () => {
  it('reads traces anywhere below, ignores the protocol files, and dedupes copies', async () => {
    const dir = tempDir('sh-episode-');
    const trace =
      JSON.stringify({ type: 'message', role: 'assistant', content: 'hello' }) + '\n' + JSON.stringify({ type: 'result', outcome: 'pass', reward: 1 }) + '\n';
    writeFiles(dir, {
      'stdout.txt': '{"type":"message"}',
      'stderr.txt': 'warning',
      'result.json': JSON.stringify({ outcome: 'fail', reward: 0 }),
      'trace.jsonl': trace,
      'copies/trace.jsonl': trace,
      'logs/agent.log': 'text',
      'logs/trajectory.json': JSON.stringify(atifDoc),
      'logs/notes.json': JSON.stringify({ hello: 1 }),
      'reports/junit.xml': '<testsuite name="s"><testcase name="t"/></testsuite>',
      '.hidden/trace.jsonl': 'ignored',
    });
    const result = await readEpisodeArtifacts(dir);
    expect(result.traces.map((t) => [t.format, t.file]).sort()).toEqual([
      ['atif', 'logs/trajectory.json'],
      ['jsonl', 'trace.jsonl'],
      ['junit', 'reports/junit.xml'],
    ]);
    expect(result.skipped).toEqual([{ file: 'logs/notes.json', reason: expect.stringMatching(/^JSON of an unknown shape/) }]);
  });

  it('reads a top-level result.json when it is a Harbor trial result', async () => {
    const dir = tempDir('sh-episode-');
    writeFiles(dir, { 'result.json': JSON.stringify({ trial_name: 'x__1', verifier_result: { rewards: { reward: 1 } }, exception_info: null }) });
    const result = await readEpisodeArtifacts(dir);
    expect(result.traces).toEqual([expect.objectContaining({ format: 'harbor', outcome: 'pass', reward: 1, file: 'result.json', taskId: 'x' })]);
  });

  it('walks a tree streaming, including a single file given as the root', async () => {
    const dir = tempDir('sh-tree-');
    mkdirSync(path.join(dir, 'a/b/c'), { recursive: true });
    writeFileSync(path.join(dir, 'a/b/c/trace.jsonl'), '{"role":"user","content":"x"}\n');
    const items: Array<ParsedTrace | SkippedFile> = [];
    for await (const item of readArtifactTree(dir)) items.push(item);
    expect(items.map((i) => i.file)).toEqual(['a/b/c/trace.jsonl']);
    const single: Array<ParsedTrace | SkippedFile> = [];
    for await (const item of readArtifactTree(path.join(dir, 'a/b/c/trace.jsonl'))) single.push(item);
    expect(single.map((i) => i.file)).toEqual(['trace.jsonl']);
  });
});

describe('detectFormat', () => {
  const head = (text: string) => Buffer.from(text);
  it.each([
    ['trajectory.json', '{"schema_version": "ATIF-v1.7", "steps": []}', 'atif'],
    ['result.json', '{"id": "1", "task_name": "x", "trial_name": "x__1", "trial_uri": "file:///"}', 'harbor'],
    ['result.json', '{"id": "1", "n_total_trials": 3}', 'harbor'],
    ['x.traces.json', '[{"conversations": []}]', 'harbor'],
    ['results.json', '{"id": "1", "trial_name": "a.1-of-1", "task_id": "a", "is_resolved": true}', 'tb1'],
    ['log.json', '{"version": 2, "status": "success", "eval": {"task": "t"}}', 'inspect'],
    ['log.eval', 'PK\u0003\u0004', 'inspect'],
    ['ctrf.json', '{"results": {"tool": {"name": "pytest"}}}', 'ctrf'],
    ['report.json', '{"reportFormat": "CTRF", "results": {}}', 'ctrf'],
    ['junit.xml', '<?xml version="1.0"?><testsuites>', 'junit'],
    ['report', '<testsuite name="x">', 'junit'],
    ['chat.json', '{"model": "m", "messages": [{"role": "user"}]}', 'openai-chat'],
    ['trace.jsonl', '{"type": "message"}', 'jsonl'],
    ['notes.json', '{"hello": 1}', undefined],
    ['pom.xml', '<project>', undefined],
    ['blob.json', '\u0000\u0001\u0002', undefined],
  ] as const)('%s starting %s is %s', (name, text, expected) => {
    expect(detectFormat(name, head(text))).toBe(expected);
  });
});
