import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCandidate } from '../../src/propose/apply.js';
import { createPatternsProposer } from '../../src/propose/patterns.js';
import { REMEDIES } from '../../src/propose/remedies.js';
import type { FailureClass } from '../../src/mining/types.js';
import type { HistoryEntry, ProposeInput } from '../../src/propose/types.js';
import { LIMITS, makeProject, weakness } from './fixture.js';

function input(project: ReturnType<typeof makeProject>, classes: FailureClass[], extra: Partial<ProposeInput> = {}): ProposeInput {
  return {
    weaknesses: classes.map((c, i) => weakness(c, { rank: i + 1 })),
    passingTasks: ['task-ok'],
    surface: project.surface,
    harnessRoot: project.root,
    history: [],
    count: 10,
    limits: LIMITS,
    ...extra,
  };
}

// The demo's shared vocabulary: what the simulated agent looks for (case-insensitive) over all harness files.
const DEMO_DETECTORS: Partial<Record<FailureClass, RegExp[]>> = {
  timeout: [/background/i, /poll/i],
  'command-not-found': [/not found/i, /(alternative|fallback)/i],
  'false-completion': [/before (you )?(call )?finish/i, /(verify|check)/i],
  'action-loop': [/find/i, /instead of repeating/i],
};

const ALL_CLASSES: FailureClass[] = [
  'timeout',
  'command-not-found',
  'false-completion',
  'action-loop',
  'step-limit',
  'context-overflow',
  'parse-error',
  'tool-error',
  'nonzero-exit-repeated',
  'gave-up',
];

describe('patterns proposer', () => {
  it('has a remedy for each of the ten harness-fixable failure classes', () => {
    expect(REMEDIES.map((r) => r.failureClass).sort()).toEqual([...ALL_CLASSES].sort());
  });

  it.each(ALL_CLASSES)('proposes the %s remedy, appended under a heading to a fitting harness file', async (failureClass) => {
    const project = makeProject();
    const out = await createPatternsProposer().propose(input(project, [failureClass]));
    expect(out.candidates).toHaveLength(1);
    const c = out.candidates[0]!;
    const remedy = REMEDIES.find((r) => r.failureClass === failureClass)!;
    expect(c.proposer).toBe('patterns');
    expect(c.weaknessId).toBe(weakness(failureClass).id);
    expect(c.predictedFixes).toEqual(['task-a', 'task-b']);
    expect(c.id).toMatch(/^c-[0-9a-f]{10}$/);
    const applied = await applyCandidate(c, project.root, project.surface, LIMITS);
    const file = applied.changedFiles[0]!;
    const text = readFileSync(path.join(project.root, file), 'utf8');
    expect(text).toContain(`## ${remedy.title}\n\n${remedy.text}`);
    if (remedy.target === 'prompt') expect(file).toBe('harness/system-prompt.md');
    else expect(file).toMatch(/^harness\/recovery\//);
  });

  it('puts prevention in the system prompt and reactions in the matching recovery file', async () => {
    const project = makeProject();
    const out = await createPatternsProposer().propose(input(project, ['timeout', 'command-not-found', 'action-loop', 'parse-error']));
    const fileOf = (cls: FailureClass) => out.candidates.find((c) => c.weaknessId === weakness(cls).id)!.edits[0]!.file;
    expect(fileOf('timeout')).toBe('harness/system-prompt.md');
    expect(fileOf('command-not-found')).toBe('harness/recovery/nonzero-exit.md');
    expect(fileOf('action-loop')).toBe('harness/recovery/repeated-action.md');
    expect(fileOf('parse-error')).toBe('harness/recovery/parse-error.md');
  });

  it("inserts text the demo's simulated agent recognises for each demo failure class, and no other class's", async () => {
    for (const [failureClass, detectors] of Object.entries(DEMO_DETECTORS) as [FailureClass, RegExp[]][]) {
      const remedy = REMEDIES.find((r) => r.failureClass === failureClass)!;
      expect(
        detectors.every((d) => d.test(remedy.text)),
        failureClass,
      ).toBe(true);
      for (const other of REMEDIES.filter((r) => r.failureClass !== failureClass)) {
        expect(
          detectors.every((d) => d.test(other.text)),
          `${other.failureClass} text must not satisfy ${failureClass}`,
        ).toBe(false);
      }
    }
  });

  it('declines a weakness whose remedy is already in the harness', async () => {
    const remedy = REMEDIES.find((r) => r.failureClass === 'timeout')!;
    const project = makeProject({ files: { 'harness/recovery/timeout.md': `The command timed out.\n\n${remedy.text.toUpperCase().replace(/ /g, '\n')}\n` } });
    const out = await createPatternsProposer().propose(input(project, ['timeout', 'gave-up']));
    expect(out.candidates.map((c) => c.weaknessId)).toEqual([weakness('gave-up').id]);
    expect(out.declined).toEqual([{ weaknessId: weakness('timeout').id, reason: expect.stringContaining('already in the harness') }]);
  });

  it('declines the second round after its remedy was applied', async () => {
    const project = makeProject();
    const proposer = createPatternsProposer();
    const first = await proposer.propose(input(project, ['false-completion']));
    await applyCandidate(first.candidates[0]!, project.root, project.surface, LIMITS);
    const second = await proposer.propose(input(project, ['false-completion']));
    expect(second.candidates).toEqual([]);
    expect(second.declined[0]!.reason).toContain('already in the harness');
  });

  it('declines classes without a remedy, and a second weakness of a class already served this round', async () => {
    const project = makeProject();
    const weaknesses = [
      weakness('infrastructure', { rank: 1 }),
      weakness('timeout', { rank: 2 }),
      weakness('timeout', { id: 'w-timeout002', rank: 3, tasks: ['task-c'] }),
    ];
    const out = await createPatternsProposer().propose(input(project, [], { weaknesses }));
    expect(out.candidates).toHaveLength(1);
    expect(out.candidates[0]!.predictedFixes).toEqual(['task-a', 'task-b', 'task-c']);
    expect(out.declined.map((d) => d.reason)).toEqual([
      'no remedy in the pattern library for failure class infrastructure',
      expect.stringContaining('already proposed this round'),
    ]);
  });

  it('declines a remedy rejected for the same weakness in an earlier round', async () => {
    const project = makeProject();
    const proposer = createPatternsProposer();
    const first = (await proposer.propose(input(project, ['gave-up']))).candidates[0]!;
    const rejected: HistoryEntry = {
      id: first.id,
      round: 1,
      parentHash: 'h',
      weaknessId: first.weaknessId,
      mechanism: first.mechanism,
      summary: first.summary,
      diff: '',
      decision: 'reject',
      reason: 'no improvement',
      at: new Date().toISOString(),
      proposer: 'patterns',
    };
    const again = await proposer.propose(input(project, ['gave-up'], { history: [rejected] }));
    expect(again.candidates).toEqual([]);
    expect(again.declined[0]!.reason).toContain('rejected in round 1');
    const inconclusive = await proposer.propose(input(project, ['gave-up'], { history: [{ ...rejected, decision: 'inconclusive' }] }));
    expect(inconclusive.candidates).toHaveLength(1);
  });

  it('proposes at most count candidates, in rank order', async () => {
    const project = makeProject();
    const out = await createPatternsProposer().propose(input(project, ['timeout', 'gave-up', 'step-limit'], { count: 2 }));
    expect(out.candidates.map((c) => c.weaknessId)).toEqual([weakness('timeout').id, weakness('gave-up').id]);
    expect(out.declined[0]!.reason).toContain('already has 2 candidate(s)');
  });

  it('yields candidates that still apply one after another to the same file (a merge)', async () => {
    const project = makeProject();
    const out = await createPatternsProposer().propose(input(project, ['timeout', 'false-completion', 'gave-up', 'step-limit']));
    expect(new Set(out.candidates.map((c) => c.edits[0]!.file))).toEqual(new Set(['harness/system-prompt.md']));
    for (const c of out.candidates) await applyCandidate(c, project.root, project.surface, LIMITS);
    const text = readFileSync(path.join(project.root, 'harness/system-prompt.md'), 'utf8');
    for (const cls of ['timeout', 'false-completion', 'gave-up', 'step-limit'] as FailureClass[]) {
      expect(text).toContain(REMEDIES.find((r) => r.failureClass === cls)!.text);
    }
    expect(text.startsWith('# System prompt\n\nYou are a careful terminal agent.\n\nTask:\n{{instruction}}\n')).toBe(true);
  });

  it('uses AGENTS.md when there is no system prompt or recovery file, and declines when there is no text file', async () => {
    const agents = makeProject({ include: ['AGENTS.md', 'config/*.json'], files: { 'AGENTS.md': '# Agents\n', 'config/a.json': '{}' } });
    const out = await createPatternsProposer().propose(input(agents, ['command-not-found']));
    expect(out.candidates[0]!.edits[0]!.file).toBe('AGENTS.md');
    const none = makeProject({ include: ['config/*.json'], files: { 'config/a.json': '{}' } });
    const declined = await createPatternsProposer().propose(input(none, ['timeout']));
    expect(declined.candidates).toEqual([]);
    expect(declined.declined[0]!.reason).toContain('no text file');
  });

  it('fills an empty prompt file with a create edit', async () => {
    const project = makeProject({ files: { 'harness/system-prompt.md': '' } });
    const out = await createPatternsProposer().propose(input(project, ['gave-up']));
    await applyCandidate(out.candidates[0]!, project.root, project.surface, LIMITS);
    expect(readFileSync(path.join(project.root, 'harness/system-prompt.md'), 'utf8')).toMatch(/^## Do not give up early\n\n/);
  });
});
