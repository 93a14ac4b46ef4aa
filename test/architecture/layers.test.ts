import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, importEdges, upwardImports, type Edge } from './layers.js';
import { repoRoot } from '../helpers/cli.js';

const src = path.join(repoRoot, 'src');

describe('the layering of src/', () => {
  it('has no import going up or sideways against the layers in docs/architecture.md', () => {
    expect(upwardImports(importEdges(src))).toEqual([]);
  });

  it('has no import cycle between files', () => {
    expect(cycles(importEdges(src))).toEqual([]);
  });

  it('the checker sees a type-only upward import, a dynamic one and a cycle', () => {
    const edges: Edge[] = [
      { from: 'domain/types.ts', to: 'flows/evolve.ts', line: 3 },
      { from: 'stats/a.ts', to: 'validate/b.ts', line: 1 },
      { from: 'validate/b.ts', to: 'stats/a.ts', line: 1 },
      { from: 'mystery/x.ts', to: 'domain/types.ts', line: 2 },
    ];
    expect(upwardImports(edges)).toEqual([
      'domain/types.ts:3 -> flows/evolve.ts (domain may not import flows)',
      'stats/a.ts:1 -> validate/b.ts (stats may not import validate)',
      'mystery/x.ts:2 -> domain/types.ts (folder mystery is not in the layering: add it to test/architecture/layers.ts)',
    ]);
    expect(cycles(edges)).toEqual([['stats/a.ts', 'validate/b.ts']]);
  });

  it('reads every import form the sources use', () => {
    const edges = importEdges(src).filter((edge) => edge.from === 'cli.ts');
    // src/cli.ts loads its commands with dynamic import(): the checker must see them.
    expect(edges.map((edge) => edge.to)).toContain('cli/run.ts');
  });
});
