// Writes an init plan: creates files that do not exist (or all with --force), appends missing .gitignore lines.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { InitPlan } from './plan.js';

export interface WriteReport {
  written: string[];
  overwritten: string[];
  /** Existing files left alone (no --force). */
  skipped: string[];
  /** Files that got missing lines appended. */
  appended: string[];
  /** append-lines files that already had every line. */
  unchanged: string[];
}

export function writeInitPlan(root: string, plan: InitPlan, force: boolean): WriteReport {
  const report: WriteReport = { written: [], overwritten: [], skipped: [], appended: [], unchanged: [] };
  for (const file of plan.files) {
    const target = path.join(root, file.path);
    const exists = existsSync(target);
    if (file.mode === 'append-lines') {
      const current = exists ? readFileSync(target, 'utf8') : '';
      const present = new Set(current.split(/\r?\n/).map((l) => l.trim()));
      const missing = file.content.split('\n').filter((line) => line.trim() && !present.has(line.trim()));
      if (missing.length === 0) {
        report.unchanged.push(file.path);
        continue;
      }
      const separator = current === '' || current.endsWith('\n') ? '' : '\n';
      const heading = current === '' ? '' : '\n';
      writeFileSync(target, `${current}${separator}${heading}# self-harness state (the candidate history is kept)\n${missing.join('\n')}\n`);
      (exists ? report.appended : report.written).push(file.path);
      continue;
    }
    if (exists && !force) {
      report.skipped.push(file.path);
      continue;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    (exists ? report.overwritten : report.written).push(file.path);
  }
  return report;
}
