// Small builders for the runner tests: tasks, harness versions and a temp state directory.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { HarnessVersion, Task } from '../../src/domain/types.js';
import { tempDir } from '../helpers/git.js';

export function task(id: string, dir?: string): Task {
  return { id, contentHash: `hash-of-${id}`, ...(dir ? { dir } : {}) };
}

export function harness(root = tempDir('sh-harness-'), hash = 'h0'): HarnessVersion {
  return { hash, root, label: 'test' };
}

export function ledgerLines(stateDir: string): string[] {
  const file = path.join(stateDir, 'episodes.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** A unique number usable as a marker argument of `sleep` (GNU sleep sums its arguments). */
export function sleepMarker(): string {
  return `1000.${Date.now() % 100000}${Math.floor(Math.random() * 1e6)}`;
}
