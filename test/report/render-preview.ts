// Renders markdown as a reviewer sees it on GitHub: GFM to HTML (marked), Mermaid blocks drawn by the mermaid
// package's own dist file, in Debian's headless Chromium driven by playwright-core (never a downloaded browser).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Marked } from 'marked';
import { chromium, type BrowserContext } from 'playwright-core';
import { repoRoot } from '../helpers/cli.js';

export const CHROMIUM = '/usr/bin/chromium';
const MERMAID_DIST = path.join(repoRoot, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');

/** The flags this machine's closed network needs (docs of the machine: no background connections, no GPU). */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type Theme = 'light' | 'dark';

/** GitHub's page and text colours in each theme, and the Mermaid theme GitHub draws diagrams with. */
export const THEMES: Record<Theme, { background: string; text: string; border: string; code: string; mermaid: string }> = {
  light: { background: '#ffffff', text: '#1f2328', border: '#d1d9e0', code: '#f6f8fa', mermaid: 'default' },
  dark: { background: '#0d1117', text: '#e6edf3', border: '#3d444d', code: '#151b23', mermaid: 'dark' },
};

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** GFM to HTML; a ```mermaid block becomes a `<pre class="mermaid">` for Mermaid to draw, as GitHub does. */
export function gfmToHtml(markdown: string): string {
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      code(token) {
        return token.lang === 'mermaid' ? `<pre class="mermaid">${escapeHtml(token.text)}</pre>\n` : false;
      },
    },
  });
  return marked.parse(markdown, { async: false });
}

function page(sections: { title: string; markdown: string }[], theme: Theme): string {
  const t = THEMES[theme];
  const css = `
    body { background: ${t.background}; color: ${t.text}; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; margin: 0; padding: 16px 24px; }
    .markdown-body { max-width: 880px; border: 1px solid ${t.border}; border-radius: 6px; padding: 16px 24px; margin-bottom: 24px; }
    .label { font-weight: 600; color: ${t.text}; opacity: 0.7; margin: 0 0 4px; }
    table { border-collapse: collapse; display: block; overflow: auto; margin: 0 0 16px; }
    th, td { border: 1px solid ${t.border}; padding: 6px 13px; }
    code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 85%; background: ${t.code}; border-radius: 6px; }
    code { padding: 0.2em 0.4em; }
    pre { padding: 16px; overflow: auto; }
    pre code { padding: 0; background: transparent; }
    pre.mermaid { background: transparent; text-align: center; }
    a { color: ${theme === 'light' ? '#0969da' : '#4493f8'}; }
    blockquote { border-left: 4px solid ${t.border}; margin: 0; padding: 0 16px; }
  `;
  const body = sections.map((s) => `<p class="label">${escapeHtml(s.title)}</p><article class="markdown-body">${gfmToHtml(s.markdown)}</article>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head><body>${body}</body></html>`;
}

export interface Rendered {
  /** One message per Mermaid block that failed to parse. */
  mermaidErrors: string[];
  /** Diagrams drawn (an `<svg>` each). */
  diagrams: number;
  /** Stroke colours of the drawn chart lines. */
  lineColors: string[];
  /** The first `<h3>` texts, in order (what a reader scans). */
  headings: string[];
}

/** A browser for a test file; close it in afterAll. Fails with what to do when Chromium is not installed. */
export async function openBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium); .ci/run does.`);
  const profile = mkdtempSync(path.join(os.tmpdir(), 'sh-preview-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    args: FLAGS,
    viewport: { width: 960, height: 900 },
    deviceScaleFactor: 1,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Renders the sections in one page of `theme`, draws its Mermaid blocks, optionally writes a full-page screenshot. */
export async function renderPreview(
  context: BrowserContext,
  sections: { title: string; markdown: string }[],
  theme: Theme,
  screenshot?: string,
): Promise<Rendered> {
  const tab = await context.newPage();
  try {
    await tab.setContent(page(sections, theme));
    await tab.addScriptTag({ path: MERMAID_DIST });
    const mermaidErrors = await tab.evaluate(async (mermaidTheme) => {
      const mermaid = (globalThis as unknown as { mermaid: { initialize(c: object): void; parse(t: string): Promise<unknown>; run(o: object): Promise<void> } })
        .mermaid;
      mermaid.initialize({ startOnLoad: false, theme: mermaidTheme, securityLevel: 'strict' });
      const errors: string[] = [];
      const blocks = [...document.querySelectorAll('pre.mermaid')];
      for (const block of blocks) {
        try {
          await mermaid.parse(block.textContent ?? '');
        } catch (error) {
          errors.push(
            String((error as Error).message ?? error)
              .split('\n')
              .slice(0, 4)
              .join(' '),
          );
        }
      }
      if (errors.length === 0 && blocks.length > 0) await mermaid.run({ querySelector: 'pre.mermaid' });
      return errors;
    }, THEMES[theme].mermaid);
    const facts = await tab.evaluate(() => ({
      diagrams: document.querySelectorAll('pre.mermaid svg').length,
      lineColors: [...document.querySelectorAll('pre.mermaid svg [class*="line-plot"] path')].map((p) => p.getAttribute('stroke') ?? ''),
      headings: [...document.querySelectorAll('h3')].map((h) => h.textContent ?? ''),
    }));
    if (screenshot) await tab.screenshot({ path: screenshot, fullPage: true });
    return { mermaidErrors, ...facts };
  } finally {
    await tab.close();
  }
}

/** WCAG contrast ratio of two `#rrggbb` colours. */
export function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}
