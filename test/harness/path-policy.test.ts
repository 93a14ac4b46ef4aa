import { describe, expect, it } from 'vitest';
import { checkEditablePath, runCommandPaths, type PathPolicy } from '../../src/harness/path-policy.js';

const policy: PathPolicy = {
  include: ['agent/**', '.clinerules', 'CLAUDE.md', 'docs/', '.github/**', 'tasks/**', 'test/**', '.self-harness/**', '.self-harness.yml', '**/*.md'],
  exclude: ['agent/secrets/**', 'agent/**/*.key'],
  configPath: '.self-harness.yml',
  taskGlobs: ['tasks/*', 'lists/tasks.txt'],
  stateDir: '.self-harness',
};

const refused: Array<[string, RegExp]> = [
  ['/etc/passwd', /absolute path/],
  ['C:/agent/x.md', /absolute path/],
  ['agent/../../etc/passwd', /'\.\.' segment/],
  ['../outside.md', /'\.\.' segment/],
  ['a/../.github/x', /'\.\.' segment/],
  ['agent/../agent/prompt.md', /'\.\.' segment/],
  ['agent\\prompt.md', /backslash/],
  ['agent/prompt\0.md', /NUL byte/],
  ['agent/pro\u200bmpt.md', /invisible/],
  ['', /empty path/],
  ['./', /project root/],
  ['.git/config', /under \.git\//],
  ['agent/.git/hooks/pre-commit', /under \.git\//],
  ['.GIT/config', /under \.git\//],
  ['.github/workflows/ci.yml', /under \.github\/, which self-harness never writes/],
  ['./.github/x', /under \.github\//],
  ['.GitHub/x', /under \.github\//],
  ['docs/.github/x.md', /under \.github\//],
  ['node_modules/pkg/README.md', /under node_modules\//],
  ['agent/node_modules/x/index.md', /under node_modules\//],
  ['.self-harness.yml', /config file/],
  ['./.Self-Harness.yml', /config file/],
  ['.self-harness/episodes.jsonl', /state directory/],
  ['.self-harness/worktrees/abc/agent/prompt.md', /state directory/],
  ['tasks/hello/instruction.md', /inside task tasks\/hello \(matched by tasks\/\*\)/],
  ['tasks/hello', /inside task/],
  ['lists/tasks.txt', /inside task lists\/tasks\.txt/],
  ['agent/test/fixture.md', /under a test\/ directory/],
  ['agent/tests/x.md', /under a tests\/ directory/],
  ['agent/__tests__/x.md', /under a __tests__\/ directory/],
  ['test/x.md', /under a test\/ directory/],
  ['agent/tool.test.ts', /test file/],
  ['agent/tool.spec.js', /test file/],
  ['agent/tool.Spec.md', /test file/],
  ['src/main.ts', /not matched by harness\.include/],
  ['agentx/prompt.txt', /not matched by harness\.include/],
  ['agent/secrets/token.md', /matched by harness\.exclude agent\/secrets\/\*\*/],
  ['agent/deep/id.key', /matched by harness\.exclude agent\/\*\*\/\*\.key/],
];

const allowed = [
  'agent/prompt.md',
  './agent/prompt.md',
  'agent//tools.json',
  '.clinerules',
  'CLAUDE.md',
  'docs/guide.txt',
  'agent/.hidden/notes.md',
  'notes/testing.md',
  'agent/latest/x.md',
  'agent/contest.md',
];

describe('path policy', () => {
  it.each(refused)('refuses %j', (relPath, reason) => {
    const verdict = checkEditablePath(relPath, policy);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  });

  it.each(allowed)('allows %j', (relPath) => {
    expect(checkEditablePath(relPath, policy)).toEqual({ ok: true });
  });

  it('names the path and the rule in the reason', () => {
    expect(checkEditablePath('.github/workflows/ci.yml', policy)).toEqual({
      ok: false,
      reason: '.github/workflows/ci.yml: under .github/, which self-harness never writes',
    });
  });

  it('refuses everything when include is empty', () => {
    expect(checkEditablePath('agent/prompt.md', { ...policy, include: [] }).ok).toBe(false);
  });

  it('protects a nested state dir and config path given with ./ prefixes', () => {
    const nested: PathPolicy = { ...policy, include: ['**'], configPath: './conf/sh.yml', stateDir: './var/state/' };
    expect(checkEditablePath('conf/sh.yml', nested).ok).toBe(false);
    expect(checkEditablePath('var/state/x', nested).ok).toBe(false);
    expect(checkEditablePath('var/stateful.md', nested).ok).toBe(true);
  });

  it('ignores a state dir outside the project and task globs that leave it', () => {
    const outside: PathPolicy = { ...policy, include: ['**'], stateDir: '../state', taskGlobs: ['../tasks/*'] };
    expect(checkEditablePath('state/x.md', outside).ok).toBe(true);
    expect(checkEditablePath('tasks/x.md', outside).ok).toBe(true);
  });

  describe('the evaluator is never the harness, whatever include says', () => {
    const everything: PathPolicy = {
      ...policy,
      include: ['**'],
      runCommand: 'bash harness/run.sh --verifier ./checks/verify.py --config=harness/limits.json && node agent.mjs',
    };
    it.each<[string, RegExp]>([
      ['harness/run.sh', /named by suite\.run .*the evaluator is never the harness/],
      ['checks/verify.py', /named by suite\.run/],
      ['harness/limits.json', /named by suite\.run/],
      ['agent.mjs', /named by suite\.run/],
      ['package.json', /package manifest/],
      ['harness/package.json', /package manifest/],
      ['package-lock.json', /lock file/],
      ['pnpm-lock.yaml', /lock file/],
      ['requirements-dev.txt', /package manifest/],
      ['pyproject.toml', /package manifest/],
      ['Makefile', /build file/],
      ['.gitignore', /what git tracks/],
      ['harness/.gitignore', /what git tracks/],
      ['.gitattributes', /what git tracks/],
      ['.gitmodules', /what git tracks/],
      ['.husky/pre-commit', /under \.husky\//],
      ['.devcontainer/devcontainer.json', /under \.devcontainer\//],
      ['.vscode/tasks.json', /under \.vscode\//],
      ['.envrc', /configures the shell/],
      ['.npmrc', /configures the shell/],
      ['.env.local', /configures the shell/],
      ['.gitlab-ci.yml', /CI definition/],
    ])('refuses %j', (relPath, reason) => {
      const verdict = checkEditablePath(relPath, everything);
      expect(verdict.ok).toBe(false);
      expect(verdict.ok ? '' : verdict.reason).toMatch(reason);
    });

    it('still allows the harness files beside them', () => {
      expect(checkEditablePath('harness/prompt.md', everything)).toEqual({ ok: true });
      expect(checkEditablePath('harness/run.md', everything)).toEqual({ ok: true });
      expect(checkEditablePath('packages.md', everything)).toEqual({ ok: true });
    });

    it('finds the paths a run command names, not its programs, flags or URLs', () => {
      expect(runCommandPaths('node agent/run.js --model=gpt-4 "./x.sh" http://h/a.js $HOME/y.py; python3 -m eval ../up.py')).toEqual(['agent/run.js', 'x.sh']);
    });
  });
});
