import { describe, it, expect } from 'vitest';
import { Writable } from 'node:stream';
import { createProgress, progressBar, progressLine } from '../../src/cli/progress.js';
import type { PoolProgress } from '../../src/flows/episode-pool.js';
import type { EpisodeRecord } from '../../src/domain/types.js';

function record(taskId: string, outcome: EpisodeRecord['outcome'], extra: Partial<EpisodeRecord> = {}): EpisodeRecord {
  return {
    id: 'x',
    key: { harnessHash: 'h', taskId, taskHash: 'c', attempt: 0, runCommand: 'r', model: '' },
    split: 'train',
    outcome,
    reward: 0,
    exitCode: 1,
    startedAt: '',
    durationMs: 3200,
    artifacts: '',
    tries: 1,
    runner: 'command',
    ...extra,
  };
}

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

const base: PoolProgress = { total: 48, done: 12, cached: 2, running: 3, passed: 9, failed: 2, infra: 1 };

describe('progress', () => {
  it('prints one plain line per finished episode', () => {
    expect(progressLine({ ...base, last: record('fix-bug', 'pass', { reward: 1 }) })).toBe('[12/48] pass fix-bug#0 3.2s');
    expect(progressLine({ ...base, done: 5, last: record('t', 'infra-error', { tries: 3, error: { type: 'spawn-failed', message: 'm' } }) })).toBe(
      '[ 5/48] infra-error t#0 3.2s (3 tries, spawn-failed)',
    );
  });

  it('draws a bar with counts and an estimate of the time left', () => {
    const bar = progressBar(base, 10_000);
    expect(bar).toMatch(/^\[######\.{18}\] 12\/48 pass 9 fail 2 infra 1 running 3 cached 2 eta 36\.0s$/);
  });

  it('writes lines without control codes off a TTY, and redraws one line on a TTY', () => {
    const plain = capture(false);
    const reporter = createProgress({ stream: plain.stream, tty: false });
    reporter.onProgress({ ...base, done: 2, last: undefined });
    reporter.onProgress({ ...base, done: 3, last: record('a', 'fail', { error: { type: 'exit-code', message: '' } }) });
    reporter.logger.warn('careful');
    reporter.done();
    expect(plain.text()).toBe('48 episodes: 2 already recorded, 46 to run\n[ 3/48] fail a#0 3.2s (exit-code)\nwarning: careful\n');

    const tty = capture(true);
    const bar = createProgress({ stream: tty.stream, tty: true });
    bar.onProgress({ ...base, total: 2, done: 1, cached: 0, last: record('a', 'pass') });
    bar.logger.warn('careful');
    bar.onProgress({ ...base, total: 2, done: 2, cached: 0, last: record('b', 'pass') });
    bar.done();
    const out = tty.text();
    expect(out).toContain('\r\x1b[2Kwarning: careful\n');
    expect(out).toMatch(/\[#{24}\] 2\/2 .*\n$/);
    expect(out).not.toContain('pass a#0');
  });
});
