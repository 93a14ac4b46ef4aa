import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { readArtifactTree } from '../../src/traces/read.js';
import type { ParsedTrace, SkippedFile } from '../../src/traces/model.js';

const published = path.resolve('test/fixtures/published');

describe('the published fixtures as one tree', () => {
  it('parses every ATIF, Harbor, TB1, Inspect, JUnit, CTRF, SWE-agent, mini-swe-agent and OpenHands fixture, skipping only the files that are not traces', async () => {
    const traces: ParsedTrace[] = [];
    const skipped: SkippedFile[] = [];
    for await (const item of readArtifactTree(published)) {
      if ('reason' in item) skipped.push(item);
      else traces.push(item);
    }
    expect(skipped.map((s) => s.file).sort()).toEqual([
      'inspect/2024-08-29T15-11-18+00-00_popularity_5EAmX6wjMFqea6WY7XHzZp.json',
      'inspect/2025-05-12T20-28-13-04-00_no-samples.json',
      'swebench/astropy__astropy-12907/report.json',
      'swebench/composio.langgraph_agent_1725824120N.json',
      'swebench/django__django-14315/report.json',
      'swebench/sympy__sympy-23824/report.json',
    ]);
    const count = (format: string) => traces.filter((t) => t.format === format).length;
    expect({
      atif: count('atif'),
      harbor: count('harbor'),
      tb1: count('tb1'),
      inspect: count('inspect'),
      junit: count('junit'),
      ctrf: count('ctrf'),
      chat: count('openai-chat'),
      miniSweAgent: count('mini-swe-agent'),
      sweAgent: count('swe-agent'),
      openhands: count('openhands'),
    }).toEqual({ atif: 6, harbor: 11, tb1: 83, inspect: 11, junit: 3, ctrf: 3, chat: 1, miniSweAgent: 1, sweAgent: 1, openhands: 1 });
    // Only the traces-export note; no fixture has a wrong-typed part.
    for (const trace of traces) {
      for (const note of trace.skipped) expect(note, trace.file).toMatch(/^read the last of \d+ episodes/);
    }
  });
});
