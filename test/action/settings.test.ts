import { describe, expect, it } from 'vitest';
import { envInputReader, isSafeBranchPrefix, parseSettings } from '../../src/action/settings.js';

const reader = (inputs: Record<string, string>) =>
  envInputReader(Object.fromEntries(Object.entries({ 'github-token': 't', ...inputs }).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])));

describe('parseSettings', () => {
  it('applies the documented defaults', () => {
    expect(parseSettings(reader({}), '/ws')).toEqual({
      mode: 'auto',
      configPath: '/ws/.self-harness.yml',
      githubToken: 't',
      model: undefined,
      modelBaseUrl: undefined,
      modelApiKey: undefined,
      rounds: undefined,
      budgetEpisodes: undefined,
      budgetUsd: undefined,
      branchPrefix: 'self-harness/',
      labels: ['self-harness'],
      checkName: 'self-harness / regression-validation',
      inconclusiveConclusion: 'failure',
      commandPrefix: '/self-harness',
      title: undefined,
      draft: false,
      commitMessage: undefined,
      maxAnnotations: 50,
      reviewers: [],
      teamReviewers: [],
      artifacts: [],
    });
  });

  it("reads the bot PR's title and draft inputs, and refuses a multi-line title or a draft that is not a boolean", () => {
    expect(parseSettings(reader({ title: 'Harness: weekly improvement', draft: 'true' }), '/ws')).toMatchObject({
      title: 'Harness: weekly improvement',
      draft: true,
    });
    expect(() => parseSettings(reader({ title: 'two\nlines' }), '/ws')).toThrow(
      'input "title": got "two\\nlines"; expected one line of at most 256 characters',
    );
    expect(() => parseSettings(reader({ draft: 'yes' }), '/ws')).toThrow('input "draft": got "yes"; expected true or false');
    expect(parseSettings(reader({ 'commit-message': 'harness: tighten the prompt\n\nBody.', 'max-annotations': '0' }), '/ws')).toMatchObject({
      commitMessage: 'harness: tighten the prompt\n\nBody.',
      maxAnnotations: 0,
    });
    expect(parseSettings(reader({ reviewers: 'ada, grace\nlinus', 'team-reviewers': 'harness-reviewers' }), '/ws')).toMatchObject({
      reviewers: ['ada', 'grace', 'linus'],
      teamReviewers: ['harness-reviewers'],
    });
    expect(() => parseSettings(reader({ reviewers: '@ada' }), '/ws')).toThrow('input "reviewers": got "@ada"; expected GitHub logins');
    expect(() => parseSettings(reader({ 'team-reviewers': 'octo-org/reviewers' }), '/ws')).toThrow('without the org/ prefix');
    expect(() => parseSettings(reader({ 'max-annotations': '-1' }), '/ws')).toThrow(
      'input "max-annotations": got "-1"; expected a whole number from 0 to 1000',
    );
  });

  it('reads the base branch of an evolve run, refusing what git would not take as a branch name', () => {
    expect(parseSettings(reader({}), '/ws').base).toBeUndefined();
    expect(parseSettings(reader({ base: 'release/2.x' }), '/ws').base).toBe('release/2.x');
    expect(parseSettings(reader({ base: 'refs/heads/dev' }), '/ws').base).toBe('dev');
    for (const bad of ['-x', 'a..b', 'dev/', 'x.lock', 'has space', '.hidden'])
      expect(() => parseSettings(reader({ base: bad }), '/ws'), bad).toThrow(`input "base": got ${JSON.stringify(bad)}; expected a branch name`);
  });

  it('reads hyphenated inputs as the runner passes them', () => {
    const settings = parseSettings(
      reader({ 'budget-episodes': '200', 'budget-usd': '2.5', rounds: '4', labels: 'a, b\nc', 'model-base-url': 'http://127.0.0.1:9/v1' }),
      '/ws',
    );
    expect(settings).toMatchObject({ budgetEpisodes: 200, budgetUsd: 2.5, rounds: 4, labels: ['a', 'b', 'c'], modelBaseUrl: 'http://127.0.0.1:9/v1' });
  });

  it('names the input, the value and what is allowed', () => {
    expect(() => parseSettings(reader({ mode: 'fast' }), '/ws')).toThrow('input "mode": got "fast"; expected one of auto, evolve, validate');
    expect(() => parseSettings(reader({ rounds: '2.5' }), '/ws')).toThrow('input "rounds": got "2.5"; expected a whole number from 1 to 50');
    expect(() => parseSettings(reader({ 'budget-usd': '-1' }), '/ws')).toThrow('input "budget-usd"');
    expect(() => parseSettings(reader({ config: '../elsewhere.yml' }), '/ws')).toThrow('expected a path inside the workspace');
    expect(() => parseSettings(reader({ 'branch-prefix': 'bad..prefix' }), '/ws')).toThrow('input "branch-prefix"');
    expect(() => parseSettings(reader({ 'command-prefix': 'self-harness' }), '/ws')).toThrow('input "command-prefix"');
    expect(() => parseSettings(reader({ 'model-base-url': 'ftp://x' }), '/ws')).toThrow('input "model-base-url"');
    expect(() => parseSettings(reader({ 'github-token': '' }), '/ws')).toThrow('"github-token" is empty');
    expect(() => parseSettings(reader({ 'inconclusive-conclusion': 'skipped' }), '/ws')).toThrow('input "inconclusive-conclusion"');
    expect(parseSettings(reader({ 'inconclusive-conclusion': 'neutral' }), '/ws').inconclusiveConclusion).toBe('neutral');
  });

  it('reads artifacts as workspace-relative paths or globs and refuses one that leaves the workspace', () => {
    expect(parseSettings(reader({ artifacts: 'downloaded/harbor-jobs/*\nlogs/**/*.eval, reports' }), '/ws').artifacts).toEqual([
      'downloaded/harbor-jobs/*',
      'logs/**/*.eval',
      'reports',
    ]);
    expect(() => parseSettings(reader({ artifacts: '../other-run/jobs' }), '/ws')).toThrow(
      'input "artifacts": got "../other-run/jobs"; expected paths or globs relative to the workspace /ws',
    );
    expect(() => parseSettings(reader({ artifacts: '/tmp/jobs' }), '/ws')).toThrow('input "artifacts": got "/tmp/jobs"');
  });

  it('does not trim a BOM or NBSP away', () => {
    expect(() => parseSettings(reader({ mode: '\ufeffauto' }), '/ws')).toThrow('input "mode"');
  });
});

describe('isSafeBranchPrefix', () => {
  it('accepts ordinary prefixes and refuses ones git would reject or that hide refs', () => {
    expect(['self-harness/', 'bots/sh-', 'x'].every(isSafeBranchPrefix)).toBe(true);
    expect(['', '/x', '-x', 'a..b', 'a//b', '.hidden/', 'a/.b', 'has space', 'a~b', 'a:b'].some(isSafeBranchPrefix)).toBe(false);
  });
});
