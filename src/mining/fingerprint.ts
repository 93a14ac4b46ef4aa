// Normalises a decisive error text into a fingerprint: the parts that differ between occurrences of the
// same failure (numbers, paths, ids, hex, timestamps, quoted literals) are replaced by placeholders.

export const FINGERPRINT_MAX_CHARS = 160;

const RULES: [RegExp, string][] = [
  [/\bhttps?:\/\/[^\s"'`<>)]+/gi, '<url>'],
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g, '<ts>'],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<ts>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>'],
  // Quoted literals, when the quote is not part of a word (so "don't" and "it's" survive).
  [/(?<![\w\\])"(?:[^"\\\n]|\\.){0,200}"(?!\w)/g, '<str>'],
  [/(?<![\w\\])'[^'\n]{0,200}'(?!\w)/g, '<str>'],
  [/`[^`\n]{0,200}`/g, '<str>'],
  [/\b[A-Za-z]:\\[^\s"'`<>:|?*]+/g, '<path>'],
  [/(?<![\w:/<>.])(?:~|\.{1,2})?\/[\w.@%+~=-]+(?:\/[\w.@%+~=-]*)*/g, '<path>'],
  // Relative paths (a/b/c) and bare file names with a common extension.
  [/(?<![\w<])[\w.-]+(?:\/[\w.@%+~=-]+)+\/?/g, '<path>'],
  [
    /\b[\w-]+(?:\.[\w-]+)*\.(?:txt|csv|tsv|json|jsonl|ya?ml|toml|ini|cfg|conf|env|py|js|mjs|cjs|ts|tsx|sh|bash|rb|go|rs|java|c|h|cpp|hpp|md|rst|log|xml|html?|css|sql|db|sqlite|tar|gz|tgz|zip|bz2|xz|lock|out|err|pid|pem|key|crt|png|jpe?g|gif|pdf)\b/gi,
    '<path>',
  ],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,}\b/gi, '<hex>'],
  // Long tokens that mix letters and digits: request ids, container names, random suffixes.
  [/\b(?=[A-Za-z0-9_-]*[A-Za-z])(?=[A-Za-z0-9_-]*\d[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{12,}\b/g, '<id>'],
  [/[-+]?\b\d+(?:\.\d+)?(?:e[-+]?\d+)?\b/gi, '<n>'],
  // A run of the same placeholder (a list of numbers, several paths) is one placeholder.
  [/<(n|path|str|id|hex|ts|url)>(?:[\s,;:]*<\1>)+/g, '<$1>'],
];

/** The fingerprint of a decisive text: placeholders for variable parts, whitespace folded, lower case, capped. */
export function fingerprint(text: string, maxChars = FINGERPRINT_MAX_CHARS): string {
  let out = text.length > 4 * maxChars ? text.slice(0, 4 * maxChars) : text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  out = out.replace(/\s+/g, ' ').trim().toLowerCase();
  if (out.length > maxChars)
    out = out
      .slice(0, maxChars)
      .replace(/\s+\S*$/, '')
      .trimEnd();
  return out;
}

/** The general part of an error message: `general clause: details` keeps the clause when it says enough. */
export function headline(message: string): string {
  // A trailing parenthetical usually names the instance (the command, the file): not part of the pattern.
  const firstLine = (message.trim().split(/\r?\n/, 1)[0] ?? '').replace(/\s*\([^()]*\)\s*$/, '');
  const colon = firstLine.indexOf(': ');
  if (colon >= 24) return firstLine.slice(0, colon);
  return firstLine;
}
