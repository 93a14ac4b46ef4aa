// Warnings about a surface that is empty or that include reaches into the evaluator.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { parseConfigText } from '../../src/config/load.js';
import { createSurface } from '../../src/harness/surface.js';
import { surfaceWarnings } from '../../src/harness/surface-check.js';
import { removeDir, tempDir, writeFiles } from '../helpers/git.js';

function surfaceOf(include: string, files: Record<string, string>) {
  const root = tempDir('sh-surface-check-');
  const text = `harness:\n  include: ${include}\nsuite:\n  tasks: tasks/*\n  run: bash harness/run.sh\n`;
  writeFiles(root, { '.self-harness.yml': text, 'tasks/t1/task.txt': 'x\n', ...files });
  const file = path.join(root, '.self-harness.yml');
  return { root, surface: createSurface({ config: parseConfigText(text, file), path: file, root }) };
}

describe('surfaceWarnings', () => {
  it('warns that an include matching no file leaves the surface empty', async () => {
    const { root, surface } = surfaceOf('["prompts/**"]', { 'harness/prompt.md': 'p\n' });
    try {
      const warnings = await surfaceWarnings(surface);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/harness\.include \(prompts\/\*\*\) matches no editable file .*the harness surface is empty/);
    } finally {
      removeDir(root);
    }
  });

  it('names the evaluator files a broad include reaches, with the reason for each', async () => {
    const { root, surface } = surfaceOf('["**"]', { 'harness/prompt.md': 'p\n', 'harness/run.sh': 'exit 1\n', 'package.json': '{}\n', '.gitignore': 'x\n' });
    try {
      const warnings = await surfaceWarnings(surface);
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(/matches 3 file\(s\) that are part of the evaluator/);
      expect(warnings[0]).toMatch(/harness\/run\.sh: named by suite\.run \(bash harness\/run\.sh\)/);
      expect(warnings[0]).toMatch(/package\.json: package\.json is a package manifest/);
      expect(warnings[0]).toMatch(/\.gitignore: \.gitignore changes what git tracks/);
      // The rest of what `**` reaches is refused too, each with its reason.
      expect(warnings[1]).toMatch(/matches 2 file\(s\) that self-harness never edits/);
      expect(warnings[1]).toMatch(/\.self-harness\.yml: is the self-harness config file/);
      expect(warnings[1]).toMatch(/tasks\/t1\/task\.txt: inside task tasks\/t1 \(matched by tasks\/\*\)/);
      expect(await surface.listFiles()).toEqual(['harness/prompt.md']);
    } finally {
      removeDir(root);
    }
  });

  it('says nothing about a narrow, non-empty surface', async () => {
    const { root, surface } = surfaceOf('["harness/*.md"]', { 'harness/prompt.md': 'p\n', 'harness/run.sh': 'exit 1\n' });
    try {
      expect(await surfaceWarnings(surface)).toEqual([]);
    } finally {
      removeDir(root);
    }
  });
});
