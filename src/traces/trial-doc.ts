// The opening every per-trial reader shares: read the trial's result document (unless the caller has it), check its
// shape, and turn either failure into a skip reason naming the file.
import type { z } from 'zod';
import type { ParsedTrace } from './model.js';
import { readJsonFile } from './json-file.js';
import { issueText } from './lenient.js';
import { relPath } from './trace-parts.js';

/** What a trial reader returns: its traces, what it skipped and why, and the files it folded in (not to be read again). */
export interface TrialOutput {
  traces: ParsedTrace[];
  skipped: { file: string; reason: string }[];
  /** Absolute paths of files the trial folded in (trajectory, ctrf, rewards, config...) that a walk must not read again. */
  consumed: string[];
}

export type TrialDoc<T> = { ok: true; value: unknown; data: T; shown: string } | { ok: false; output: TrialOutput };

/** Reads and parses a trial's result document; `what` names the format in the skip reason ("a Harbor trial result"). */
export async function readTrialDoc<T>(file: string, baseDir: string, doc: unknown, schema: z.ZodType<T>, what: string): Promise<TrialDoc<T>> {
  const shown = relPath(file, baseDir);
  let value = doc;
  if (value === undefined) {
    const read = await readJsonFile(file);
    if (!read.ok) return { ok: false, output: { traces: [], skipped: [{ file: shown, reason: read.reason }], consumed: [] } };
    value = read.value;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    return { ok: false, output: { traces: [], skipped: [{ file: shown, reason: `not ${what}: ${issueText(parsed.error)}` }], consumed: [] } };
  return { ok: true, value, data: parsed.data, shown };
}
