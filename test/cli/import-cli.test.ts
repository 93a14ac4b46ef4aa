// `self-harness import` then `self-harness mine`: imported episodes are mined like run ones.
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { runCli, repoRoot } from '../helpers/cli.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { makeRepo, tempDir } from '../helpers/git.js';

const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'published');

describe('self-harness import (CLI)', () => {
  it('imports a Harbor job dir, reports it, and mine reads the imported failures', async () => {
    const repo = makeRepo(
      {
        '.gitignore': '.self-harness/\n',
        '.self-harness.yml': ['harness:', "  include: ['agent/**']", 'suite:', "  tasks: 'tasks/*'", "  run: 'sh agent/run.sh'"].join('\n'),
        'agent/run.sh': 'exit 0\n',
        'agent/prompt.md': 'You are a careful agent.\n',
        'tasks/t1/task.md': 'do it\n',
      },
      'sh-import-cli-',
    );
    const config = path.join(repo, '.self-harness.yml');
    const imported = await runCli(['import', path.join(FIXTURES, 'harbor'), '--config', config]);
    expect(imported.exitCode, String(imported.all)).toBe(0);
    expect(imported.stdout).toMatch(/^imported 4 episode\(s\) \(/m);
    expect(imported.stdout).toMatch(/infra-error\s+configure-git-webserver#0 .*: RuntimeError/);
    expect(imported.stdout).toMatch(/next: self-harness mine --harness [0-9a-f]{12}/);

    const again = await runCli(['import', path.join(FIXTURES, 'harbor'), '--config', config, '--json']);
    expect(JSON.parse(String(again.stdout))).toMatchObject({ added: [], duplicates: expect.arrayContaining([expect.anything()]) });

    const mined = await runCli(['mine', '--config', config, '--no-model', '--json']);
    expect(mined.exitCode, String(mined.all)).toBe(0);
    expect(mined.stderr).toMatch(/mining 4 train episode\(s\)/);
    const result = JSON.parse(String(mined.stdout)) as { weaknesses: { tasks: string[] }[]; infraExcluded: number; passingTasks: string[] };
    const weakTasks = result.weaknesses.flatMap((w) => w.tasks).sort();
    expect(weakTasks).toEqual(['dna-insert', 'tune-mjcf']);
    // The runner's RuntimeError is infrastructure: counted apart, never a weakness.
    expect(result.infraExcluded).toBe(1);
  });

  it('--json carries the warnings (a commit the artifacts record that is not in the repository), not only stderr', async () => {
    const repo = makeRepo(
      {
        '.self-harness.yml': ['harness:', "  include: ['agent/**']", 'suite:', "  tasks: 'tasks/*'", "  run: 'sh agent/run.sh'"].join('\n'),
        'agent/prompt.md': 'You are a careful agent.\n',
        'tasks/t1/task.md': 'do it\n',
      },
      'sh-import-cli-warn-',
    );
    const source = tempDir('sh-import-cli-src-');
    const log = JSON.parse(readFileSync(path.join(FIXTURES, 'inspect', 'log_formats.json'), 'utf8')) as { eval: { revision: { commit: string } } };
    log.eval.revision.commit = 'f'.repeat(40);
    writeFileSync(path.join(source, 'recorded.json'), JSON.stringify(log));
    const imported = await runCli(['import', source, '--config', path.join(repo, '.self-harness.yml'), '--json']);
    expect(imported.exitCode, String(imported.all)).toBe(0);
    const report = JSON.parse(String(imported.stdout)) as { added: unknown[]; warnings: string[] };
    expect(report.added).toHaveLength(1);
    expect(report.warnings).toEqual([
      `the artifacts record commit ${'f'.repeat(40)}, which is not in this repository; recording those episodes under HEAD (fetch that commit and import again for its harness version).`,
    ]);
    expect(imported.stderr).toContain('which is not in this repository');
  });
});
