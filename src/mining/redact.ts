// Secret redaction: applied to every piece of trace text before it is written to disk or sent to a model.
// Pattern rules catch well-known credential shapes; literal rules catch the actual values of secret-looking
// environment variables (the caller passes them: the miner itself never reads the environment).
import { MIN_LITERAL_LENGTH, secretValuesFromEnv } from '../domain/secrets.js';

export type Redactor = (text: string) => string;

interface PatternRule {
  kind: string;
  pattern: RegExp;
  /** Replacement; `$1` etc. may keep a non-secret prefix such as a header name. */
  replace: string;
}

const PATTERN_RULES: PatternRule[] = [
  { kind: 'private-key', pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|$)/g, replace: '[REDACTED:private-key]' },
  { kind: 'authorization', pattern: /\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?)[^\r\n"']+/gi, replace: '$1[REDACTED:authorization]' },
  { kind: 'bearer', pattern: /\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, replace: '$1[REDACTED:token]' },
  { kind: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{20,})/g, replace: '[REDACTED:github-token]' },
  { kind: 'api-key', pattern: /\bsk-[A-Za-z0-9_-]{16,}/g, replace: '[REDACTED:api-key]' },
  { kind: 'aws-key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replace: '[REDACTED:aws-key]' },
  { kind: 'slack-token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replace: '[REDACTED:slack-token]' },
  { kind: 'google-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, replace: '[REDACTED:api-key]' },
  // NAME=value, NAME: value, "name": "value" where the name looks like a secret.
  {
    kind: 'assignment',
    pattern: /\b([A-Za-z0-9_.-]*(?:api[_-]?key|access[_-]?key|secret|token|password|passwd|passphrase)[A-Za-z0-9_.-]*["']?\s*[:=]\s*["']?)(?!\[REDACTED)([^\s"',;}]{4,})/gi,
    replace: '$1[REDACTED:secret]',
  },
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds a redactor for the well-known secret shapes plus the given literal values. */
export function createRedactor(secretValues: readonly string[] = []): Redactor {
  const literals = [...new Set(secretValues.map((v) => v.trim()).filter((v) => v.length >= MIN_LITERAL_LENGTH))]
    .sort((a, b) => b.length - a.length);
  const literalPattern = literals.length > 0 ? new RegExp(literals.map(escapeRegExp).join('|'), 'g') : undefined;
  return (text: string): string => {
    if (!text) return text;
    let out = literalPattern ? text.replace(literalPattern, '[REDACTED:env]') : text;
    for (const rule of PATTERN_RULES) out = out.replace(rule.pattern, rule.replace);
    return out;
  };
}

/** A redactor with the pattern rules only. */
export const redactPatterns: Redactor = createRedactor();

/**
 * The secret-looking values of this process's environment: the default literal set when a caller of the miner
 * passes none, so that forgetting to pass them can never send a key to a model in clear.
 */
export function environmentSecrets(): string[] {
  return secretValuesFromEnv(process.env);
}
