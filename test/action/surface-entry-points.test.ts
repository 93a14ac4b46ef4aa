// One harness surface: the PR/merge-queue gate, evolve's pre-push check, validate-refs and the path policy must give
// the same answer for the same paths and config (`dir/`, `dir`, `**`, case variants, excludes, a nested project).
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { parseConfigText } from '../../src/config/load.js';
import type { LoadedConfig } from '../../src/config/schema.js';
import { classifyChangedPaths, createSurface, policyFromConfig } from '../../src/harness/surface.js';
import { gateHarnessFiles } from '../../src/action/validate-job.js';
import { surfaceRefusals } from '../../src/action/evolve-job.js';

function loadedAt(configDir: string, include: string[], exclude: string[] = []): LoadedConfig {
  const root = path.join('/repo', configDir);
  const file = path.join(root, '.self-harness.yml');
  const text = `harness:\n  include: ${JSON.stringify(include)}\n  exclude: ${JSON.stringify(exclude)}\nsuite:\n  tasks: "tasks/*"\n  run: "node run.js"\n`;
  return { config: parseConfigText(text, file), path: file, root };
}

const PATHS = [
  'harness/prompt.md',
  'harness/deep/tools.json',
  'Harness/prompt.md',
  'harness',
  'harness/secret.md',
  'harness/SECRET.md',
  'harness/prompt.test.md',
  'harness/tests/case.md',
  'tasks/t1/task.md',
  '.self-harness.yml',
  '.github/workflows/x.yml',
  '.self-harness/reports/r.json',
  'README.md',
  'run.js',
];

const CONFIGS: [string, string[], string[]][] = [
  ['harness/', ['harness/'], []],
  ['harness', ['harness'], []],
  ['harness/**', ['harness/**'], ['harness/secret.md']],
  ['./harness/ with a case-variant exclude', ['./harness/'], ['Harness/Secret.md']],
  ['**', ['**'], []],
  ['*.md', ['*.md', 'harness/*.md'], []],
];

/** The answer of each entry point: the set of harness files among PATHS (prefixed by the project directory). */
function answers(configDir: string, include: string[], exclude: string[]) {
  const loaded = loadedAt(configDir, include, exclude);
  const repoPaths = PATHS.map((p) => (configDir ? `${configDir}/${p}` : p));
  const surface = createSurface(loaded);
  return {
    pathPolicy: repoPaths.filter((_, i) => surface.isEditable(PATHS[i]!).ok),
    gate: gateHarnessFiles(repoPaths, loaded, configDir),
    evolvePrePush: repoPaths.filter((p) => surfaceRefusals([p], loaded, configDir).length === 0),
    validateRefs: repoPaths.filter((p) => !classifyChangedPaths(repoPaths, { policy: policyFromConfig(loaded), configDir }).outside.some((o) => o.path === p)),
  };
}

describe('one harness surface for every entry point', () => {
  for (const configDir of ['', 'agent']) {
    for (const [label, include, exclude] of CONFIGS) {
      it(`agrees on include ${label}${configDir ? ` in ${configDir}/` : ''}`, () => {
        const { pathPolicy, gate, evolvePrePush, validateRefs } = answers(configDir, include, exclude);
        expect(gate).toEqual(pathPolicy);
        expect(evolvePrePush).toEqual(pathPolicy);
        expect(validateRefs).toEqual(pathPolicy);
      });
    }
  }

  it('treats `harness/` as everything under it, excludes case-insensitively, and never tests, tasks, config or .github', () => {
    const p = (dir: string) => (s: string) => (dir ? `${dir}/${s}` : s);
    // `harness/` is `harness/**`, which (as picomatch's globstar) also matches a file named `harness`.
    expect(answers('', ['harness/'], []).gate).toEqual(['harness/prompt.md', 'harness/deep/tools.json', 'harness', 'harness/secret.md', 'harness/SECRET.md']);
    expect(answers('', ['./harness/'], ['Harness/Secret.md']).gate).toEqual(['harness/prompt.md', 'harness/deep/tools.json', 'harness']);
    // `**` never reaches the evaluator: run.js is named by suite.run, so it is no harness file whatever include says.
    expect(answers('agent', ['**'], []).gate).toEqual(
      ['harness/prompt.md', 'harness/deep/tools.json', 'Harness/prompt.md', 'harness', 'harness/secret.md', 'harness/SECRET.md', 'README.md'].map(p('agent')),
    );
  });

  it('a path outside the project directory is never harness, whatever the globs', () => {
    const loaded = loadedAt('agent', ['**']);
    expect(classifyChangedPaths(['other/harness/prompt.md', 'agentx/prompt.md'], { policy: policyFromConfig(loaded), configDir: 'agent' })).toEqual({
      harness: [],
      outside: [
        { path: 'other/harness/prompt.md', reason: 'other/harness/prompt.md: outside the project directory agent/' },
        { path: 'agentx/prompt.md', reason: 'agentx/prompt.md: outside the project directory agent/' },
      ],
    });
  });

  it('evolve lets its own candidate history travel with the change', () => {
    const loaded = loadedAt('agent', ['harness/**']);
    expect(surfaceRefusals(['agent/.self-harness/history.jsonl', 'agent/harness/a.md'], loaded, 'agent')).toEqual([]);
    expect(surfaceRefusals(['agent/run.js'], loaded, 'agent')).toEqual([expect.stringContaining('run.js: named by suite.run')]);
  });
});
