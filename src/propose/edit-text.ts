// Applies one FileEdit to the text of one file, in memory. Pure: the caller reads and writes files.
import { applyPatch, parsePatch } from 'diff';
import { EditRefusedError } from './safety.js';
import type { FileEdit } from './types.js';

/** The new content of `edit.file`; `current` is its content now, or null when it does not exist. */
export function applyEditToText(edit: FileEdit, current: string | null, candidateId?: string): string {
  switch (edit.kind) {
    case 'replace':
      return applyReplace(edit, current, candidateId);
    case 'diff':
      return applyDiff(edit, current, candidateId);
    case 'create':
      if (current !== null && current.trim() !== '') {
        throw new EditRefusedError(edit.file, 'create', 'the file already exists; use a replace or diff edit to change it', candidateId);
      }
      return edit.content;
    default:
      throw new EditRefusedError(
        String((edit as { file?: unknown }).file ?? ''),
        'malformed',
        `unknown edit kind ${JSON.stringify((edit as { kind?: unknown }).kind)}`,
        candidateId,
      );
  }
}

function applyReplace(edit: Extract<FileEdit, { kind: 'replace' }>, current: string | null, candidateId?: string): string {
  const firstLine = JSON.stringify(firstLineOf(edit.search));
  if (current === null) {
    throw new EditRefusedError(
      edit.file,
      'search',
      `the file does not exist, so the search text starting ${firstLine} cannot be found; use a create edit for a new file`,
      candidateId,
    );
  }
  if (edit.search === '') throw new EditRefusedError(edit.file, 'search', 'the search text is empty', candidateId);
  let search = edit.search;
  let replace = edit.replace;
  // A model writes \n; a CRLF file still matches when the line endings are the only difference.
  if (countOccurrences(current, search) === 0 && current.includes('\r\n') && !search.includes('\r\n')) {
    search = search.replace(/\n/g, '\r\n');
    replace = replace.replace(/\r?\n/g, '\r\n');
  }
  const found = countOccurrences(current, search);
  if (found !== 1) {
    const what = found === 0 ? 'not found' : `found ${found} times (it must occur exactly once; include more context)`;
    throw new EditRefusedError(edit.file, 'search', `the search text starting ${firstLine} was ${what}`, candidateId);
  }
  const at = current.indexOf(search);
  return current.slice(0, at) + replace + current.slice(at + search.length);
}

function applyDiff(edit: Extract<FileEdit, { kind: 'diff' }>, current: string | null, candidateId?: string): string {
  let patches;
  try {
    patches = parsePatch(edit.patch);
  } catch (error) {
    throw new EditRefusedError(edit.file, 'patch', `the unified diff does not parse: ${(error as Error).message}`, candidateId);
  }
  const withHunks = patches.filter((p) => p.hunks.length > 0);
  if (withHunks.length !== 1) {
    throw new EditRefusedError(
      edit.file,
      'patch',
      `the unified diff must change exactly one file, it has ${withHunks.length} file sections with hunks`,
      candidateId,
    );
  }
  const patch = withHunks[0]!;
  const oldName = stripPrefix(patch.oldFileName);
  const newName = stripPrefix(patch.newFileName);
  if (newName === '/dev/null') throw new EditRefusedError(edit.file, 'patch', 'deleting files is not supported', candidateId);
  for (const name of [oldName, newName]) {
    if (name && name !== '/dev/null' && name !== edit.file.replace(/^(\.\/)+/, '')) {
      throw new EditRefusedError(edit.file, 'patch', `the diff names the file ${name}, not ${edit.file}`, candidateId);
    }
  }
  if (current === null && oldName !== '/dev/null' && !patch.hunks.every((h) => h.oldLines === 0)) {
    throw new EditRefusedError(edit.file, 'patch', 'the file does not exist; a diff for a new file must come from /dev/null', candidateId);
  }
  let result: string | false;
  try {
    result = applyPatch(current ?? '', patch);
  } catch (error) {
    throw new EditRefusedError(edit.file, 'patch', `the diff does not apply: ${(error as Error).message}`, candidateId);
  }
  if (result === false) {
    const hunk = patch.hunks[0]!;
    const context = hunk.lines.find((l) => !l.startsWith('+'))?.slice(1) ?? '';
    throw new EditRefusedError(
      edit.file,
      'patch',
      `the diff does not apply to the current file (hunk at line ${hunk.oldStart}, first line ${JSON.stringify(context)} does not match)`,
      candidateId,
    );
  }
  return result;
}

function stripPrefix(name: string | undefined): string {
  if (!name) return '';
  const trimmed = name.trim();
  if (trimmed === '/dev/null') return trimmed;
  return trimmed.replace(/^[ab]\//, '').replace(/^(\.\/)+/, '');
}

export function countOccurrences(text: string, search: string): number {
  if (search === '') return 0;
  let count = 0;
  for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + 1)) count++;
  return count;
}

function firstLineOf(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
