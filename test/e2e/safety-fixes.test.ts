// Regressions found in review: hooks never run from self-harness's git calls, edits never go through symlinks,
// excludes match without regard to case, and an absolute tasks glob still protects the tasks.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { git as gitWrapper } from '../../src/git/git.js';
import { checkEditablePath, type PathPolicy } from '../../src/harness/path-policy.js';
import { policyFromConfig, createSurface } from '../../src/harness/surface.js';
import { parseConfigText } from '../../src/config/load.js';
import { applyCandidate } from '../../src/propose/apply.js';
import { makeRepo, removeDir } from '../helpers/git.js';

const policy = (over: Partial<PathPolicy> = {}): PathPolicy => ({
  include: ['**/*.md'],
  exclude: [],
  configPath: '.self-harness.yml',
  taskGlobs: ['tasks/*'],
  stateDir: '.self-harness',
  ...over,
});

describe('safety fixes', () => {
  it('never runs repository hooks (an episode could plant one) from its git calls', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    try {
      const marker = path.join(repo, 'hook-ran');
      const hook = path.join(repo, '.git', 'hooks', 'reference-transaction');
      writeFileSync(hook, `#!/bin/sh\ntouch ${marker}\n`);
      chmodSync(hook, 0o755);
      await gitWrapper(['branch', 'x'], { cwd: repo });
      expect(existsSync(marker)).toBe(false);
    } finally {
      removeDir(repo);
    }
  });

  it('matches harness.exclude without regard to case, like the built-in rules', () => {
    expect(checkEditablePath('Secret/x.md', policy({ exclude: ['secret/**'] })).ok).toBe(false);
    expect(checkEditablePath('public/x.md', policy({ exclude: ['secret/**'] })).ok).toBe(true);
  });

  it('protects tasks named by an absolute suite.tasks glob', () => {
    const root = '/abs/repo';
    const config = parseConfigText(`harness:\n  include: ["**/*.md"]\nsuite:\n  tasks: "${root}/tasks/*"\n  run: "true"\n`, `${root}/.self-harness.yml`);
    const p = policyFromConfig({ config, path: `${root}/.self-harness.yml`, root });
    expect(p.taskGlobs).toEqual(['tasks/*']);
    expect(checkEditablePath('tasks/foo/README.md', p).ok).toBe(false);
  });

  it('refuses an edit through a symlink even to an editable file (the commit would miss the change)', async () => {
    const repo = makeRepo({
      '.self-harness.yml': 'harness:\n  include: ["prompts/**"]\nsuite:\n  tasks: "tasks/*"\n  run: "true"\n',
      'prompts/real.md': 'Be careful.\n',
      'tasks/t1/task.txt': 'x\n',
    });
    try {
      symlinkSync('real.md', path.join(repo, 'prompts', 'link.md'));
      mkdirSync(path.join(repo, 'prompts', 'sub'), { recursive: true });
      const loaded = {
        config: parseConfigText(`harness:\n  include: ["prompts/**"]\nsuite:\n  tasks: "tasks/*"\n  run: "true"\n`, path.join(repo, '.self-harness.yml')),
        path: path.join(repo, '.self-harness.yml'),
        root: repo,
      };
      const surface = createSurface(loaded);
      const candidate = {
        id: 'c-0000000000',
        weaknessId: 'w-0000000000',
        mechanism: 'prompt_instruction' as const,
        summary: 's',
        rationale: 'r',
        predictedFixes: [],
        proposer: 'model' as const,
        edits: [{ kind: 'replace' as const, file: 'prompts/link.md', search: 'Be careful.', replace: 'Be very careful.' }],
      };
      await expect(applyCandidate(candidate, repo, surface, { maxEditLines: 40, maxRoundLines: 120 })).rejects.toThrow(
        /symlink.*edit prompts\/real\.md itself/,
      );
    } finally {
      removeDir(repo);
    }
  });
});
