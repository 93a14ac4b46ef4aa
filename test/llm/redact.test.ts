// The one redaction rule set: every secret shape the red-team pass got through to the model, and the env values.
import { describe, expect, it } from 'vitest';
import { createRedactor, isSecretEnv, redact, redactPatterns, secretValuesFromEnv } from '../../src/llm/redact.js';
import { guardModel, sealHoldout } from '../../src/llm/guard.js';
import type { ChatRequest } from '../../src/domain/types.js';

describe('redaction rules', () => {
  it.each([
    ['a bare JWT', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'],
    ['a GitLab token', 'glpat-abcdefghij0123456789xyz'],
    ['a Hugging Face token', 'hf_abcdefghijklmnopqrstuvwxyzABCDEF12'],
    ['an npm token', 'npm_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['a Slack webhook', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
    ['an OpenAI project key', 'sk-proj-AbCdEf0123456789XyZaBcD'],
    ['a Stripe key', 'sk_live_0123456789abcdefABCDEF'],
    ['a SendGrid key', 'SG.abcdefghijklmnopqrstuv.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abc'],
    ['a Google OAuth token', 'ya29.a0AfH6SMBx0123456789abcdefghij'],
  ])('redacts %s', (_what, secret) => {
    const out = redactPatterns(`before ${secret} after`);
    expect(out).not.toContain(secret);
    expect(out).toMatch(/^before \[REDACTED:[a-z-]+\] after$/);
  });

  it('redacts the password of a URL and keeps the rest', () => {
    expect(redactPatterns('connect postgres://app:s3cr3t-pw@db.internal:5432/prod now')).toBe(
      'connect postgres://app:[REDACTED:password]@db.internal:5432/prod now',
    );
    expect(redactPatterns('dsn https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42')).toBe('dsn https://[REDACTED:dsn]@o1.ingest.sentry.io/42');
  });

  it('redacts a password given in words, and leaves the word alone otherwise', () => {
    expect(redactPatterns('the password is hunter2-OUTSIDE')).toBe('the password is [REDACTED:password]');
    expect(redactPatterns('login with password hunter2')).toBe('login with password [REDACTED:password]');
    expect(redactPatterns('a password is required here')).toBe('a password is required here');
  });
});

describe('secret env vars', () => {
  it('treats *TOKEN*, *KEY*, *SECRET*, *PASS*, *DSN*, *AUTH* and URLs with credentials as secret', () => {
    const env = {
      DATABASE_URL: 'postgres://u:pw-123456@db/x',
      SENTRY_DSN: 'https://abc@sentry.example/1',
      NPM_AUTH: 'bnBtOnNlY3JldA==',
      DB_PASS: 'correcthorse',
      HOMEPAGE_URL: 'https://example.com/docs',
      GIT_AUTHOR_NAME: 'Ada Lovelace',
      SSH_AUTH_SOCK: '/tmp/ssh-agent.sock',
      PWD: '/home/me/project',
    };
    expect(secretValuesFromEnv(env).sort()).toEqual(['bnBtOnNlY3JldA==', 'correcthorse', 'https://abc@sentry.example/1', 'postgres://u:pw-123456@db/x']);
    expect(isSecretEnv('GIT_AUTHOR_EMAIL', 'a@b.c')).toBe(false);
  });

  it('redact() uses this process environment, read at each call', () => {
    const name = 'SH_TEST_SERVICE_TOKEN';
    process.env[name] = 'plain-value-from-env-77';
    try {
      expect(redact('echo plain-value-from-env-77')).toBe('echo [REDACTED:env]');
    } finally {
      delete process.env[name];
    }
    expect(redact('echo plain-value-from-env-77')).toBe('echo plain-value-from-env-77');
  });

  it('redacts literal values longest first', () => {
    expect(createRedactor(['abcdef', 'abcdefgh'])('x abcdefgh y')).toBe('x [REDACTED:env] y');
  });
});

describe('the model guard redacts every outgoing message', () => {
  it('sends harness file contents and evidence redacted', async () => {
    const sent: ChatRequest[] = [];
    const model = guardModel(
      {
        name: 'm',
        complete: async (request) => {
          sent.push(request);
          return { text: 'ok', usage: {} };
        },
      },
      sealHoldout([], []),
    );
    await model.complete({ messages: [{ role: 'user', content: 'harness/tools.json: {"key": "sk-proj-AbCdEf0123456789XyZaBcD"}' }] });
    expect(sent[0]!.messages[0]!.content).not.toContain('sk-proj-AbCdEf');
    expect(sent[0]!.messages[0]!.content).toContain('[REDACTED:');
  });
});
