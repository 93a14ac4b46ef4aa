// What a change touched, from git: changed paths and the added lines of each (for annotations and reports).
import { git } from './git.js';
import type { ChangedFile } from '../domain/flows.js';

/** Files changed between two commits, with the 1-based line numbers added or changed in the new version. */
export async function changedFiles(repo: string, base: string, head: string): Promise<ChangedFile[]> {
  const out = await git(['diff', '--no-color', '--no-ext-diff', '-U0', '--no-renames', base, head], { cwd: repo });
  return parseAddedLines(out);
}

export async function unifiedDiff(repo: string, base: string, head: string, paths: string[] = []): Promise<string> {
  return git(['diff', '--no-color', '--no-ext-diff', base, head, '--', ...paths], { cwd: repo });
}

/** Parses `git diff -U0` output into files and their added line numbers (deleted files have none). */
export function parseAddedLines(diff: string): ChangedFile[] {
  const files: ChangedFile[] = [];
  let current: ChangedFile | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      const match = /^diff --git a\/(.+) b\/(.+)$/.exec(line);
      current = { path: match ? match[2]! : line.slice(11), addedLines: [] };
      files.push(current);
    } else if (line.startsWith('+++ ') && current) {
      const target = line.slice(4);
      if (target.startsWith('b/')) current.path = target.slice(2);
    } else if (line.startsWith('@@') && current) {
      const match = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (match) {
        const start = Number(match[1]);
        const count = match[2] === undefined ? 1 : Number(match[2]);
        for (let i = 0; i < count; i++) current.addedLines.push(start + i);
      }
    }
  }
  return files;
}
