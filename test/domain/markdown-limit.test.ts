import { describe, expect, it } from 'vitest';
import { fencedText, neutralizeReferences, neutralizeUntrusted, sanitizeReportMarkdown, sizeOf, truncateMarkdown } from '../../src/domain/markdown-limit.js';

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
    expect(
      body
        .split('\n')
        .slice(3, -2)
        .every((l) => /^\+ ligne \d+ — évaluée ✓$/.test(l)),
    ).toBe(true);
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

  it('breaks issue references, images, links, code spans and fences', () => {
    expect(neutralizeUntrusted('fixes #12 and o/r#3')).toBe('fixes #\u200b12 and o/r#\u200b3');
    expect(neutralizeUntrusted('![p](https://x.test/p.png) [click](https://x.test)')).toBe('\\!\\[p](https://x.test/p.png) \\[click](https://x.test)');
    expect(neutralizeUntrusted('```js')).toBe('\\`\\`\\`js');
    expect(neutralizeUntrusted('~~~~ x')).toBe('\\~~~~ x');
    expect(neutralizeUntrusted('<!-- hidden -->')).toBe('&lt;!-- hidden -->');
  });

  it('leaves plain text alone', () => {
    expect(neutralizeUntrusted('p < 0.05, 3 > 2, a@ b, #x')).toBe('p < 0.05, 3 > 2, a@ b, #x');
    expect(neutralizeReferences('`code` <b> @me #1')).toBe('`code` <b> @\u200bme #\u200b1');
  });
});

describe('sanitizeReportMarkdown', () => {
  it("keeps the renderer's fences, code spans and whole-line details, and neutralises the prose around them", () => {
    const report = [
      '## verdict',
      '<details><summary>Harness change</summary>',
      '',
      fencedText('+ ``` @inside <b>', 'diff'),
      '',
      '</details>',
      '- evidence: `` @code <b> ``',
      '  - diagnosis: ``` cc @team <img src=x> </details>',
    ].join('\n');
    expect(sanitizeReportMarkdown(report).split('\n')).toEqual([
      '## verdict',
      '<details><summary>Harness change</summary>',
      '',
      '````diff',
      '+ ``` @inside <b>',
      '````',
      '',
      '</details>',
      '- evidence: `` @code <b> ``',
      '  - diagnosis: \\`\\`\\` cc @\u200bteam &lt;img src=x> &lt;/details>',
    ]);
  });

  it('is idempotent on text without anything to neutralise', () => {
    const text = '## ok\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';
    expect(sanitizeReportMarkdown(text)).toBe(text);
  });
});
