import { describe, expect, it } from 'vitest';
import { neutralizeUntrusted, sizeOf, truncateMarkdown } from '../../src/domain/markdown-limit.js';

describe('truncateMarkdown', () => {
  it('returns text that fits unchanged', () => {
    expect(truncateMarkdown('short\n', 100, 'chars', 'note')).toBe('short\n');
  });

  it('cuts at a line boundary, closes an open code fence and adds the note, within the byte limit', () => {
    const lines = ['# Report', '', '````diff'];
    for (let i = 0; i < 500; i += 1) lines.push(`+ ligne ${i} — évaluée ✓`);
    lines.push('````', 'after');
    const text = lines.join('\n');
    const cut = truncateMarkdown(text, 4000, 'bytes', 'Full report: https://x/run');
    expect(sizeOf(cut, 'bytes')).toBeLessThanOrEqual(4000);
    expect(sizeOf(cut, 'bytes')).toBeGreaterThan(3800);
    const body = cut.split('\n---\n')[0]!;
    expect(body.endsWith('````\n')).toBe(true);
    expect(body.split('\n').slice(3, -2).every((l) => /^\+ ligne \d+ — évaluée ✓$/.test(l))).toBe(true);
    expect(cut).toMatch(/> ✂️ Full report: https:\/\/x\/run\n$/);
  });

  it('closes open <details> blocks outside code', () => {
    const text = ['<details><summary>Report</summary>', '', ...Array.from({ length: 200 }, (_, i) => `row ${i}`), '</details>'].join('\n');
    const cut = truncateMarkdown(text, 500, 'chars', 'cut');
    expect(cut).toContain('</details>\n\n---');
    expect(cut.length).toBeLessThanOrEqual(500);
  });

  it('counts bytes, not characters, for multibyte text', () => {
    const text = '評'.repeat(30_000);
    expect(text.length).toBeLessThan(65_535);
    const cut = truncateMarkdown(text, 65_535, 'bytes', 'cut');
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(65_535);
  });

  it('hard-cuts when not even the note fits', () => {
    expect(sizeOf(truncateMarkdown('x'.repeat(50), 10, 'chars', 'a long note that does not fit'), 'chars')).toBeLessThanOrEqual(10);
  });
});

describe('neutralizeUntrusted', () => {
  it('breaks @mentions and raw HTML tags', () => {
    expect(neutralizeUntrusted('ping @octocat <img src=x>')).toBe('ping @\u200boctocat &lt;img src=x>');
  });
});
