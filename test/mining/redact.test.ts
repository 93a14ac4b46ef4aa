import { describe, expect, it } from 'vitest';
import { runSecrets, secretValuesFromEnv } from '../../src/domain/secrets.js';
import { createRedactor, redactPatterns } from '../../src/mining/redact.js';

describe('redaction', () => {
  it('redacts well-known credential shapes', () => {
    const secrets = [
      'sk-proj-AbCdEf0123456789XyZaBcD',
      'ghp_0123456789abcdefghijABCDEFGHIJ012345',
      'gho_abcdefghijklmnopqrstuvwxyz012345',
      'ghs_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345',
      'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
      'AKIAIOSFODNN7EXAMPLE',
      'xoxb-123456789012-abcdefghijkl',
    ];
    for (const secret of secrets) {
      const out = redactPatterns(`before ${secret} after`);
      expect(out, secret).not.toContain(secret);
      expect(out).toMatch(/^before \[REDACTED:[a-z-]+\] after$/);
    }
  });

  it('redacts Authorization headers and bearer tokens but keeps the header name', () => {
    expect(redactPatterns('curl -H "Authorization: token abc123def456" https://x')).toBe('curl -H "Authorization: [REDACTED:authorization]" https://x');
    expect(redactPatterns('authorization=Basic dXNlcjpwYXNz')).toBe('authorization=[REDACTED:authorization]');
    expect(redactPatterns('sent Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig ok')).toBe('sent Bearer [REDACTED:token] ok');
  });

  it('redacts PEM private keys, also when the end marker was cut off', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----';
    expect(redactPatterns(`key:\n${pem}\ndone`)).toBe('key:\n[REDACTED:private-key]\ndone');
    expect(redactPatterns('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk')).toBe('[REDACTED:private-key]');
  });

  it('redacts values assigned to secret-looking names', () => {
    expect(redactPatterns('export DB_PASSWORD=hunter2hunter')).toBe('export DB_PASSWORD=[REDACTED:secret]');
    expect(redactPatterns('{"api_key": "abcd1234efgh"}')).toBe('{"api_key": "[REDACTED:secret]"}');
    expect(redactPatterns('the token count is 5')).toBe('the token count is 5');
  });

  it('takes secret values from env vars whose names look like secrets, and redacts every literal occurrence', () => {
    const env = {
      MY_SERVICE_TOKEN: 'plain-looking-value-42',
      DB_PASSWORD: 'correcthorse',
      OPENAI_API_KEY: 'zzzz-not-an-sk-key',
      HOME: '/home/me',
      PATH: '/usr/bin',
      DEBUG: 'true',
      SHORT_TOKEN: 'abc',
    };
    const values = secretValuesFromEnv(env);
    expect(values.sort()).toEqual(['correcthorse', 'plain-looking-value-42', 'zzzz-not-an-sk-key']);
    const redact = createRedactor(values);
    const out = redact('echo plain-looking-value-42 && login correcthorse; key=zzzz-not-an-sk-key in /home/me');
    expect(out).toBe('echo [REDACTED:env] && login [REDACTED:env]; key=[REDACTED:env] in /home/me');
  });

  it("lists a run's secrets: the environment's secret-looking values and the credentials handed to it", () => {
    expect(runSecrets({ MY_TOKEN: 'from-the-environment' }, 'sk-model-key-value', undefined, '')).toEqual(['from-the-environment', 'sk-model-key-value']);
  });

  it('leaves ordinary text alone', () => {
    const text = 'ls -la /data && python3 solve.py --skip-tests # sk-short';
    expect(redactPatterns(text)).toBe(text);
  });
});
