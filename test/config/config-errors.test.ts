import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfigText } from '../../src/config/load.js';
import { UserError } from '../../src/domain/types.js';
import { tempDir, writeFiles } from '../helpers/git.js';

const file = path.join(process.cwd(), '.self-harness.yml');

function errorOf(text: string): string {
  try {
    parseConfigText(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

const good = `harness:
  include: [agent/**]
suite:
  tasks: tasks/*
  run: node agent/run.js
`;

describe('config errors name file:line field and what to do', () => {
  it('accepts a minimal config and fills the defaults', () => {
    const config = parseConfigText(good, file);
    expect(config.suite.concurrency).toBe(4);
    expect(config.suite.seed).toBe('self-harness');
    expect(config['state-dir']).toBe('.self-harness');
  });

  it('reports a wrong value type at its line with the value given', () => {
    const message = errorOf(`harness:
  include: [agent/**]
suite:
  tasks: tasks/*
  run: node agent/run.js
  timeout-seconds: 10
  concurrency: four
`);
    expect(message).toBe('.self-harness.yml:7 suite.concurrency: expected a positive integer, got "four"');
  });

  it('reports unknown keys with their full path, line and the nearest known key', () => {
    const message = errorOf(`harness:
  include: [agent/**]
  excludes: [agent/secret.md]
suite:
  tasks: tasks/*
  run: x
  bogus: 1
`);
    const lines = message.split('\n');
    expect(lines[0]).toMatch(/^\.self-harness\.yml:3 harness\.excludes: unknown key; did you mean "exclude"\?/);
    expect(lines[1]).toMatch(/^\.self-harness\.yml:7 suite\.bogus: unknown key; known keys: tasks, tasks-file, run/);
  });

  it('reports unknown top-level sections', () => {
    expect(errorOf(`${good}valdiate:\n  alpha: 0.1\n`)).toMatch(/^\.self-harness\.yml:6 valdiate: unknown key; did you mean "validate"\?/);
  });

  it('reports missing sections and says what to add', () => {
    const message = errorOf('suite:\n  tasks: tasks/*\n  run: x\n');
    expect(message).toMatch(/^\.self-harness\.yml:1 harness: required section missing; add harness\.include/);
    const empty = errorOf('');
    expect(empty).toContain('harness: required section missing');
    expect(empty).toContain('suite: required section missing');
  });

  it('reports a missing required field at the line of its section', () => {
    expect(errorOf('harness:\n  include: [agent/**]\nsuite:\n  tasks: tasks/*\n')).toBe(
      '.self-harness.yml:3 suite.run: set suite.run, the shell command run once per episode (e.g. "node agent/run.js")',
    );
  });

  it('reports bad YAML with its line', () => {
    expect(errorOf('harness:\n  include: [agent/**]\nsuite:\n  tasks: "tasks/*\n  run: x\n')).toMatch(/^\.self-harness\.yml:\d+: not valid YAML: /);
    expect(errorOf('harness:\n  include: [agent/**\nsuite:\n')).toMatch(/^\.self-harness\.yml:[23]: not valid YAML: Flow sequence/);
  });

  it('reports duplicate keys as bad YAML', () => {
    expect(errorOf(`${good}suite:\n  run: y\n`)).toMatch(/^\.self-harness\.yml:6: not valid YAML: .*[Uu]nique/);
  });

  it('reports a document that is not a mapping', () => {
    expect(errorOf('- a\n- b\n')).toMatch(/^\.self-harness\.yml:1: expected a mapping with "harness" and "suite" sections, got a list/);
    expect(errorOf('just text\n')).toMatch(/got "just text"/);
  });

  it('reports every range error at once, each with the value given', () => {
    const lines = errorOf(`harness:
  include: []
suite:
  tasks: tasks/*
  run: x
  holdout: 1.5
model:
  temperature: 5
`).split('\n');
    expect(lines).toEqual([
      '.self-harness.yml:2 harness.include: list at least one glob of harness files, got []',
      '.self-harness.yml:6 suite.holdout: expected a fraction from 0 to 1, got 1.5',
      '.self-harness.yml:8 model.temperature: expected number to be <=2, got 5',
    ]);
  });

  it.each([
    ['  holdout-tasks: a\n', '.self-harness.yml:6 suite.holdout-tasks: expected a list, got "a"'],
    ['  env:\n    A: 1\n', '.self-harness.yml:7 suite.env.A: expected a string, got 1'],
    ['mining:\n  diagnose: "yes"\n', '.self-harness.yml:7 mining.diagnose: expected true or false, got "yes"'],
    ['evolve: 3\n', '.self-harness.yml:6 evolve: expected a mapping of keys, got 3'],
    ['  seed: [1]\n', '.self-harness.yml:6 suite.seed: not an allowed value, got [1]; see schema/self-harness.schema.json'],
  ])('reports a wrong type in plain words (%j)', (extra, expected) => {
    expect(errorOf(good + extra)).toBe(expected);
  });

  it('reports a bad enum value with the value given', () => {
    expect(errorOf(`${good}  runner: docker\n`)).toMatch(/^\.self-harness\.yml:6 suite\.runner: .*"command".*"harbor".*, got "docker"$/);
  });

  it('loadConfig says how to fix a missing file and sets root to the config directory', () => {
    const dir = tempDir();
    expect(() => loadConfig(undefined, dir)).toThrow(/\.self-harness\.yml: config file not found\. .*--config PATH/);
    writeFiles(dir, { 'sub/.self-harness.yml': good });
    const loaded = loadConfig('sub/.self-harness.yml', dir);
    expect(loaded.root).toBe(path.join(dir, 'sub'));
    expect(loaded.path).toBe(path.join(dir, 'sub', '.self-harness.yml'));
    expect(() => loadConfig('sub', dir)).toThrow(/cannot read the config file \(EISDIR\)/);
  });
});
