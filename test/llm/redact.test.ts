// The one redaction rule set: every secret shape the red-team pass got through to the model, and the env values.
import { describe, expect, it } from 'vitest';
import { createRedactor, isSecretEnv, redact, redactDeep, redactPatterns, secretValuesFromEnv } from '../../src/llm/redact.js';
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

describe("secretlint's recommended rules (redactDeep)", () => {
  // Shapes the hand-written rules let through, each caught by the maintained preset.
  const onePassword = `ops_${Buffer.from(
    JSON.stringify({
      signInAddress: 'my.1password.com',
      userAuth: { method: 'SRPg-4096', alg: 'PBES2g-HS256', iterations: 650000, salt: 'abcdefghijklmnop' },
      email: 'bot@1passwordserviceaccounts.com',
      srpX: '0123456789abcdef0123456789abcdef',
      secretKey: 'A3-ABCDEF-GHIJKL-MNOPQ-RSTUV-WXYZ0-12345',
    }),
  ).toString('base64')}`;
  const oauthToken = '0123456789abcdef0123456789abcdef01234567';
  it.each([
    ['a 1Password service-account token', onePassword, onePassword, '1password'],
    ['a GitHub OAuth token as the user of an x-oauth-basic URL', `https://${oauthToken}:x-oauth-basic@github.com/o/r.git`, oauthToken, 'basicauth'],
  ])('redacts %s, which the pattern rules alone let through', async (_what, text, secret, rule) => {
    expect(redactPatterns(`before ${text} after`)).toContain(secret);
    const out = await redactDeep(`before ${text} after`);
    expect(out).not.toContain(secret);
    expect(out).toContain(`[REDACTED:${rule}]`);
  });

  it('keeps applying the pattern rules and env values after the library', async () => {
    process.env.REDACT_DEEP_TEST_TOKEN = 'plain-value-from-env-deep-88';
    try {
      const out = await redactDeep(
        `jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36 and plain-value-from-env-deep-88 and ${onePassword}`,
      );
      expect(out).toBe('jwt [REDACTED:jwt] and [REDACTED:env] and [REDACTED:1password]');
    } finally {
      delete process.env.REDACT_DEEP_TEST_TOKEN;
    }
  });

  it('cannot be switched off by a secretlint comment directive in untrusted text', async () => {
    const out = await redactDeep(`// secretlint-disable\n${onePassword}\n// secretlint-enable`);
    expect(out).not.toContain(onePassword);
    expect(out).toContain('secretlint-disable');
  });

  it('leaves text without secrets as it was', async () => {
    expect(await redactDeep('ran `make test`: 3 passed, exit 0')).toBe('ran `make test`: 3 passed, exit 0');
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
    await model.complete({
      messages: [{ role: 'user', content: 'harness/notes.md: git clone https://0123456789abcdef0123456789abcdef01234567:x-oauth-basic@github.com/o/r' }],
    });
    expect(sent[1]!.messages[0]!.content).toBe('harness/notes.md: git clone [REDACTED:basicauth]/o/r');
  });
});
