// Config limits: numbers bounded, YAML aliases limited, size capped; every error one line with file:line and a fix.
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig, MAX_CONFIG_BYTES, parseConfigText } from '../../src/config/load.js';
import { UserError } from '../../src/domain/types.js';
import { tempDir } from '../helpers/git.js';

const file = path.join(process.cwd(), '.self-harness.yml');
const good = 'harness:\n  include: [agent/**]\nsuite:\n  tasks: tasks/*\n  run: node agent/run.js\n';

function errorOf(text: string): Error {
  try {
    parseConfigText(text, file);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the config to be rejected');
}

describe('config limits', () => {
  it('refuses a timeout Node would clamp, at its line, and accepts one day', () => {
    const error = errorOf(`${good}  timeout-seconds: 2147484\n`);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      '.self-harness.yml:6 suite.timeout-seconds: expected a positive integer of at most 86,400 (one day; longer timers are clamped by Node and every episode would time out), got 2147484',
    );
    expect(parseConfigText(`${good}  timeout-seconds: 86400\n`, file).suite['timeout-seconds']).toBe(86_400);
  });

  it.each([
    ['  concurrency: 100000\n', /suite\.concurrency: expected a positive integer of at most 1,024/],
    ['  infra-retries: 1000\n', /suite\.infra-retries: expected a whole number from 0 to 20/],
    ['validate:\n  max-attempts: 1000000\n', /validate\.max-attempts: expected a positive integer of at most 1,000/],
    ['evolve:\n  rounds: 1000\n', /evolve\.rounds: expected a positive integer of at most 100/],
  ])('bounds %j', (extra, message) => {
    expect(errorOf(`${good}${extra}`).message).toMatch(message);
  });

  it('turns a YAML alias bomb into one line with the line of the first alias, not a ReferenceError', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    ].join('\n');
    const error = errorOf(`${good}${bomb}\n`);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/^\.self-harness\.yml:7: YAML aliases expand to too much .*write the values out/);
    expect(error.message).not.toContain('\n');
  });

  it('refuses a config file over the size cap before reading it', () => {
    const dir = tempDir('sh-config-size-');
    writeFileSync(path.join(dir, '.self-harness.yml'), `${good}#${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    expect(() => loadConfig(undefined, dir)).toThrow(/^\.self-harness\.yml:1: the config file is [\d,]+ bytes, over the 262,144-byte limit/);
  });
});
