import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/cli.js';
import { parseSettings } from '../../src/action/settings.js';

const actionYml = parse(readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as {
  runs: { using: string; main: string };
  inputs: Record<string, { description?: string; default?: string }>;
  outputs: Record<string, { description?: string }>;
};

describe('action.yml', () => {
  it('runs on node24 from dist/index.js', () => {
    expect(actionYml.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('describes every input and output, in kebab-case', () => {
    for (const [name, spec] of [...Object.entries(actionYml.inputs), ...Object.entries(actionYml.outputs)]) {
      expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(spec.description, name).toBeTruthy();
    }
    expect(Object.keys(actionYml.outputs).sort()).toEqual(['check-run-id', 'check-run-url', 'decision', 'pr-number', 'pr-url', 'report-path', 'train-delta']);
  });

  it('declares exactly the inputs the settings parser reads, with the same defaults', () => {
    const read = new Set<string>();
    const fromYml = parseSettings((name) => {
      read.add(name);
      return name === 'github-token' ? 'token' : (actionYml.inputs[name]?.default ?? '');
    }, '/ws');
    expect([...read].sort()).toEqual(Object.keys(actionYml.inputs).sort());
    expect(actionYml.inputs['github-token']!.default).toBe('${{ github.token }}');
    const fromCode = parseSettings((name) => (name === 'github-token' ? 'token' : ''), '/ws');
    expect(fromYml).toEqual(fromCode);
  });
});
