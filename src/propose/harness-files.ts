// Reading the current harness files for a proposer, and picking the file a remedy belongs in.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { HarnessSurface } from '../harness/surface.js';

export interface HarnessFileText {
  /** Relative to the harness root, posix. */
  file: string;
  content: string;
  /** True when `content` was cut to the cap (the model sees a note and must not edit the cut part). */
  truncated: boolean;
}

const TEXT_EXTENSIONS = new Set(['.md', '.markdown', '.txt', '.j2', '.jinja', '.jinja2', '.prompt', '.tmpl', '.mustache']);

/** The surface's text files under `harnessRoot`, each capped to `maxFileChars`, at most `maxTotalChars` in all; binary files are skipped. */
export async function readHarnessFiles(
  surface: HarnessSurface,
  harnessRoot: string,
  caps: { maxFileChars: number; maxTotalChars: number } = { maxFileChars: Infinity, maxTotalChars: Infinity },
): Promise<{ files: HarnessFileText[]; omitted: string[] }> {
  const files: HarnessFileText[] = [];
  const omitted: string[] = [];
  let total = 0;
  for (const file of await surface.listFiles(harnessRoot)) {
    let content: string;
    try {
      content = await readFile(path.join(harnessRoot, file), 'utf8');
    } catch {
      continue;
    }
    if (content.includes('\0')) continue;
    const room = Math.min(caps.maxFileChars, caps.maxTotalChars - total);
    if (room <= 200 && content.length > room) {
      omitted.push(file);
      continue;
    }
    const truncated = content.length > room;
    const shown = truncated ? content.slice(0, room) : content;
    total += shown.length;
    files.push({ file, content: shown, truncated });
  }
  return { files, omitted };
}

export function isTextFile(file: string): boolean {
  return TEXT_EXTENSIONS.has(path.posix.extname(file).toLowerCase());
}

/** The system prompt file: system*.md first, then prompt*, then AGENTS.md/CLAUDE.md, then any text file named *prompt*. */
export function pickPromptFile(files: string[]): string | undefined {
  const text = files.filter(isTextFile);
  const base = (f: string) => path.posix.basename(f).toLowerCase();
  const ranked: ((f: string) => boolean)[] = [
    (f) => /^system/.test(base(f)),
    (f) => /^prompt/.test(base(f)),
    (f) => /^(agents|claude|gemini)\.md$/.test(base(f)),
    (f) => /prompt|instruction/.test(base(f)),
  ];
  for (const test of ranked) {
    const hit = text.filter(test).sort(byDepthThenName)[0];
    if (hit) return hit;
  }
  return undefined;
}

/** The recovery file whose name has the earliest of `keywords`; undefined when none matches. */
export function pickRecoveryFile(files: string[], keywords: string[]): string | undefined {
  const recovery = files.filter((f) => isTextFile(f) && /recover/i.test(f)).sort(byDepthThenName);
  for (const keyword of keywords) {
    const hit = recovery.find((f) => path.posix.basename(f).toLowerCase().replace(/_/g, '-').includes(keyword));
    if (hit) return hit;
  }
  return undefined;
}

/** Any recovery text file (a fallback when there is no system prompt). */
export function anyRecoveryFile(files: string[]): string | undefined {
  return files.filter((f) => isTextFile(f) && /recover/i.test(f)).sort(byDepthThenName)[0];
}

function byDepthThenName(a: string, b: string): number {
  return a.split('/').length - b.split('/').length || a.localeCompare(b);
}

/** Lower-cased with runs of whitespace collapsed: how "the remedy text is already present" is compared. */
export function normalizeForMatch(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}
