// The harness surface: the files self-harness may read as "the harness" and may edit.
// Built from the config; every decision about a path goes through the path policy.
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import type { LoadedConfig } from '../config/schema.js';
import { checkEditablePath, normalizeGlob, normalizeRelative, type PathPolicy, type PathVerdict } from './path-policy.js';
import { compareBytes, hashFiles } from './hash.js';
import type { HarnessVersion } from '../domain/types.js';

export interface HarnessSurface {
  /** Absolute project root (the directory holding the config). */
  readonly root: string;
  readonly policy: PathPolicy;
  isEditable(relPath: string): PathVerdict;
  /** Editable files under `dir` (default: root), relative to it, sorted; symlinks that leave `dir` are skipped. */
  listFiles(dir?: string): Promise<string[]>;
  /** Content hash of listFiles(dir): identifies a harness version. */
  hash(dir?: string): Promise<string>;
}

/** The path policy of a loaded config (relative to the config's directory). */
export function policyFromConfig(loaded: LoadedConfig, stateDir: string = loaded.config['state-dir']): PathPolicy {
  const { config, root } = loaded;
  const rel = (p: string) => path.relative(root, path.resolve(root, p)).split(path.sep).join('/');
  const taskGlobs: string[] = [];
  // An absolute tasks glob is made relative too, or no task rule would match it and the tasks would be editable.
  if (config.suite.tasks) taskGlobs.push(path.isAbsolute(config.suite.tasks) ? rel(config.suite.tasks) : config.suite.tasks);
  if (config.suite['tasks-file']) taskGlobs.push(rel(config.suite['tasks-file']));
  if (config.suite.harbor?.path) taskGlobs.push(rel(config.suite.harbor.path));
  return {
    include: [...config.harness.include],
    exclude: [...config.harness.exclude],
    configPath: rel(loaded.path),
    taskGlobs,
    stateDir: rel(stateDir),
    ...(config.suite.run ? { runCommand: config.suite.run } : {}),
  };
}

/**
 * The surface of a loaded config. `options.stateDir` (absolute, or relative to the project root) is the
 * state directory actually used when `--state-dir` overrides the config's; it is protected as well.
 */
export function createSurface(loaded: LoadedConfig, options: { stateDir?: string } = {}): HarnessSurface {
  const policy = policyFromConfig(loaded, options.stateDir);
  const root = path.resolve(loaded.root);
  return {
    root,
    policy,
    isEditable: (relPath) => checkEditablePath(relPath, policy),
    listFiles: (dir = root) => listSurfaceFiles(path.resolve(root, dir), policy),
    async hash(dir = root) {
      const absolute = path.resolve(root, dir);
      return hashFiles(absolute, await listSurfaceFiles(absolute, policy));
    },
  };
}

/** The harness version checked out at `dir` (a worktree or the working copy), for episodes and reports. */
export async function harnessVersion(surface: HarnessSurface, dir: string, label: string): Promise<HarnessVersion> {
  const root = path.resolve(surface.root, dir);
  return { hash: await surface.hash(root), root, label };
}

async function listSurfaceFiles(dir: string, policy: PathPolicy): Promise<string[]> {
  const patterns = policy.include.map(normalizeGlob).filter((g): g is string => g !== undefined);
  if (patterns.length === 0) return [];
  const ignore = ['**/.git', '**/.git/**', '**/node_modules/**', ...policy.exclude.map(normalizeGlob).filter((g): g is string => g !== undefined)];
  const state = normalizeRelative(policy.stateDir);
  if (state) ignore.push(state, `${state}/**`);
  const found = await glob(patterns, { cwd: dir, dot: true, onlyFiles: true, followSymbolicLinks: true, ignore, expandDirectories: false });
  const realDir = await realpath(dir);
  const badAncestor = ancestorCheck(dir);
  const kept: string[] = [];
  await Promise.all(
    found.map(async (rel) => {
      if (!checkEditablePath(rel, policy).ok) return;
      if (await badAncestor(rel)) return;
      if (!(await staysInside(path.join(dir, rel), realDir, policy))) return;
      kept.push(rel);
    }),
  );
  return kept.sort(compareBytes);
}

/**
 * True for a file below a symlinked directory (it would alias files under another, unchecked path) or
 * inside a nested repository or worktree (a subdirectory holding `.git`, e.g. a worktree under a state
 * directory the policy does not know): neither is part of this surface.
 */
function ancestorCheck(dir: string): (rel: string) => Promise<boolean> {
  const cache = new Map<string, Promise<boolean>>();
  const excluded = (relDir: string) => {
    let pending = cache.get(relDir);
    if (!pending) {
      const absolute = path.join(dir, relDir);
      pending = (async () => {
        const stat = await lstat(absolute).catch(() => undefined);
        if (!stat || stat.isSymbolicLink()) return true;
        return lstat(path.join(absolute, '.git')).then(() => true, () => false);
      })();
      cache.set(relDir, pending);
    }
    return pending;
  };
  return async (rel) => {
    const segments = rel.split('/').slice(0, -1);
    for (let n = 1; n <= segments.length; n++) {
      if (await excluded(segments.slice(0, n).join('/'))) return true;
    }
    return false;
  };
}

/**
 * False for a file reached through a symlink whose target is outside `realDir`, is dangling, is not a
 * regular file, or is a file the policy refuses (a link must not alias the config, a task or a test).
 */
async function staysInside(file: string, realDir: string, policy: PathPolicy): Promise<boolean> {
  try {
    const stat = await lstat(file);
    if (stat.isFile()) return true;
    if (!stat.isSymbolicLink()) return false;
    const target = await realpath(file);
    const relative = path.relative(realDir, target);
    if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return false;
    if (!checkEditablePath(relative.split(path.sep).join('/'), policy).ok) return false;
    return (await lstat(target)).isFile();
  } catch {
    return false;
  }
}
