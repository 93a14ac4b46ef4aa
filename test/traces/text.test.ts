import { describe, expect, it } from 'vitest';
import { stepText, truncateMiddle } from '../../src/traces/text.js';
import type { TraceStep } from '../../src/traces/model.js';

describe('truncateMiddle', () => {
  it('leaves short text alone', () => {
    expect(truncateMiddle('hello', 5)).toBe('hello');
  });

  it('keeps head and tail with the exact number of omitted characters, within the limit', () => {
    const text = 'a'.repeat(500) + 'MIDDLE' + 'z'.repeat(500);
    const out = truncateMiddle(text, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    const match = /^(a+)…\[(\d+) chars omitted\]…(z+)$/.exec(out)!;
    expect(match).not.toBeNull();
    expect(match[1].length + Number(match[2]) + match[3].length).toBe(text.length);
    expect(out).not.toContain('MIDDLE');
  });

  it('never exceeds the limit, even when the limit is smaller than the marker', () => {
    for (const limit of [0, 3, 10, 20, 21, 22, 23, 50, 999]) {
      expect(truncateMiddle('x'.repeat(1000) + 'y'.repeat(1000), limit).length).toBeLessThanOrEqual(limit);
    }
  });
});

describe('stepText', () => {
  it('renders message, reasoning, tool calls and observations compactly', () => {
    const step: TraceStep = {
      id: '3',
      index: 3,
      source: 'agent',
      message: 'Running tests',
      reasoning: 'check first',
      toolCalls: [{ id: 'c', name: 'bash', arguments: '{"cmd":"npm test"}' }],
      observations: [{ callId: 'c', content: '1 failing\n', exitCode: 1, isError: true }, { content: 'ok' }],
    };
    expect(stepText(step)).toBe('[agent] Running tests\nthinking: check first\n→ bash({"cmd":"npm test"})\n← [exit 1, error] 1 failing\n← ok');
  });

  it('truncates long fields in the middle', () => {
    const step: TraceStep = { id: '1', index: 1, source: 'tool', toolCalls: [], observations: [{ content: 'h'.repeat(3000) + 't'.repeat(3000) }] };
    const text = stepText(step, 200);
    expect(text.startsWith('[tool]\n← hhh')).toBe(true);
    expect(text.endsWith('ttt')).toBe(true);
    expect(text).toMatch(/chars omitted/);
    expect(text.length).toBeLessThan(220);
  });
});
