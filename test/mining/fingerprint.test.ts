import { describe, expect, it } from 'vitest';
import { fingerprint, headline } from '../../src/mining/fingerprint.js';

describe('fingerprint', () => {
  it('gives the same fingerprint to errors that differ only in numbers, paths, ids, hex and timestamps', () => {
    const a = fingerprint('2026-11-29T10:00:01Z Error: cannot open /data/run-1/input.csv (errno 2) request 3f2a9c1d-1111-2222-3333-444455556666 at 0x7ffe12ab');
    const b = fingerprint(
      '2025-01-02T23:59:59.123+02:00 Error: cannot open /srv/other/x.json (errno 13) request 0b8e4f2a-aaaa-bbbb-cccc-ddddeeeeffff at 0xdeadbeef',
    );
    expect(a).toBe(b);
    expect(a).toBe('<ts> error: cannot open <path> (errno <n>) request <id> at <hex>');
  });

  it('strips quoted literals but keeps apostrophes inside words', () => {
    expect(fingerprint(`KeyError: 'user_name' not in "the config" and \`x\``)).toBe('keyerror: <str> not in <str> and <str>');
    expect(fingerprint("don't know what's wrong")).toBe("don't know what's wrong");
  });

  it('replaces commit hashes and long mixed ids, not ordinary words or program names', () => {
    expect(fingerprint('checkout a1b2c3d4e5f6 failed for python3 in container web-7f9k2m4q8z1x')).toBe('checkout <hex> failed for python3 in container <id>');
    expect(fingerprint('bash: jq: command not found')).toBe('bash: jq: command not found');
  });

  it('folds whitespace, lowers case, collapses runs of the same placeholder and caps the length', () => {
    expect(fingerprint('Values   1, 2, 3\n\tand  /a /b')).toBe('values <n> and <path>');
    const long = fingerprint('word '.repeat(200));
    expect(long.length).toBeLessThanOrEqual(160);
    expect(long.endsWith('word')).toBe(true);
  });

  it('replaces URLs whole', () => {
    expect(fingerprint('GET https://example.com/api/v1/items?id=42 returned 503')).toBe('get <url> returned <n>');
  });

  it('keeps the general clause of "clause: details" messages when the clause says enough', () => {
    expect(headline('tests failed after the agent reported completion: test_format expected 3 rows')).toBe('tests failed after the agent reported completion');
    expect(headline('KeyError: x')).toBe('KeyError: x');
    expect(headline('first line\nsecond line')).toBe('first line');
  });
});

describe('fingerprint of file names', () => {
  it('replaces relative paths and file names with common extensions', () => {
    expect(fingerprint('cat: config/app.yaml: No such file or directory')).toBe('cat: <path>: no such file or directory');
    expect(fingerprint('cat: input.txt: No such file or directory')).toBe('cat: <path>: no such file or directory');
    expect(fingerprint('python3 solve.py failed; e.g. retry')).toBe('python3 <path> failed; e.g. retry');
  });

  it('drops a trailing parenthetical from a headline', () => {
    expect(headline('agent timed out after 60 s waiting on a foreground command (./train.sh --epochs 5)')).toBe(
      'agent timed out after 60 s waiting on a foreground command',
    );
  });
});
