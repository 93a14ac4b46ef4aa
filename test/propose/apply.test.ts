import { mkdirSync, readFileSync, symlinkSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { applyCandidate, applyCandidates } from '../../src/propose/apply.js';
import { EditRefusedError, countChangedLines } from '../../src/propose/safety.js';
import type { FileEdit } from '../../src/propose/types.js';
import { tempDir } from '../helpers/git.js';
import { LIMITS, candidate, makeProject } from './fixture.js';

const read = (root: string, rel: string) => readFileSync(path.join(root, rel), 'utf8');

async function refusal(promise: Promise<unknown>): Promise<EditRefusedError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(EditRefusedError);
    return error as EditRefusedError;
  }
  throw new Error('expected the edit to be refused');
}

describe('applyCandidate', () => {
  it('applies a search/replace edit and reports the diff and added lines', async () => {
    const { root, surface } = makeProject();
    const applied = await applyCandidate(
      candidate([
        {
          kind: 'replace',
          file: 'harness/system-prompt.md',
          search: 'You are a careful terminal agent.',
          replace: 'You are a careful terminal agent.\nCheck your work.',
        },
      ]),
      root,
      surface,
      LIMITS,
    );
    expect(read(root, 'harness/system-prompt.md')).toBe('# System prompt\n\nYou are a careful terminal agent.\nCheck your work.\n\nTask:\n{{instruction}}\n');
    expect(applied.changedFiles).toEqual(['harness/system-prompt.md']);
    expect(applied.addedLines).toEqual({ 'harness/system-prompt.md': [4] });
    expect(applied.diff).toContain('diff --git a/harness/system-prompt.md b/harness/system-prompt.md');
    expect(applied.diff).toContain('+Check your work.');
  });

  it('produces a diff that git apply accepts', async () => {
    const { root, surface } = makeProject();
    const original = read(root, 'harness/system-prompt.md');
    const applied = await applyCandidate(
      candidate([
        { kind: 'replace', file: 'harness/system-prompt.md', search: 'Task:', replace: 'Your task:' },
        { kind: 'create', file: 'harness/skills/find.md', content: 'Use find.\n' },
      ]),
      root,
      surface,
      LIMITS,
    );
    const check = tempDir('sh-propose-git-');
    execFileSync('git', ['init', '-q'], { cwd: check });
    mkdirSync(path.join(check, 'harness'));
    writeFileSync(path.join(check, 'harness/system-prompt.md'), original);
    execFileSync('git', ['apply', '-'], { cwd: check, input: applied.diff });
    expect(read(check, 'harness/system-prompt.md')).toBe(read(root, 'harness/system-prompt.md'));
    expect(read(check, 'harness/skills/find.md')).toBe('Use find.\n');
  });

  it('applies a unified diff', async () => {
    const { root, surface } = makeProject();
    const patch = [
      '--- a/harness/recovery/timeout.md',
      '+++ b/harness/recovery/timeout.md',
      '@@ -1 +1,2 @@',
      ' The command timed out.',
      '+Run it in the background and poll it.',
      '',
    ].join('\n');
    const applied = await applyCandidate(candidate([{ kind: 'diff', file: 'harness/recovery/timeout.md', patch }]), root, surface, LIMITS);
    expect(read(root, 'harness/recovery/timeout.md')).toBe('The command timed out.\nRun it in the background and poll it.\n');
    expect(applied.addedLines['harness/recovery/timeout.md']).toEqual([2]);
  });

  it('creates a new harness file and refuses to create over an existing one', async () => {
    const { root, surface } = makeProject();
    const applied = await applyCandidate(
      candidate([{ kind: 'create', file: 'harness/recovery/not-found.md', content: 'Use a fallback.\n' }]),
      root,
      surface,
      LIMITS,
    );
    expect(read(root, 'harness/recovery/not-found.md')).toBe('Use a fallback.\n');
    expect(applied.addedLines['harness/recovery/not-found.md']).toEqual([1]);
    const error = await refusal(applyCandidate(candidate([{ kind: 'create', file: 'harness/system-prompt.md', content: 'x\n' }]), root, surface, LIMITS));
    expect(error.rule).toBe('create');
  });

  it('refuses a search block that is not found, naming the file and the first line of the search text', async () => {
    const { root, surface } = makeProject();
    const error = await refusal(
      applyCandidate(candidate([{ kind: 'replace', file: 'harness/system-prompt.md', search: 'No such line\nsecond', replace: 'x' }]), root, surface, LIMITS),
    );
    expect(error.rule).toBe('search');
    expect(error.message).toContain('harness/system-prompt.md');
    expect(error.message).toContain('"No such line"');
    expect(error.message).toContain('not found');
  });

  it('refuses a search block found more than once', async () => {
    const { root, surface } = makeProject({ files: { 'harness/system-prompt.md': 'Be brief.\nBe brief.\n' } });
    const error = await refusal(
      applyCandidate(candidate([{ kind: 'replace', file: 'harness/system-prompt.md', search: 'Be brief.', replace: 'Be short.' }]), root, surface, LIMITS),
    );
    expect(error.message).toContain('found 2 times');
  });

  it('refuses an edit that leaves a JSON file unparseable, and one that breaks YAML', async () => {
    const { root, surface } = makeProject();
    const json = await refusal(
      applyCandidate(
        candidate([{ kind: 'replace', file: 'harness/limits.json', search: '"maxSteps": 30', replace: '"maxSteps": 30,' }]),
        root,
        surface,
        LIMITS,
      ),
    );
    expect(json.rule).toBe('parse');
    expect(json.message).toContain('harness/limits.json');
    expect(json.message).toContain('not valid JSON');
    expect(read(root, 'harness/limits.json')).toBe('{ "maxSteps": 30 }\n');
    const yaml = await refusal(
      applyCandidate(candidate([{ kind: 'replace', file: 'harness/settings.yaml', search: 'retries: 2', replace: 'retries: [2' }]), root, surface, LIMITS),
    );
    expect(yaml.message).toContain('not valid YAML');
  });

  it('accepts an edit that keeps a JSON file valid', async () => {
    const { root, surface } = makeProject();
    await applyCandidate(
      candidate([{ kind: 'replace', file: 'harness/limits.json', search: '"maxSteps": 30', replace: '"maxSteps": 50' }]),
      root,
      surface,
      LIMITS,
    );
    expect(JSON.parse(read(root, 'harness/limits.json'))).toEqual({ maxSteps: 50 });
  });

  it('refuses an edit over max-edit-lines and a candidate over max-round-lines', async () => {
    const { root, surface } = makeProject();
    const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} line ${i}`).join('\n');
    const big = await refusal(applyCandidate(candidate([{ kind: 'create', file: 'harness/big.md', content: lines(41, 'a') }]), root, surface, LIMITS));
    expect(big.rule).toBe('size-limit');
    expect(big.message).toContain('max-edit-lines (40)');
    await applyCandidate(candidate([{ kind: 'create', file: 'harness/ok.md', content: lines(40, 'a') }]), root, surface, LIMITS);
    const edits: FileEdit[] = [1, 2, 3, 4].map((i) => ({ kind: 'create', file: `harness/part${i}.md`, content: lines(35, `p${i}`) }));
    const round = await refusal(applyCandidate(candidate(edits), root, surface, LIMITS));
    expect(round.message).toContain('max-round-lines (120)');
    expect(existsSync(path.join(root, 'harness/part1.md'))).toBe(false);
  });

  it('is all-or-nothing: a bad second edit leaves the first file untouched', async () => {
    const { root, surface } = makeProject();
    const before = read(root, 'harness/system-prompt.md');
    await refusal(
      applyCandidate(
        candidate([
          { kind: 'replace', file: 'harness/system-prompt.md', search: 'Task:', replace: 'Your task:' },
          { kind: 'create', file: 'harness/new.md', content: 'new\n' },
          { kind: 'replace', file: 'harness/recovery/timeout.md', search: 'not in the file', replace: 'x' },
        ]),
        root,
        surface,
        LIMITS,
      ),
    );
    expect(read(root, 'harness/system-prompt.md')).toBe(before);
    expect(existsSync(path.join(root, 'harness/new.md'))).toBe(false);
  });

  it('applies several edits to one file in order', async () => {
    const { root, surface } = makeProject();
    await applyCandidate(
      candidate([
        { kind: 'replace', file: 'harness/system-prompt.md', search: 'Task:', replace: 'Your task:' },
        { kind: 'replace', file: 'harness/system-prompt.md', search: 'Your task:', replace: 'The task:' },
      ]),
      root,
      surface,
      LIMITS,
    );
    expect(read(root, 'harness/system-prompt.md')).toContain('The task:');
  });

  it.each([
    ['.github/workflows/ci.yml', 'under .github/'],
    ['./.github/workflows/ci.yml', 'under .github/'],
    ['../outside.md', "'..'"],
    ['harness/../../outside.md', "'..'"],
    ['/etc/passwd', 'absolute'],
    ['tasks/fix-build/instruction.md', 'task'],
    ['harness/tests/prompt.test.md', 'test'],
    ['.self-harness.yml', 'config'],
    ['.self-harness/history.jsonl', 'state directory'],
  ])('refuses an edit of %s whatever the edit is (path policy: %s)', async (file, rule) => {
    const { root, surface } = makeProject({ include: ['**'] });
    const error = await refusal(applyCandidate(candidate([{ kind: 'create', file, content: 'pwned\n' }]), root, surface, LIMITS));
    expect(error.rule).toBe('path-policy');
    expect(error.file).toBe(file);
    expect(error.message).toContain(rule);
    expect(read(root, '.github/workflows/ci.yml')).toBe('on: push\n');
  });

  it('refuses a path outside harness.include', async () => {
    const { root, surface } = makeProject();
    const error = await refusal(applyCandidate(candidate([{ kind: 'create', file: 'src/agent.ts', content: 'x\n' }]), root, surface, LIMITS));
    expect(error.message).toContain('harness.include');
  });

  it('refuses to write through a symlink that leads outside the checkout', async () => {
    const { root, surface } = makeProject();
    const outside = tempDir('sh-propose-outside-');
    writeFileSync(path.join(outside, 'target.md'), 'outside\n');
    symlinkSync(outside, path.join(root, 'harness/linked'));
    const error = await refusal(
      applyCandidate(candidate([{ kind: 'replace', file: 'harness/linked/target.md', search: 'outside', replace: 'pwned' }]), root, surface, LIMITS),
    );
    expect(error.rule).toBe('symlink');
    expect(read(outside, 'target.md')).toBe('outside\n');
  });

  it('refuses to write through a symlink to a protected file inside the checkout', async () => {
    const { root, surface } = makeProject();
    symlinkSync('../.github/workflows/ci.yml', path.join(root, 'harness/ci.md'));
    const error = await refusal(
      applyCandidate(candidate([{ kind: 'replace', file: 'harness/ci.md', search: 'on: push', replace: 'on: pull_request_target' }]), root, surface, LIMITS),
    );
    expect(error.rule).toBe('symlink');
    expect(error.message).toContain('.github');
    expect(read(root, '.github/workflows/ci.yml')).toBe('on: push\n');
  });
});

describe('applyCandidates (a merge)', () => {
  it('applies candidates one after another as one change with one diff against the original', async () => {
    const { root, surface } = makeProject();
    const a = candidate([{ kind: 'replace', file: 'harness/system-prompt.md', search: 'Task:', replace: 'Your task:' }]);
    const b = candidate([{ kind: 'replace', file: 'harness/system-prompt.md', search: '{{instruction}}', replace: '{{instruction}}\nWork carefully.' }]);
    const applied = await applyCandidates([a, b], root, surface, LIMITS);
    expect(read(root, 'harness/system-prompt.md')).toBe(
      '# System prompt\n\nYou are a careful terminal agent.\n\nYour task:\n{{instruction}}\nWork carefully.\n',
    );
    expect(applied.diff.match(/^diff --git/gm)).toHaveLength(1);
    expect(applied.addedLines['harness/system-prompt.md']).toEqual([5, 7]);
  });

  it('bounds all merged candidates together by max-round-lines, and writes nothing when refused', async () => {
    const { root, surface } = makeProject();
    const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} ${i}`).join('\n');
    const parts = [1, 2, 3, 4].map((i) => candidate([{ kind: 'create', file: `harness/m${i}.md`, content: lines(35, `m${i}`) }]));
    const error = await refusal(applyCandidates(parts, root, surface, LIMITS));
    expect(error.message).toContain('the 4 candidates change 140 lines in all, more than max-round-lines (120)');
    expect(existsSync(path.join(root, 'harness/m1.md'))).toBe(false);
    await applyCandidates(parts.slice(0, 3), root, surface, LIMITS);
    expect(existsSync(path.join(root, 'harness/m3.md'))).toBe(true);
  });

  it('refuses a merge whose second candidate no longer applies after the first', async () => {
    const { root, surface } = makeProject();
    const before = read(root, 'harness/system-prompt.md');
    const a = candidate([{ kind: 'replace', file: 'harness/system-prompt.md', search: 'Task:', replace: 'Your task:' }]);
    const b = candidate([{ kind: 'replace', file: 'harness/system-prompt.md', search: '\nTask:', replace: '\nThe task:' }]);
    const error = await refusal(applyCandidates([a, b], root, surface, LIMITS));
    expect(error.candidateId).toBe(b.id);
    expect(read(root, 'harness/system-prompt.md')).toBe(before);
  });
});

describe('countChangedLines', () => {
  it('counts a modified line once and added or removed lines one each', () => {
    expect(countChangedLines('a\nb\nc\n', 'a\nB\nc\n')).toBe(1);
    expect(countChangedLines('a\n', 'a\nb\nc\n')).toBe(2);
    expect(countChangedLines('a\nb\nc\n', 'a\n')).toBe(2);
    expect(countChangedLines('a\nb\n', 'a\nb\n')).toBe(0);
  });
});
