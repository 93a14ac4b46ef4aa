// Applies a candidate's edits inside an isolated checkout: validate every edit first, then write all or nothing.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTwoFilesPatch, structuredPatch } from 'diff';
import type { HarnessSurface } from '../harness/surface.js';
import { applyEditToText } from './edit-text.js';
import { checkInsideDir, checkPathRule, countChangedLines, EditRefusedError, parseProblem } from './safety.js';
import type { Candidate, EditLimits } from './types.js';

export interface PlannedFile {
  /** Relative to the checkout root, posix. */
  file: string;
  /** Content before the candidate; null when the candidate creates the file. */
  before: string | null;
  after: string;
}

export interface EditPlan {
  files: PlannedFile[];
  /** Changed lines over all edits (the number checked against maxRoundLines). */
  changedLines: number;
}

export interface AppliedCandidate {
  changedFiles: string[];
  /** Unified diff (git style, a/ and b/ prefixes) of every changed file. */
  diff: string;
  /** Per changed file, 1-based numbers of added or changed lines in the new version. */
  addedLines: Record<string, number[]>;
}

/**
 * Checks every edit of `candidate` against the files in `dir` without writing anything: the path policy, symlinks,
 * the search/patch, the size limits and that JSON/YAML/TOML still parse. Throws EditRefusedError on the first problem.
 */
export function planCandidate(candidate: Candidate, dir: string, surface: HarnessSurface, limits: EditLimits): Promise<EditPlan> {
  return planCandidates([candidate], dir, surface, limits);
}

/**
 * Plans several candidates applied one after another (a merge of accepted candidates): each edit must pass on the
 * result of the ones before it, and max-round-lines bounds the changed lines of all of them together.
 */
export async function planCandidates(candidates: Candidate[], dir: string, surface: HarnessSurface, limits: EditLimits): Promise<EditPlan> {
  const files = new Map<string, PlannedFile>();
  let changedLines = 0;
  for (const candidate of candidates) {
    const id = candidate.id;
    if (!Array.isArray(candidate.edits) || candidate.edits.length === 0) {
      throw new EditRefusedError('', 'malformed', 'the candidate has no edits', id);
    }
    for (const edit of candidate.edits) {
      const rel = checkPathRule(edit?.file, surface, id);
      await checkInsideDir(dir, rel, surface, id);
      const planned = files.get(rel);
      const current = planned ? planned.after : await readIfExists(path.join(dir, rel), rel, id);
      const next = applyEditToText({ ...edit, file: rel }, current, id);
      if (next === current) throw new EditRefusedError(rel, 'malformed', 'the edit changes nothing', id);
      const lines = countChangedLines(current ?? '', next);
      if (lines > limits.maxEditLines) {
        throw new EditRefusedError(
          rel,
          'size-limit',
          `the edit changes ${lines} lines, more than max-edit-lines (${limits.maxEditLines}); propose a smaller edit or raise propose.max-edit-lines`,
          id,
        );
      }
      changedLines += lines;
      files.set(rel, { file: rel, before: planned ? planned.before : current, after: next });
    }
    if (changedLines > limits.maxRoundLines) {
      const what = candidates.length > 1 ? `the ${candidates.length} candidates change` : 'the edits change';
      throw new EditRefusedError(
        candidate.edits.map((e) => e.file).join(', '),
        'size-limit',
        `${what} ${changedLines} lines in all, more than max-round-lines (${limits.maxRoundLines}); propose a smaller change or raise propose.max-round-lines`,
        id,
      );
    }
  }
  for (const planned of files.values()) {
    const problem = parseProblem(planned.file, planned.after);
    if (problem)
      throw new EditRefusedError(planned.file, 'parse', `after the edit the file is ${problem}`, candidates.length === 1 ? candidates[0]!.id : undefined);
  }
  return { files: [...files.values()].sort((a, b) => a.file.localeCompare(b.file)), changedLines };
}

/**
 * Applies `candidate` inside `dir` (an isolated worktree the caller made). Every edit is validated before any file
 * is written; a failed write restores the files already written. Throws EditRefusedError when an edit is refused.
 */
export function applyCandidate(candidate: Candidate, dir: string, surface: HarnessSurface, limits: EditLimits): Promise<AppliedCandidate> {
  return applyCandidates([candidate], dir, surface, limits);
}

/**
 * Applies several candidates one after another, all or nothing, as one change (the merge of a round's accepted
 * candidates): one diff against the files before the first, and max-round-lines over all of them.
 */
export async function applyCandidates(candidates: Candidate[], dir: string, surface: HarnessSurface, limits: EditLimits): Promise<AppliedCandidate> {
  const plan = await planCandidates(candidates, dir, surface, limits);
  await writePlan(plan, dir);
  return describePlan(plan);
}

async function writePlan(plan: EditPlan, dir: string): Promise<void> {
  const written: PlannedFile[] = [];
  try {
    for (const planned of plan.files) {
      const target = path.join(dir, planned.file);
      await mkdir(path.dirname(target), { recursive: true });
      written.push(planned);
      await writeFile(target, planned.after);
    }
  } catch (error) {
    for (const planned of written.reverse()) {
      const target = path.join(dir, planned.file);
      if (planned.before === null) await rm(target, { force: true }).catch(() => {});
      else await writeFile(target, planned.before).catch(() => {});
    }
    throw error;
  }
}

/** The diff and changed lines of a plan (also used to show a candidate without applying it). */
export function describePlan(plan: EditPlan): AppliedCandidate {
  return {
    changedFiles: plan.files.map((f) => f.file),
    diff: plan.files.map(fileDiff).join(''),
    addedLines: Object.fromEntries(plan.files.map((f) => [f.file, addedLineNumbers(f.before ?? '', f.after)])),
  };
}

function fileDiff(planned: PlannedFile): string {
  const header = `diff --git a/${planned.file} b/${planned.file}\n${planned.before === null ? 'new file mode 100644\n' : ''}`;
  const body = createTwoFilesPatch(
    planned.before === null ? '/dev/null' : `a/${planned.file}`,
    `b/${planned.file}`,
    planned.before ?? '',
    planned.after,
    undefined,
    undefined,
    { headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true } },
  );
  return header + body;
}

/** 1-based line numbers, in `after`, of the lines added or changed relative to `before`. */
export function addedLineNumbers(before: string, after: string): number[] {
  const lines: number[] = [];
  for (const hunk of structuredPatch('a', 'b', before, after, undefined, undefined, { context: 0 }).hunks) {
    let line = hunk.newStart;
    for (const l of hunk.lines) {
      if (l.startsWith('+')) lines.push(line++);
      else if (l.startsWith(' ')) line++;
    }
  }
  return lines;
}

async function readIfExists(file: string, rel: string, candidateId: string): Promise<string | null> {
  let info;
  try {
    info = await stat(file);
  } catch {
    return null;
  }
  if (!info.isFile()) throw new EditRefusedError(rel, 'malformed', 'the path exists and is not a regular file', candidateId);
  return readFile(file, 'utf8');
}
