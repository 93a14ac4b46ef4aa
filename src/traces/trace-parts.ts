// Small constructors shared by the readers: a new trace, a skipped file, a path shown relative to the folder read.
import { relative, sep } from 'node:path';
import type { ArtifactReadResult, ParsedTrace, SkippedFile } from './model.js';

export const emptyResult = (): ArtifactReadResult => ({ traces: [], skipped: [] });

export function relPath(file: string, baseDir: string): string {
  const rel = relative(baseDir, file);
  const shown = rel === '' || rel.startsWith('..') ? file : rel;
  return shown.split(sep).join('/');
}

export function skip(file: string, reason: string): ArtifactReadResult {
  return { traces: [], skipped: [{ file, reason }] };
}

export function newTrace(format: ParsedTrace['format'], file: string): ParsedTrace {
  return { format, file, steps: [], tests: [], skipped: [] };
}

export function skippedFile(file: string, reason: string): SkippedFile {
  return { file, reason };
}
