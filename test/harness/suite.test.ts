import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import type { LoadedConfig } from '../../src/config/schema.js';
import { sha256 } from '../../src/harness/hash.js';
import { discoverSuite, selectTasks } from '../../src/harness/suite.js';
import { UserError } from '../../src/domain/types.js';
import { tempDir, writeFiles } from '../helpers/git.js';

function project(suiteLines: string, files: Record<string, string>): LoadedConfig {
  const root = tempDir('sh-suite-');
  const text = `harness:\n  include: [agent/**]\nsuite:\n  run: node agent/run.js\n${suiteLines}`;
  writeFiles(root, { '.self-harness.yml': text, ...files });
  const file = path.join(root, '.self-harness.yml');
  return { config: parseConfigText(text, file), path: file, root };
}

const taskFiles = {
  'tasks/alpha/instruction.md': 'a\n',
  'tasks/beta/instruction.md': 'b\n',
  'tasks/beta/tests/test.sh': 'exit 0\n',
  'tasks/gamma/instruction.md': 'c\n',
  'tasks/README.md': 'not a task\n',
};

describe('suite discovery', () => {
  it('makes each matching directory a task named by the directory', async () => {
    const loaded = project('  tasks: tasks/*\n  holdout: 0\n', taskFiles);
    const suite = await discoverSuite(loaded);
    expect(suite.tasks.map((t) => [t.id, t.dir])).toEqual([
      ['alpha', path.join(loaded.root, 'tasks/alpha')],
      ['beta', path.join(loaded.root, 'tasks/beta')],
      ['gamma', path.join(loaded.root, 'tasks/gamma')],
    ]);
    expect(suite.split).toEqual({ train: ['alpha', 'beta', 'gamma'], holdout: [] });
  });

  it("task content hash changes only with that task's files", async () => {
    const loaded = project('  tasks: ./tasks/*/\n', taskFiles);
    const before = await discoverSuite(loaded);
    writeFileSync(path.join(loaded.root, 'tasks/beta/tests/test.sh'), 'exit 1\n');
    const after = await discoverSuite(loaded);
    const hash = (s: typeof before, id: string) => s.tasks.find((t) => t.id === id)!.contentHash;
    expect(hash(after, 'beta')).not.toBe(hash(before, 'beta'));
    expect(hash(after, 'alpha')).toBe(hash(before, 'alpha'));
    expect(hash(before, 'alpha')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses two task directories with the same id, naming both paths', async () => {
    const loaded = project('  tasks: "suites/*/*"\n', { 'suites/a/hello/x': '', 'suites/b/hello/y': '', 'suites/b/other/z': '' });
    await expect(discoverSuite(loaded)).rejects.toThrow(/two task directories have the id "hello": suites\/a\/hello and suites\/b\/hello/);
  });

  it('discovers a large generated suite, sorted by id', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++)
      for (const name of ['instruction.md', 'tests/test.sh', 'task.toml']) files[`tasks/task-${String(i).padStart(3, '0')}/${name}`] = `${i} ${name}\n`;
    const loaded = project('  tasks: tasks/*\n', files);
    const suite = await discoverSuite(loaded);
    expect(suite.tasks).toHaveLength(400);
    expect(suite.tasks[0]!.id).toBe('task-000');
    expect(suite.tasks[399]!.id).toBe('task-399');
    expect(new Set(suite.tasks.map((t) => t.contentHash)).size).toBe(400);
    expect(suite.split.train.length + suite.split.holdout.length).toBe(400);
  });

  it('says which glob matched nothing and what to do', async () => {
    const loaded = project('  tasks: "benchmarks/*"\n', taskFiles);
    const error = await discoverSuite(loaded).catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/suite\.tasks: the glob "benchmarks\/\*" matched no directory .*"tasks\/\*"/);
  });

  it('reads a tasks file: one id per line, comments and blanks ignored', async () => {
    const loaded = project('  tasks-file: tasks.txt\n  holdout-tasks: [three]\n', { 'tasks.txt': '# the suite\none\n\n  two   # inline comment\nthree\n' });
    const suite = await discoverSuite(loaded);
    expect(suite.tasks).toEqual([
      { id: 'one', contentHash: sha256('one') },
      { id: 'two', contentHash: sha256('two') },
      { id: 'three', contentHash: sha256('three') },
    ]);
    expect(suite.split.holdout).toContain('three');
  });

  it('refuses duplicate, unsafe or missing ids in a tasks file with their line', async () => {
    await expect(discoverSuite(project('  tasks-file: t.txt\n', { 't.txt': 'a\nb\na\n' }))).rejects.toThrow(
      /t\.txt:3: task id "a" is already listed at line 1/,
    );
    await expect(discoverSuite(project('  tasks-file: t.txt\n', { 't.txt': 'a\n../b\n' }))).rejects.toThrow(/t\.txt:2: task id "\.\.\/b" must not contain/);
    await expect(discoverSuite(project('  tasks-file: t.txt\n', { 't.txt': '# nothing\n' }))).rejects.toThrow(/lists no task ids/);
    await expect(discoverSuite(project('  tasks-file: gone.txt\n', {}))).rejects.toThrow(/cannot read gone\.txt \(ENOENT\)/);
  });

  it('names unknown split override ids', async () => {
    const loaded = project('  tasks: tasks/*\n  train-tasks: [alpha, delta]\n', taskFiles);
    await expect(discoverSuite(loaded)).rejects.toThrow(/suite\.train-tasks: unknown task id "delta"/);
  });
});

describe('task selection', () => {
  const suite = {
    tasks: ['a', 'b', 'c', 'd'].map((id) => ({ id, contentHash: sha256(id) })),
    split: { train: ['a', 'c'], holdout: ['b', 'd'] },
  };

  it('selects by split and by ids', () => {
    expect(selectTasks(suite, 'train').map((t) => t.id)).toEqual(['a', 'c']);
    expect(selectTasks(suite, 'holdout').map((t) => t.id)).toEqual(['b', 'd']);
    expect(selectTasks(suite, 'all', ['d', 'a']).map((t) => t.id)).toEqual(['a', 'd']);
    expect(selectTasks(suite, 'train', []).map((t) => t.id)).toEqual(['a', 'c']);
  });

  it('lists unknown ids', () => {
    expect(() => selectTasks(suite, 'all', ['a', 'x', 'y'])).toThrow(/unknown task ids "x", "y"; the suite has "a", "b", "c", "d"/);
  });

  it('refuses a held-out id when selecting train, so sealed tasks never leak', () => {
    expect(() => selectTasks(suite, 'train', ['b'])).toThrow(/task "b" is not in the train split/);
  });
});
