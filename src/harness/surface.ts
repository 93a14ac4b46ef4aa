// The harness surface: the files self-harness may read as "the harness" and may edit.
// Built from the config; every decision about a path goes through the path policy.
import { copyFile, lstat, mkdir, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import type { LoadedConfig } from '../config/schema.js';
import { checkEditablePath, normalizeGlob, normalizeRelative, type PathPolicy, type PathVerdict } from './path-policy.js';
import { compareBytes, hashFiles } from './hash.js';
import type { HarnessVersion } from '../domain/types.js';
import { repoTopLevel } from '../git/git.js';

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

/** Where a project sits in its repository: what every entry point needs to turn repo paths into project paths. */
export interface ProjectLocation {
  /** Absolute top level of the git repository. */
  gitTop: string;
  /** The config's directory relative to the top level, '/'-separated; '' when the config is at the top. */
  configDir: string;
  /** The config file relative to the top level, '/'-separated. */
  configFile: string;
}

/** The one place the config directory is located in the repository (via `git rev-parse --show-toplevel`). */
export async function locateProject(loaded: Pick<LoadedConfig, 'root' | 'path'>): Promise<ProjectLocation> {
  const gitTop = await repoTopLevel(loaded.root);
  // git prints the resolved top level; resolve the config side too, or a symlinked checkout yields '../..' paths.
  const realRoot = await realpath(loaded.root).catch(() => path.resolve(loaded.root));
  const realTop = await realpath(gitTop).catch(() => gitTop);
  const configDir = path.relative(realTop, realRoot).split(path.sep).join('/');
  return { gitTop, configDir, configFile: path.posix.join(configDir, path.basename(loaded.path)) };
}

export interface SurfaceClassification {
  /** Repo-relative paths that are harness files (inside the project and editable under the path policy). */
  harness: string[];
  /** Every other path, with the reason it is not a harness file. */
  outside: { path: string; reason: string }[];
}

/**
 * THE harness-surface rule for changed files: the PR gate, the merge queue, evolve's pre-push check and
 * validate-refs all call this, so `dir/` vs `dir/**`, case rules and excludes are decided once (by the path policy).
 * `paths` are relative to the repository top level; `configDir` is `ProjectLocation.configDir`.
 */
export function classifyChangedPaths(paths: readonly string[], project: { policy: PathPolicy; configDir: string }): SurfaceClassification {
  const trimmed = project.configDir.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  const configDir = trimmed === '.' ? '' : trimmed;
  const result: SurfaceClassification = { harness: [], outside: [] };
  for (const file of paths) {
    const inside = configDir === '' ? file : file.startsWith(`${configDir}/`) ? file.slice(configDir.length + 1) : undefined;
    if (inside === undefined) {
      result.outside.push({ path: file, reason: `${file}: outside the project directory ${configDir}/` });
      continue;
    }
    const verdict = checkEditablePath(inside, project.policy);
    if (verdict.ok) result.harness.push(file);
    else result.outside.push({ path: file, reason: verdict.reason });
  }
  return result;
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
        return lstat(path.join(absolute, '.git')).then(
          () => true,
          () => false,
        );
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

/** Replaces the surface files of the checkout at `dir` with those at `from`; every other file stays as it was. */
export async function overlaySurface(surface: HarnessSurface, from: string, dir: string): Promise<void> {
  for (const file of await surface.listFiles(dir)) await rm(path.join(dir, file), { force: true });
  for (const file of await surface.listFiles(from)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await copyFile(path.join(from, file), path.join(dir, file));
  }
}
