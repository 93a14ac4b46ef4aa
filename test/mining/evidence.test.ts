import { describe, expect, it } from 'vitest';
import { episodeView } from '../../src/mining/episode-view.js';
import { buildEvidence, evidenceTokens } from '../../src/mining/evidence.js';
import { createRedactor, redactPatterns } from '../../src/mining/redact.js';
import { classifyFailure } from '../../src/mining/signature.js';
import { estimateTokens } from '../../src/mining/tokens.js';
import { call, record, say, trace } from './build.js';
import type { ParsedTrace } from '../../src/traces/model.js';

function source(traces: ParsedTrace[], taskId = 'task-a') {
  const view = episodeView(record(taskId, 'fail'), traces);
  return { view, finding: classifyFailure(view, redactPatterns) };
}

/** A deterministic pseudo-random generator so the generated traces are the same on every run. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('evidence packs', () => {
  it('collapses a repeated action into one line naming the step range and count', () => {
    const steps = [
      say('Read /data/in.csv and sum it', 'user'),
      ...Array.from({ length: 13 }, () => call('ls /data', "ls: cannot access '/data': No such file or directory", 2)),
      say('It is not there.'),
    ];
    const [excerpt] = buildEvidence([source([trace(steps)])], 6000, redactPatterns);
    expect(excerpt!.excerpt).toContain('steps 2-14: same `bash: ls /data` call repeated 13 times');
    expect(excerpt!.excerpt.match(/\[step \d+\] agent:?\s*\n\s*call bash/g)?.length).toBe(1);
    expect(excerpt!.stepId).toBe('2');
    expect(excerpt!.excerpt).toContain('instruction: Read /data/in.csv and sum it');
  });

  it('keeps the head and tail of a long output, and the window around the decisive step', () => {
    const long = `HEAD-MARK ${'x '.repeat(20_000)} TAIL-MARK`;
    const steps = [
      ...Array.from({ length: 10 }, (_, i) => call(`echo step${i}`, `out${i}`, 0)),
      call('make build', long, 2),
      say('The build failed, I cannot continue.'),
    ];
    const [excerpt] = buildEvidence([source([trace(steps)])], 6000, redactPatterns);
    const text = excerpt!.excerpt;
    expect(text).toContain('HEAD-MARK');
    expect(text).toContain('TAIL-MARK');
    expect(text).toMatch(/chars omitted/);
    expect(text).toContain('[step 11]');
    expect(text).not.toContain('echo step0');
    expect(text).toMatch(/… 7 earlier step\(s\) not shown|… 8 earlier step\(s\) not shown/);
  });

  it('never goes over the token budget, whatever the traces and the budget', () => {
    const random = prng(7);
    const word = () => Math.floor(random() * 1e9).toString(36);
    for (let round = 0; round < 40; round++) {
      const budget = [50, 120, 300, 800, 2000, 6000][round % 6]!;
      const sources = Array.from({ length: 1 + (round % 3) }, (_, k) => {
        const steps = Array.from({ length: 1 + Math.floor(random() * 40) }, () =>
          random() < 0.2
            ? say(Array.from({ length: Math.floor(random() * 3000) }, word).join(' '))
            : call(
                `${word()} ${word()} --flag=${word()}`,
                Array.from({ length: Math.floor(random() * 5000) }, word).join(random() < 0.5 ? '\n' : ' '),
                random() < 0.5 ? 1 : 0,
              ),
        );
        return source([trace(steps)], `task-${k}`);
      });
      const excerpts = buildEvidence(sources, budget, redactPatterns);
      expect(evidenceTokens(excerpts), `round ${round} budget ${budget}`).toBeLessThanOrEqual(budget);
      expect(excerpts.length).toBeGreaterThan(0);
    }
  });

  it('redacts secrets even inside outputs far larger than what is kept', () => {
    const key = 'sk-live-0123456789abcdefghijKLMN';
    const huge = `${'line of log output\n'.repeat(5000)}Authorization: Bearer ${key}\n${'more output\n'.repeat(5000)} token ${key}`;
    const steps = [
      call('curl -H "Authorization: Bearer abc" https://api', huge, 1),
      call('env', `MY_SERVICE_TOKEN=service-secret-value-77\n${key}`, 0),
      say('giving up'),
    ];
    const redact = createRedactor(['service-secret-value-77']);
    const view = episodeView(record('task-s', 'fail'), [trace(steps)]);
    const [excerpt] = buildEvidence([{ view, finding: classifyFailure(view, redact) }], 6000, redact);
    expect(excerpt!.excerpt).not.toContain('0123456789abcdefghij');
    expect(excerpt!.excerpt).not.toContain('service-secret-value-77');
    expect(excerpt!.excerpt).toContain('REDACTED');
  });

  it('estimates tokens at least at chars/4 for prose and more for symbol-heavy text', () => {
    const prose = 'the quick brown fox jumps over the lazy dog '.repeat(20);
    expect(estimateTokens(prose)).toBeGreaterThanOrEqual(Math.ceil(prose.length / 5));
    const json = '{"a":[1,2,3],"b":{"c":"d"}}'.repeat(20);
    expect(estimateTokens(json)).toBeGreaterThan(json.length / 4);
  });
});
