// The bot PR body and the check summary of a fixture report, rendered as GitHub renders them (GFM + Mermaid) in a
// real headless Chromium, in the light and the dark theme: every Mermaid block parses and draws, chart lines stand
// out from both backgrounds, and a screenshot is written (SELF_HARNESS_UPDATE_PREVIEW=1 also refreshes docs/pr-preview.png).
import { copyFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPullBody } from '../../src/report/pr-body.js';
import { renderEvolveMarkdown } from '../../src/report/markdown.js';
import { verdictCheck } from '../../src/action/check.js';
import type { JobEnv } from '../../src/action/job.js';
import { repoRoot } from '../helpers/cli.js';
import { evolveResult, trend, validation } from './preview-fixture.js';
import { contrast, openBrowser, renderPreview, THEMES, type Theme } from './render-preview.js';

const markdown = renderEvolveMarkdown(evolveResult, { reproduce: 'node self-harness/dist/cli.js evolve --rounds 2', baselineRate: 0.353 });
const prBody = renderPullBody({
  result: { ...evolveResult, markdown, reportPath: '/home/runner/work/_temp/evolve.json' },
  commit: 'd'.repeat(40),
  target: 'main',
  trigger: 'schedule event',
  runUrl: 'https://github.com/octo-org/agent/actions/runs/42',
  trend,
});
const settings = { inconclusiveConclusion: 'failure', commandPrefix: '/self-harness', maxAnnotations: 50 } as JobEnv['settings'];
const check = verdictCheck({ settings }, validation, markdown, evolveResult.changedFiles, 'Full report: the job summary.', 8);
const sections = [
  { title: 'Pull request body', markdown: prBody },
  { title: `Check run: ${check.title}`, markdown: check.summary },
];

let browser: Awaited<ReturnType<typeof openBrowser>>;
const shots = mkdtempSync(path.join(os.tmpdir(), 'sh-preview-'));

beforeAll(async () => {
  browser = await openBrowser();
}, 30_000);
afterAll(async () => {
  await browser?.close();
});

describe('the rendered preview of a bot PR', () => {
  for (const theme of ['light', 'dark'] as Theme[]) {
    it(`draws every Mermaid block of the PR body and check summary, readable in the ${theme} theme`, async () => {
      const screenshot = path.join(shots, `pr-preview-${theme}.png`);
      const rendered = await renderPreview(browser.context, sections, theme, screenshot);
      expect(rendered.mermaidErrors).toEqual([]);
      // The trend across runs in the PR body, the rounds chart in the check summary.
      expect(rendered.diagrams).toBe(2);
      expect(rendered.lineColors.length).toBeGreaterThanOrEqual(2);
      for (const colour of rendered.lineColors) expect(contrast(colour, THEMES[theme].background), colour).toBeGreaterThanOrEqual(3);
      expect(rendered.headings.slice(0, 2)).toEqual(['The change', 'Pass rate across runs']);
      console.log(`preview (${theme}): ${screenshot}`);
      if (theme === 'light' && process.env.SELF_HARNESS_UPDATE_PREVIEW === '1') {
        const bodyOnly = path.join(shots, 'pr-body-light.png');
        await renderPreview(browser.context, sections.slice(0, 1), theme, bodyOnly);
        copyFileSync(bodyOnly, path.join(repoRoot, 'docs', 'pr-preview.png'));
      }
    }, 30_000);
  }

  it('fails on a Mermaid syntax error, naming it', async () => {
    const broken = ['```mermaid', 'xychart-beta', '  x-axis ["a", "b"]', '  line [1, 2,', '```'].join('\n');
    const rendered = await renderPreview(browser.context, [{ title: 'broken', markdown: `${prBody}\n${broken}\n` }], 'light');
    expect(rendered.mermaidErrors).toHaveLength(1);
    expect(rendered.mermaidErrors[0]).toMatch(/parse error|expecting|syntax/i);
  }, 30_000);
});
