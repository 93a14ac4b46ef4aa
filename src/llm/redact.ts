// Secret redaction, the one rule set: applied to trace text, evidence, diagnoses and harness file contents before
// any model request (the model transport runs `redactDeep` on every outgoing message) and by the GitHub side before
// anything is posted. Three layers: secretlint's maintained recommended preset (provider tokens, connection strings,
// private keys; async), our pattern rules for the shapes it leaves out (JWTs, bearer headers, webhooks, `password
// hunter2`, secret-named assignments), and the literal values of secret-looking env vars.

import { lintSource } from '@secretlint/core';
import { creator as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import { isSecretEnv, MIN_LITERAL_LENGTH, secretValuesFromEnv } from '../domain/secrets.js';

export { isSecretEnv, secretValuesFromEnv };

export type Redactor = (text: string) => string;

interface PatternRule {
  kind: string;
  pattern: RegExp;
  /** Replacement; `$1` etc. may keep a non-secret prefix such as a header name. */
  replace: string;
}

const token = (kind: string, pattern: RegExp): PatternRule => ({ kind, pattern, replace: `[REDACTED:${kind}]` });

/** Ordered: whole-structure rules (keys, URLs) before token shapes, generic assignments last. */
export const PATTERN_RULES: readonly PatternRule[] = [
  token('private-key', /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|$)/g),
  // scheme://user:password@host keeps the user and host; a Sentry-style DSN (key@host) loses its key.
  { kind: 'url-password', pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"'<>]+:)([^\s@/"'<>]+)(@)/gi, replace: '$1[REDACTED:password]$3' },
  { kind: 'dsn', pattern: /\b(https?:\/\/)[0-9a-f]{32}(?::[0-9a-f]{32})?(@)/gi, replace: '$1[REDACTED:dsn]$2' },
  token('webhook', /\bhttps:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/+-]{16,}/g),
  token('webhook', /\bhttps:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/[\w-]{20,}/g),
  token('webhook', /\bhttps:\/\/[a-z0-9-]+\.webhook\.office\.com\/[^\s"'<>]{20,}/gi),
  { kind: 'authorization', pattern: /\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?)[^\r\n"']+/gi, replace: '$1[REDACTED:authorization]' },
  { kind: 'bearer', pattern: /\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, replace: '$1[REDACTED:token]' },
  token('jwt', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g),
  token('github-token', /\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{20,})/g),
  token('gitlab-token', /\bgl(?:pat|dt|rt|ptt|cbt|imt|oas|ft|soat|agent|ffct|wt)-[A-Za-z0-9_-]{20,}/g),
  token('api-key', /\bsk-[A-Za-z0-9_-]{16,}/g),
  token('stripe-key', /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/g),
  token('huggingface-token', /\b(?:hf_[A-Za-z0-9]{30,}|api_org_[A-Za-z0-9]{30,})/g),
  token('npm-token', /\bnpm_[A-Za-z0-9]{36}\b/g),
  token('pypi-token', /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{40,}/g),
  token('aws-key', /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g),
  { kind: 'azure-key', pattern: /\b((?:AccountKey|SharedAccessKey|sig)=)[A-Za-z0-9+/%=]{30,}/g, replace: '$1[REDACTED:azure-key]' },
  token('slack-token', /\bxox[abposre]-[A-Za-z0-9-]{10,}/g),
  token('google-key', /\bAIza[0-9A-Za-z_-]{35}\b/g),
  token('google-oauth', /\bya29\.[0-9A-Za-z_-]{20,}/g),
  token('sendgrid-key', /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g),
  token('twilio-key', /\bSK[0-9a-f]{32}\b/g),
  token('digitalocean-token', /\bdo[por]_v1_[a-f0-9]{64}\b/g),
  token('shopify-token', /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g),
  token('databricks-token', /\bdapi[a-f0-9]{32}\b/g),
  token('linear-key', /\blin_api_[A-Za-z0-9]{40}\b/g),
  // NAME=value, NAME: value, "name": "value" where the name looks like a secret.
  {
    kind: 'assignment',
    pattern:
      /\b([A-Za-z0-9_.-]*(?:api[_-]?key|access[_-]?key|secret|token|password|passwd|passphrase|pwd|dsn|auth(?![a-z])|credentials?|private[_-]?key)[A-Za-z0-9_.-]*["']?\s*[:=]\s*["']?)(?!\[REDACTED)([^\s"',;}]{4,})/gi,
    replace: '$1[REDACTED:secret]',
  },
  // "password hunter2", "the password is hunter2-x": a value with a digit or symbol after the word.
  {
    kind: 'password',
    pattern: /\b(pass(?:word|wd|phrase)?\s+(?:is\s+|was\s+)?)(?!\[REDACTED)(?=[^\s"',;}]*[\d_!@#$%^&*+=?~.-])([^\s"',;}]{4,})/gi,
    replace: '$1[REDACTED:password]',
  },
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds a redactor for the well-known secret shapes plus the given literal values. */
export function createRedactor(secretValues: readonly string[] = []): Redactor {
  const literals = [...new Set(secretValues.map((v) => v.trim()).filter((v) => v.length >= MIN_LITERAL_LENGTH))].sort((a, b) => b.length - a.length);
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

let processRedactor: { values: string; redact: Redactor } | undefined;

/**
 * Redacts `text` with every pattern rule and the secret-looking values of this process's environment: the one
 * function to call before text leaves the machine (model requests, check runs, PR bodies, comments).
 */
export function redact(text: string): string {
  // The environment is read on every call (it may change); the compiled redactor is reused while it does not.
  const values = secretValuesFromEnv(process.env);
  const key = values.join('\u0000');
  if (processRedactor?.values !== key) processRedactor = { values: key, redact: createRedactor(values) };
  return processRedactor.redact(text);
}

/**
 * The secret-looking values of this process's environment: the default literal set when a caller of the miner
 * passes none, so that forgetting to pass them can never send a key to a model in clear.
 */
export function environmentSecrets(): string[] {
  return secretValuesFromEnv(process.env);
}

const PRESET_ID = '@secretlint/secretlint-rule-preset-recommend';
/** Untrusted text must not switch the scanner off: its comment directives are defused (same length, so ranges hold). */
const DIRECTIVE = /secretlint-(disable|enable)/gi;

/** The ranges secretlint's recommended preset reports in `text`, each with the short name of its rule. */
export async function libraryFindings(text: string): Promise<{ range: [number, number]; kind: string }[]> {
  if (!text) return [];
  const result = await lintSource({
    source: { content: text.replace(DIRECTIVE, 'secretlint_$1'), filePath: 'untrusted.txt', ext: '.txt', contentType: 'text' },
    options: { config: { rules: [{ id: PRESET_ID, rule: recommendedRules }] }, noPhysicFilePath: true },
  });
  return result.messages.map((message) => ({
    range: [message.range[0], message.range[1]] as [number, number],
    kind: message.ruleId.replace(/^@secretlint\/secretlint-rule-/, ''),
  }));
}

/**
 * `text` with every secretlint finding replaced by `[REDACTED:<rule>]`, then `redactText` (pattern rules and secret env
 * values) applied: what every model request goes through.
 */
export async function redactDeep(text: string, redactText: Redactor = redact): Promise<string> {
  // Overlapping findings merge into one span (named by the first); spans are then replaced back to front.
  const spans: { start: number; end: number; kind: string }[] = [];
  for (const { range, kind } of (await libraryFindings(text)).sort((a, b) => a.range[0] - b.range[0])) {
    const last = spans.at(-1);
    if (last && range[0] < last.end) last.end = Math.max(last.end, range[1]);
    else spans.push({ start: range[0], end: range[1], kind });
  }
  let out = text;
  for (const { start, end, kind } of spans.reverse()) out = `${out.slice(0, start)}[REDACTED:${kind}]${out.slice(end)}`;
  return redactText(out);
}
