// Property test over generated evolve results: every number in the bot PR body agrees with the report it came from
// (the same quantity is never shown two ways), and no text is cut mid-word.
import { describe, expect, it } from 'vitest';
import { truncateWords } from '../../src/report/markdown.js';
import { renderPullBody, type PullBodyInput } from '../../src/report/pr-body.js';
import type { SideNumbers, SplitComparison, ValidationReport } from '../../src/domain/validation.js';

/** A small deterministic PRNG (mulberry32), so a failing case can be replayed from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'verify',
  'the',
  'output',
  'before',
  'calling',
  'finish',
  'harness',
  'retry',
  'tool',
  'schema',
  'exit',
  'code',
  'instruction-following',
  'well-formed',
  'CSV',
];

function generate(seed: number) {
  const rand = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const words = (n: number) => Array.from({ length: n }, () => WORDS[int(0, WORDS.length - 1)]).join(' ');
  const sideOf = (total: number): SideNumbers => {
    const passed = int(0, total);
    const rate = passed / total;
    return { passed, total, rate, ci: { low: Math.max(0, rate - rand() * 0.2), high: Math.min(1, rate + rand() * 0.2) }, infra: int(0, 2) };
  };
  const split = (tasks: number, attempts: number, ids: string[]): SplitComparison => {
    const baseline = sideOf(tasks * attempts);
    const candidate = sideOf(tasks * attempts);
    const delta = candidate.rate - baseline.rate;
    const pick = () => ids.filter(() => rand() < 0.2);
    return {
      baseline,
      candidate,
      delta,
      deltaCi: { low: delta - rand() * 0.2, high: delta + rand() * 0.2 },
      fixes: pick(),
      regressions: pick(),
      tasks,
      attemptsPerTask: attempts,
    };
  };
  const trainIds = Array.from({ length: int(3, 12) }, (_, i) => `task-${i}`);
  const withHoldout = rand() < 0.7;
  const validation: ValidationReport = {
    version: 1,
    question: 'superiority',
    decision: 'promote',
    reason: 'r',
    baseline: { label: 'base', harnessHash: 'a'.repeat(64) },
    candidate: { label: 'c', harnessHash: 'b'.repeat(64) },
    episodes: { run: int(10, 400), cached: int(0, 50), infra: int(0, 5) },
    train: split(trainIds.length, int(1, 6), trainIds),
    ...(withHoldout ? { holdout: split(int(2, 5), int(1, 4), ['h-1', 'h-2', 'h-3']) } : {}),
    holdoutUses: int(1, 9),
    sequential: {
      method: 'm',
      alpha: 0.05,
      beta: 0.1,
      minEffect: 0.05 * int(1, 3),
      looks: [{ episodes: 10, statistic: 3, lower: -5, upper: 7 }],
      stoppedEarly: rand() < 0.5,
    },
    ...(withHoldout ? { confirmation: { method: 'm', alpha: 0.025, beta: 0.1, minEffect: 0.05, looks: [], stoppedEarly: false } } : {}),
    usage: { inputTokens: int(0, 9999), outputTokens: int(0, 999), costUsd: rand(), calls: 1 } as ValidationReport['usage'],
    startedAt: '2026-01-01T00:00:00Z',
    durationMs: int(1000, 99999),
  };
  const summary = words(int(3, 60));
  const rationale = words(int(5, 120));
  const result: PullBodyInput['result'] = {
    markdown: '## report',
    baseCommit: 'b'.repeat(40),
    reportPath: 'evolve.json',
    decision: 'promote',
    reason: 'r',
    validation,
    diff: 'diff --git a/p b/p\n+VERIFY\n',
    branch: 'self-harness/main',
    commit: 'c'.repeat(40),
    changes: [{ round: 1, candidateId: 'c-1', summary, rationale }],
    targeted: [{ id: 'w-1', failureClass: 'premature-finish', tasks: trainIds.slice(0, 2), diagnosis: words(int(10, 90)), evidence: [words(int(10, 150))] }],
    rounds: [{ round: 1, weaknesses: 1, candidates: 1, promoted: ['c-1'], trainRate: validation.train.candidate.rate, trainCi: validation.train.candidate.ci }],
    spent: { episodes: int(100, 900), cachedEpisodes: int(0, 50), inputTokens: 1, outputTokens: 1, costUsd: 0.5, calls: 1 } as PullBodyInput['result']['spent'],
    estimate: { episodes: 1000, tokens: 1, usd: 2 },
    errorControl: {
      alpha: 0.05,
      spent: 0.025,
      spends: [],
      statement: 'An evolve run like this one promotes an edit with no real effect at most 5% of the time.',
    },
  };
  return { result, summary, rationale };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;

describe('the bot PR body over generated reports', () => {
  it('shows every fraction, rate and delta as the report has it, and each quantity one way only', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const { result } = generate(seed);
      const v = result.validation!;
      const body = renderPullBody({ result, commit: 'c'.repeat(40), target: 'main', trigger: 'schedule event' });
      const splits = [v.train, ...(v.holdout ? [v.holdout] : [])];
      // Every "passed/total" in the body is one side of one split, written with that side's own rate.
      const fractions = [...body.matchAll(/(\d+)\/(\d+) = (\d+\.\d)%/g)].map((m) => m[0]);
      const expected = splits.flatMap((s) => [s.baseline, s.candidate]).map((side) => `${side.passed}/${side.total} = ${pct(side.rate)}`);
      expect(new Set(fractions), `seed ${seed}`).toEqual(new Set(expected));
      // Every signed "pts" figure is a delta or an interval bound of a split; the delta appears in the table and in
      // the recommendation, the same both times.
      const allowed = new Set(splits.flatMap((s) => [pts(s.delta), pts(s.deltaCi.low), pts(s.deltaCi.high)]));
      for (const m of body.matchAll(/[+-]\d+\.\d pts/g)) expect(allowed.has(m[0]), `seed ${seed}: ${m[0]}`).toBe(true);
      for (const s of splits)
        expect(body.split(`${pts(s.delta)} [`).length - 1 + body.split(`${pts(s.delta)} on the`).length - 1, `seed ${seed}`).toBeGreaterThanOrEqual(2);
      // Episode counts: this validation's and the whole run's are labelled apart, each once.
      expect(body.match(/This validation: (\d+) episodes run/)![1]).toBe(String(v.episodes.run));
      expect(body.match(/The whole run: (\d+) episodes run/)![1]).toBe(String(result.spent!.episodes));
      // Held-out numbers are only ever labelled held-out.
      if (!v.holdout) expect(body).not.toMatch(/held-out \(sealed|held-out, confirmation/);
      // The reviewer's first screen comes before the diff, which comes before every collapsed section.
      const order = [
        '**What changed**',
        '| train (screening) |',
        '**Recommendation**',
        '```diff',
        '<details><summary>Per-task',
        '<details><summary>Method',
        '<details><summary>Cost',
      ];
      const at = order.map((marker) => body.indexOf(marker));
      expect(
        at.every((i) => i >= 0),
        `seed ${seed}: ${at}`,
      ).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      expect(body).not.toContain('npx self-harness');
    }
  });

  it('cuts the summary, rationale, diagnosis and evidence only at word boundaries', () => {
    let checked = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const { result, summary, rationale } = generate(seed);
      const body = renderPullBody({ result, commit: 'c'.repeat(40), target: 'main', trigger: 'schedule event' });
      const originals = [summary, rationale, result.targeted![0].diagnosis!, result.targeted![0].evidence[0]];
      for (const cut of body.matchAll(/([A-Za-z][\w -]*)…/g)) {
        const kept = cut[1].trim();
        const source = originals.find((o) => o.includes(kept));
        expect(source, `seed ${seed}: "${kept}" is from no original`).toBeDefined();
        const next = source!.charAt(source!.indexOf(kept) + kept.length);
        expect(next === '' || next === ' ', `seed ${seed}: cut before "${next}" in "${kept}"`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('truncates at a word boundary, never mid-word', () => {
    expect(truncateWords('add "Before you finish, check the output"', 20)).toBe('add "Before you…');
    expect(truncateWords('signature: false-completion claims', 24)).toBe('signature…');
    expect(truncateWords('signature: false-completion claims', 30)).toBe('signature: false-completion…');
    expect(truncateWords('short text', 40)).toBe('short text');
    expect(truncateWords('a\n  spaced\ttext', 40)).toBe('a spaced text');
  });
});

describe("the CLI's evolve report", () => {
  it('cuts evidence lines at a word boundary, never mid-word', async () => {
    const { renderEvolveMarkdown } = await import('../../src/report/markdown.js');
    const evidence = `episode 2b94 · task archive-old-logs · fail (reward 0) ${'error: VerifierFailed: tests failed after the agent reported completion '.repeat(3)}signature: false-completion`;
    const { evolveResult } = await import('./preview-fixture.js');
    const result = { ...evolveResult, targeted: evolveResult.targeted.map((w) => ({ ...w, evidence: [evidence] })) };
    const line = renderEvolveMarkdown(result)
      .split('\n')
      .find((l) => l.includes('evidence:'))!;
    const kept = /`` (.+)… ``$/.exec(line)![1]!;
    expect(evidence.startsWith(`${kept} `)).toBe(true);
  });
});

describe('the promoted commit message', () => {
  it('cuts the subject and the rationale at word boundaries', async () => {
    const { commitMessage } = await import('../../src/flows/evolve-outcome.js');
    const summary = 'add "Before you finish, re-read the instruction and check the output file exists" to the prompt';
    const candidate = { id: 'c-1', mechanism: 'prompt_instruction', weaknessId: 'w-1', summary, rationale: 'word '.repeat(100) } as never;
    const report = { train: { delta: 0.25, baseline: { passed: 5, total: 16 }, candidate: { passed: 9, total: 16 } } } as never;
    const [subject, , body] = commitMessage(candidate, report).split('\n');
    expect(subject.length).toBeLessThanOrEqual(72);
    const kept = /^self-harness: (.+)…$/.exec(subject)![1];
    expect(summary.startsWith(`${kept} `)).toBe(true);
    expect(body.endsWith('word…')).toBe(true);
  });
});
