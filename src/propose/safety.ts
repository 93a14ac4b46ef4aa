// Edit safety: which paths may be written (one policy, from src/harness/path-policy.ts), symlinks, size limits, parse checks.
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parseAllDocuments } from 'yaml';
import { diffLines } from 'diff';
import { checkEditablePath } from '../harness/path-policy.js';
import type { HarnessSurface } from '../harness/surface.js';

/** A candidate edit that self-harness will not apply; `rule` names the safety rule that refused it. */
export class EditRefusedError extends Error {
  override readonly name = 'EditRefusedError';
  constructor(
    readonly file: string,
    readonly rule: 'path-policy' | 'symlink' | 'size-limit' | 'search' | 'patch' | 'create' | 'parse' | 'malformed',
    detail: string,
    readonly candidateId?: string,
  ) {
    super(`${candidateId ? `candidate ${candidateId}: ` : ''}refused edit of ${file || '(no file)'} (${rule}): ${detail}`);
  }
}

/** The path as the edit map keys it: posix, no leading `./`. Only call after the policy accepted it. */
export function normalizeEditPath(file: string): string {
  return path.posix.normalize(file).replace(/^(\.\/)+/, '');
}

/** Refuses any path the harness surface's policy refuses (.github/, tasks, tests, config, state dir, outside the globs...). */
export function checkPathRule(file: string, surface: HarnessSurface, candidateId?: string): string {
  if (typeof file !== 'string' || file.trim() === '') throw new EditRefusedError(String(file ?? ''), 'malformed', 'the edit names no file', candidateId);
  const verdict = checkEditablePath(file, surface.policy);
  if (!verdict.ok) throw new EditRefusedError(file, 'path-policy', verdict.reason, candidateId);
  return normalizeEditPath(file);
}

/**
 * Refuses a path that leads outside `dir` through a symlink (in any component), or through a symlink to a file
 * the policy would refuse. Missing components are fine: they are created inside `dir`.
 */
export async function checkInsideDir(dir: string, rel: string, surface: HarnessSurface, candidateId?: string): Promise<void> {
  const root = await realpath(dir);
  const parts = rel.split('/');
  let resolved = root;
  let followed = false;
  for (let i = 0; i < parts.length; i++) {
    const next = path.join(resolved, parts[i]!);
    let stat;
    try {
      stat = await lstat(next);
    } catch {
      resolved = path.join(next, ...parts.slice(i + 1));
      break;
    }
    if (stat.isSymbolicLink()) {
      followed = true;
      try {
        resolved = await realpath(next);
      } catch {
        throw new EditRefusedError(rel, 'symlink', `${parts.slice(0, i + 1).join('/')} is a dangling symlink`, candidateId);
      }
    } else {
      resolved = next;
    }
    if (!isInside(root, resolved)) {
      throw new EditRefusedError(rel, 'symlink', `${parts.slice(0, i + 1).join('/')} is a symlink that leads outside the checkout`, candidateId);
    }
  }
  if (followed) {
    const target = path.relative(root, resolved).split(path.sep).join('/');
    const verdict = checkEditablePath(target, surface.policy);
    if (!verdict.ok) throw new EditRefusedError(rel, 'symlink', `it is a symlink to ${target}, which is not editable: ${verdict.reason}`, candidateId);
    // Even to an editable file: the write would land on the target while the change (and its commit) names the
    // link, so the validated edit would never be committed. Edit the real file instead.
    throw new EditRefusedError(rel, 'symlink', `it goes through a symlink (to ${target}); edit ${target} itself`, candidateId);
  }
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Changed lines between two texts: a modified line counts once, an added or removed line once. */
export function countChangedLines(before: string, after: string): number {
  let changed = 0;
  let removed = 0;
  let added = 0;
  for (const part of diffLines(before, after)) {
    if (part.removed) removed += part.count ?? 0;
    else if (part.added) added += part.count ?? 0;
    else {
      changed += Math.max(removed, added);
      removed = 0;
      added = 0;
    }
  }
  return changed + Math.max(removed, added);
}

/** For JSON, YAML and TOML files: the parse error (with its line) of the edited content, or undefined when it parses. */
export function parseProblem(file: string, content: string): string | undefined {
  const ext = path.posix.extname(file).toLowerCase();
  try {
    if (ext === '.json') {
      JSON.parse(content);
    } else if (ext === '.yml' || ext === '.yaml') {
      for (const doc of parseAllDocuments(content)) {
        if ('errors' in doc && doc.errors.length > 0) {
          const err = doc.errors[0]!;
          const line = err.linePos?.[0]?.line;
          return `not valid YAML${line ? ` at line ${line}` : ''}: ${err.message.split('\n')[0]}`;
        }
      }
    } else if (ext === '.toml') {
      parseToml(content);
    }
  } catch (error) {
    const kind = ext === '.json' ? 'JSON' : 'TOML';
    return `not valid ${kind}: ${(error as Error).message.split('\n')[0]}`;
  }
  return undefined;
}
