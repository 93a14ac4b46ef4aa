import { truncateMiddle } from '../traces/text.js';

// Token estimate for budgets: one token per 4 characters of each word, one per symbol. This is a little above
// what BPE tokenizers count for code and logs (where chars/4 underestimates), so budgets hold.
export function estimateTokens(text: string): number {
  let tokens = 0;
  let word = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const isWord = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (isWord) {
      word++;
      continue;
    }
    if (word > 0) {
      tokens += Math.ceil(word / 4);
      word = 0;
    }
    if (c !== 32) tokens++;
  }
  if (word > 0) tokens += Math.ceil(word / 4);
  return tokens;
}

/** The longest prefix-and-suffix cut of `text` (head + marker + tail) whose estimate fits `maxTokens`. */
export function fitTokens(text: string, maxTokens: number): string {
  if (estimateTokens(text) <= maxTokens) return text;
  if (maxTokens <= 0) return '';
  let low = 0;
  let high = text.length;
  let best = '';
  while (low <= high) {
    const mid = (low + high) >> 1;
    const candidate = truncateMiddle(text, mid);
    if (estimateTokens(candidate) <= maxTokens) {
      best = candidate;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return best;
}
