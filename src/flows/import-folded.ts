// The continuation and sub-trajectory files an ATIF trajectory folds in (`*.cont-1.json`, `*.summarization-1-*.json`):
// a directory walk reads them only through their parent, so import lists them beside it: every file found is either
// read or listed.
import { readAtifFile } from '../traces/atif.js';
import { withinEpisode } from '../traces/confined.js';

/** The files the ATIF trajectory `file` folds in (absolute paths under `base`), in reading order. */
export async function foldedFiles(file: string, base: string): Promise<string[]> {
  const read = await withinEpisode(base, () => readAtifFile(file, base), Number.POSITIVE_INFINITY);
  return read.consumed;
}

/** Why a folded file is not imported on its own. */
export function foldedReason(parentShown: string): string {
  return `folded into ${parentShown} (continuation/sub-trajectory)`;
}
