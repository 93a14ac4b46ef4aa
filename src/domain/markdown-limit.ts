// Fits markdown under a GitHub size limit without breaking it: cut at a line boundary, close an open code fence
// and open <details>, then add a note pointing at the full report. Pure.

export type Measure = 'chars' | 'bytes';

/** GitHub's limits: PR and issue bodies (characters), check-run summary (treated as UTF-8 bytes), job summary (bytes). */
export const PR_BODY_LIMIT = 65_536;
export const COMMENT_LIMIT = 65_536;
export const CHECK_SUMMARY_LIMIT = 65_535;
export const JOB_SUMMARY_LIMIT = 1_048_576;

export function sizeOf(text: string, measure: Measure): number {
  // String length counts UTF-16 units, which is never less than the code points GitHub counts.
  return measure === 'bytes' ? Buffer.byteLength(text, 'utf8') : text.length;
}

interface OpenState {
  fence?: string;
  details: number;
}

function scan(lines: string[]): OpenState {
  const state: OpenState = { details: 0 };
  for (const line of lines) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (state.fence) {
      if (marker && marker[0] === state.fence[0] && marker.length >= state.fence.length && line.trim() === marker) state.fence = undefined;
      continue;
    }
    if (marker) {
      state.fence = marker;
      continue;
    }
    state.details += (line.match(/<details\b/gi) ?? []).length;
    state.details -= (line.match(/<\/details>/gi) ?? []).length;
    if (state.details < 0) state.details = 0;
  }
  return state;
}

function closing(state: OpenState): string {
  const parts: string[] = [];
  if (state.fence) parts.push(state.fence);
  for (let i = 0; i < state.details; i += 1) parts.push('</details>');
  return parts.length > 0 ? parts.join('\n') + '\n' : '';
}

/**
 * Returns `text` when it fits in `limit`; otherwise the longest prefix of whole lines that fits together with
 * the closers it needs and the `note` (e.g. "Truncated: full report at <link>").
 */
export function truncateMarkdown(text: string, limit: number, measure: Measure, note: string): string {
  if (sizeOf(text, measure) <= limit) return text;
  const tail = `\n---\n> ✂️ ${note}\n`;
  const lines = text.split('\n');
  // Binary search the number of whole lines kept (size grows with the count; closers are tiny and bounded).
  let low = 0;
  let high = lines.length;
  const build = (count: number) => {
    const kept = lines.slice(0, count);
    const body = kept.join('\n') + (count > 0 ? '\n' : '');
    return body + closing(scan(kept)) + tail;
  };
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (sizeOf(build(mid), measure) <= limit) low = mid;
    else high = mid - 1;
  }
  const result = build(low);
  if (sizeOf(result, measure) <= limit) return result;
  // Not even the note fits: hard cut on a code point boundary.
  let cut = '';
  for (const ch of tail) {
    if (sizeOf(cut + ch, measure) > limit) break;
    cut += ch;
  }
  return cut;
}

/** Neutralises untrusted text (traces, model output, names) placed in GitHub markdown prose: mentions, issue
 * references, HTML, image/link syntax and code fences all render as plain text. */
export function neutralizeUntrusted(text: string): string {
  return neutralizeProse(text);
}

/** A fenced block whose fence is longer than any backtick run inside, so the text cannot close it. */
export function fencedText(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const bar = '`'.repeat(longest + 1);
  return `${bar}${lang}\n${text.replace(/\n$/, '')}\n${bar}`;
}

// Lines of HTML the report renderers emit on purpose (whole lines only); every other tag is shown as text.
const RENDERER_HTML_LINE = /^(<details><summary>[^<>`]*<\/summary>|<\/details>)$/;

/** For plain text GitHub still links (commit messages): mentions and issue references only. */
export function neutralizeReferences(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9-])/g, '@\u200b').replace(/#(?=\d)/g, '#\u200b');
}

/** Inline-untrusted neutralisation for one piece of text outside code: mentions, references, HTML, links, fences. */
function neutralizeProse(text: string): string {
  // `#12` and `owner/repo#12` would cross-reference (and notify) other issues.
  return (
    neutralizeReferences(text)
      .replace(/<(?=\/?[A-Za-z!?])/g, '&lt;')
      // Images and links: `![x](u)` would embed a tracking pixel, `[x](u)` disguise a link.
      .replace(/([!]?)\[/g, (_m, bang: string) => `${bang ? '\\!' : ''}\\[`)
      .replace(/`/g, '\\`')
      .replace(/~{3,}/g, (run) => `\\${run}`)
  );
}

/**
 * Makes a whole report safe to post on GitHub when parts of it came from models, traces, tasks or episodes.
 * Fences that open at column 0 are the renderer's own (it makes them longer than any backtick run inside, so their
 * content cannot close them) and are left as they are; inline code spans stay code; everything else is prose and
 * loses mentions, issue references, HTML (except the renderer's whole-line <details>/<summary>), image/link syntax
 * and stray fences.
 */
export function sanitizeReportMarkdown(markdown: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    if (fence) {
      out.push(line);
      if (line.trimEnd() === fence) fence = undefined;
      continue;
    }
    const opener = /^(`{3,})[\w-]*\s*$/.exec(line)?.[1];
    if (opener) {
      fence = opener;
      out.push(line);
      continue;
    }
    out.push(RENDERER_HTML_LINE.test(line) ? line : sanitizeLine(line));
  }
  return out.join('\n');
}

/** One prose line: code spans (matched backtick runs) are kept, the rest neutralised. */
function sanitizeLine(line: string): string {
  let result = '';
  let rest = line;
  const span = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/;
  for (let m = span.exec(rest); m; m = span.exec(rest)) {
    result += neutralizeProse(rest.slice(0, m.index)) + m[0];
    rest = rest.slice(m.index + m[0].length);
  }
  return result + neutralizeProse(rest);
}
