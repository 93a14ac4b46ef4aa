import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { readTraceFile } from '../../src/traces/read.js';
import { tempDir } from '../helpers/git.js';

const published = path.resolve('test/fixtures/published');

async function one(rel: string) {
  const result = await readTraceFile(path.join(published, rel), published);
  expect(result.skipped).toEqual([]);
  expect(result.traces).toHaveLength(1);
  return result.traces[0];
}

describe('JUnit XML', () => {
  it('reads pytest junitxml: failures, skips and xfails, with messages and durations', async () => {
    const trace = await one('junit/python-xunit-pytest.xml');
    expect(trace).toMatchObject({ format: 'junit', outcome: 'fail', reward: 0, steps: [] });
    expect(trace.tests).toHaveLength(10);
    const byName = Object.fromEntries(trace.tests.map((t) => [t.name, t]));
    expect(byName['tests.test_lib.test_always_pass']).toEqual({ name: 'tests.test_lib.test_always_pass', status: 'passed', durationMs: 2 });
    expect(byName['tests.test_lib.test_always_skip'].status).toBe('skipped');
    expect(byName['tests.test_lib.test_expected_failure'].status).toBe('skipped');
    expect(byName['tests.test_lib.test_always_fail']).toMatchObject({ status: 'failed', message: expect.stringContaining('assert False') });
  });

  it('reads a one-line report with entity-encoded newlines in messages', async () => {
    const trace = await one('junit/report_flaky.xml');
    expect(trace.tests.map((t) => t.status)).toEqual(['passed', 'failed', 'failed', 'passed']);
    expect(trace.tests[1].message).toContain("AssertionError: assert 'test' == 'xyz'\n  - xyz");
  });

  it('reads a single <testsuite> root with CDATA stack traces', async () => {
    const trace = await one('junit/TEST-org.apache.pulsar.AddMissingPatchVersionTest.xml');
    expect(trace.tests.map((t) => t.status).sort()).toEqual(['failed', 'skipped']);
    expect(trace.tests.find((t) => t.status === 'failed')!.message).toMatch(/at org\.testng|java\./);
  });

  it('gives malformed and foreign XML a reason', async () => {
    const dir = tempDir('sh-junit-');
    writeFileSync(path.join(dir, 'cut.xml'), '<testsuites><testsuite name="a"><testcase name="x">');
    writeFileSync(path.join(dir, 'pom.xml'), '<project><modelVersion>4.0.0</modelVersion></project>');
    const cut = await readTraceFile(path.join(dir, 'cut.xml'), dir);
    expect(cut.skipped[0].reason).toMatch(/^malformed XML at line 1, column \d+: /);
    const pom = await readTraceFile(path.join(dir, 'pom.xml'), dir);
    expect(pom.skipped[0].reason).toBe('not a JUnit XML report: no <testsuite> or <testsuites> element');
  });
});

describe('CTRF JSON', () => {
  it('maps every CTRF status and strips ANSI colours from messages', async () => {
    const trace = await one('ctrf/ctrf-report.json');
    expect(trace).toMatchObject({ format: 'ctrf', outcome: 'fail', reward: 0 });
    expect(trace.tests.map((t) => t.status)).toEqual(['passed', 'failed', 'passed', 'skipped', 'passed', 'failed', 'skipped', 'passed', 'other', 'passed']);
    const title = trace.tests[1];
    expect(title.name).toBe('login.test.ts > profile > should display title');
    expect(title.message).toMatch(/^Timed out 5000ms waiting for expect\(locator\)/);
    expect(title.message).not.toContain('\u001b');
    expect(title.durationMs).toBe(800);
  });

  it('passes a report whose tests all passed', async () => {
    const trace = await one('ctrf/github-test-reporter-jest-ci.json');
    expect(trace.tests).toHaveLength(65);
    expect(trace.outcome).toBe('pass');
  });

  it('reads the Harbor verifier report with durations in seconds', async () => {
    const trace = await one('ctrf/harbor-nginx-request-logging-7of8.ctrf.json');
    expect(trace.tests.filter((t) => t.status === 'passed')).toHaveLength(7);
    expect(trace.tests.find((t) => t.status === 'failed')!.name).toBe('test_outputs.py::test_log_file_format');
    expect(trace.tests.find((t) => t.name === 'test_outputs.py::test_log_file_creation')!.durationMs).toBe(1014);
  });
});

describe('OpenAI chat transcripts', () => {
  it('reads assistant tool calls and tool results, skipping bad messages with a reason', async () => {
    const dir = tempDir('sh-chat-');
    const file = path.join(dir, 'chat.json');
    writeFileSync(
      file,
      JSON.stringify({
        task_id: 'fix-bug',
        messages: [
          { role: 'system', content: 'You are a coder.' },
          { role: 'user', content: [{ type: 'text', text: 'Fix the bug' }] },
          {
            role: 'assistant',
            content: null,
            reasoning_content: 'look first',
            tool_calls: [
              { id: 'a', type: 'function', function: { name: 'bash', arguments: '{"cmd":"ls"}' } },
              { id: 'b', type: 'function', function: { name: 'read', arguments: '{"path":"x"}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'b', content: 'file x' },
          { role: 'tool', tool_call_id: 'a', content: 'x y' },
          { role: 'robot', content: 'beep' },
          42,
          { role: 'tool', tool_call_id: 'zzz', content: 'orphan' },
        ],
        usage: { prompt_tokens: 100, completion_tokens: 20 },
      }),
    );
    const result = await readTraceFile(file, dir);
    const [trace] = result.traces;
    expect(trace).toMatchObject({ format: 'openai-chat', taskId: 'fix-bug', usage: { inputTokens: 100, outputTokens: 20 } });
    expect(trace.steps.map((s) => s.source)).toEqual(['system', 'user', 'agent', 'tool']);
    expect(trace.steps[1].message).toBe('Fix the bug');
    expect(trace.steps[2]).toMatchObject({
      reasoning: 'look first',
      toolCalls: [
        { id: 'a', name: 'bash', arguments: '{"cmd":"ls"}' },
        { id: 'b', name: 'read', arguments: '{"path":"x"}' },
      ],
    });
    expect(trace.steps[2].message).toBeUndefined();
    expect(trace.steps[2].observations).toEqual([
      { callId: 'b', content: 'file x' },
      { callId: 'a', content: 'x y' },
    ]);
    expect(trace.steps[3].observations).toEqual([{ callId: 'zzz', content: 'orphan' }]);
    expect(trace.skipped).toEqual(["message 6: unknown role 'robot', skipped", expect.stringMatching(/^message 7: .*skipped$/)]);
  });
});
