// The live line per candidate that evolve and validate show, and the plain lines they print in CI.
import { describe, it, expect } from 'vitest';
import { Writable } from 'node:stream';
import { createValidationProgress, validationLine } from '../../src/cli/progress.js';
import type { ValidationProgress } from '../../src/domain/types.js';

function capture(isTTY: boolean) {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  (stream as { isTTY?: boolean }).isTTY = isTTY;
  return { stream, text: () => text };
}

const look = (extra: Partial<ValidationProgress> = {}): ValidationProgress => ({
  candidate: 'c1',
  phase: 'train split',
  look: 1,
  episodesDone: 24,
  episodesMax: 96,
  net: 7,
  passAt: 11,
  failAt: -9,
  passWord: 'promote',
  failWord: 'reject',
  ...extra,
});

/** What a terminal shows: each `\r\x1b[2K` erases the line being drawn. */
function screen(raw: string): string[] {
  const lines: string[] = [];
  for (const line of raw.split('\n')) lines.push(line.split('\r\x1b[2K').at(-1)!);
  return lines.filter(Boolean);
}

describe('validation progress', () => {
  it('says episodes of the planned maximum, the net wins against both boundaries and an upper-bound eta', () => {
    expect(validationLine(look())).toBe('candidate c1, train split: 24/96 episodes, net +7 (promote at +11, reject at -9)');
    expect(validationLine(look({ net: -2, passWord: 'pass', failWord: 'regress' }), 30_000)).toBe(
      'candidate c1, train split: 24/96 episodes, net -2 (pass at +11, regress at -9), eta <= 1m30s',
    );
    expect(validationLine(look({ candidate: 'evil\x1b[2J\nname' }))).toMatch(/^candidate evil \[2J name, /);
  });

  it('keeps one line per candidate on a TTY, redrawn in place, with notes printed above it', () => {
    const out = capture(true);
    let clock = 0;
    const progress = createValidationProgress({ stream: out.stream, tty: true, now: () => clock });
    progress.info('Round 1: 2 candidate(s)');
    clock = 10_000;
    progress.progress!(look({ episodesDone: 8, net: 2 }));
    clock = 20_000;
    progress.progress!(look({ episodesDone: 16, net: 5 }));
    progress.warn('an infra error was retried');
    progress.progress!(look({ candidate: 'c2', episodesDone: 8, net: -1 }));
    progress.done();
    expect(screen(out.text())).toEqual([
      'Round 1: 2 candidate(s)',
      'warning: an infra error was retried',
      'candidate c1, train split: 16/96 episodes, net +5 (promote at +11, reject at -9), eta <= 1m40s',
      'candidate c2, train split: 8/96 episodes, net -1 (promote at +11, reject at -9)',
    ]);
  });

  it('prints a plain line per look when not on a TTY (CI)', () => {
    const out = capture(false);
    const progress = createValidationProgress({ stream: out.stream, tty: false, now: () => 0 });
    progress.progress!(look({ episodesDone: 8 }));
    progress.progress!(look({ episodesDone: 16 }));
    progress.done();
    expect(out.text()).not.toContain('\r');
    expect(out.text().trim().split('\n')).toEqual([
      'candidate c1, train split: 8/96 episodes, net +7 (promote at +11, reject at -9)',
      'candidate c1, train split: 16/96 episodes, net +7 (promote at +11, reject at -9)',
    ]);
  });
});
