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

/** Neutralises @mentions and raw HTML in untrusted text (traces, model output) placed in GitHub markdown. */
export function neutralizeUntrusted(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9-])/g, '@\u200b').replace(/<(?=\/?[A-Za-z!])/g, '&lt;');
}
