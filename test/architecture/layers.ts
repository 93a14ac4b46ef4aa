// The layering of src/, as data: each folder may import only folders of a lower layer, or earlier folders of its own
// layer (the order inside a layer is what keeps folders of one layer from importing each other in a cycle).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const LAYERS: readonly (readonly string[])[] = [
  ['domain'],
  ['config'],
  ['git', 'harness', 'store', 'traces', 'runners', 'llm', 'github'],
  ['stats', 'mining', 'propose', 'validate', 'report'],
  ['flows'],
  ['agent', 'init', 'cli', 'action'],
  ['.'], // src/cli.ts and src/index.ts: the entry points
];

/** (layer, position inside the layer) of a src/ folder; undefined for a folder the layering does not name. */
export function rankOf(folder: string): [number, number] | undefined {
  for (let layer = 0; layer < LAYERS.length; layer++) {
    const position = LAYERS[layer].indexOf(folder);
    if (position >= 0) return [layer, position];
  }
  return undefined;
}

export interface Edge {
  from: string;
  to: string;
  line: number;
}

const IMPORT = /(?:^|[^\w.])(?:import|export)\s*(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every relative import (static, dynamic, type-only, re-export) of every .ts file under `srcDir`, as src-relative paths. */
export function importEdges(srcDir: string): Edge[] {
  const edges: Edge[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        const text = readFileSync(full, 'utf8');
        for (const match of text.matchAll(IMPORT)) {
          const target = path.resolve(path.dirname(full), match[1]).replace(/\.js$/, '.ts');
          const line = text.slice(0, match.index).split('\n').length;
          edges.push({ from: path.relative(srcDir, full), to: path.relative(srcDir, target), line });
        }
      }
    }
  };
  walk(srcDir);
  return edges;
}

export const folderOf = (file: string): string => (file.includes('/') ? file.split('/')[0] : '.');

/** Imports that go up or sideways against the layering, as `file:line -> target (why)`. */
export function upwardImports(edges: Edge[]): string[] {
  const problems: string[] = [];
  for (const edge of edges) {
    const from = folderOf(edge.from);
    const to = folderOf(edge.to);
    if (from === to) continue;
    const a = rankOf(from);
    const b = rankOf(to);
    if (!a || !b) {
      problems.push(`${edge.from}:${edge.line} -> ${edge.to} (folder ${!a ? from : to} is not in the layering: add it to test/architecture/layers.ts)`);
      continue;
    }
    if (b[0] > a[0] || (b[0] === a[0] && b[1] >= a[1])) problems.push(`${edge.from}:${edge.line} -> ${edge.to} (${from} may not import ${to})`);
  }
  return problems;
}

/** File-level import cycles, each as the list of files around it. */
export function cycles(edges: Edge[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const edge of edges) graph.set(edge.from, [...(graph.get(edge.from) ?? []), edge.to]);
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return found;
}
