// The harness surface: the files self-harness may read as "the harness" and may edit.
// Built from the config; every decision about a path goes through the path policy.
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import type { LoadedConfig } from '../config/schema.js';
import { checkEditablePath, normalizeGlob, normalizeRelative, type PathPolicy, type PathVerdict } from './path-policy.js';
import { compareBytes, hashFiles } from './hash.js';
import type { HarnessVersion } from './types.js';

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
export function policyFromConfig(loaded: LoadedConfig): PathPolicy {
  const { config, root } = loaded;
  const rel = (p: string) => path.relative(root, path.resolve(root, p)).split(path.sep).join('/');
  const taskGlobs: string[] = [];
  if (config.suite.tasks) taskGlobs.push(config.suite.tasks);
  if (config.suite['tasks-file']) taskGlobs.push(rel(config.suite['tasks-file']));
  if (config.suite.harbor?.path) taskGlobs.push(rel(config.suite.harbor.path));
  return {
    include: [...config.harness.include],
    exclude: [...config.harness.exclude],
    configPath: rel(loaded.path),
    taskGlobs,
    stateDir: rel(config['state-dir']),
  };
}

export function createSurface(loaded: LoadedConfig): HarnessSurface {
  const policy = policyFromConfig(loaded);
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
  const ignore = ['**/.git', '**/.git/**', ...policy.exclude.map(normalizeGlob).filter((g): g is string => g !== undefined)];
  const state = normalizeRelative(policy.stateDir);
  if (state) ignore.push(state, `${state}/**`);
  const found = await glob(patterns, { cwd: dir, dot: true, onlyFiles: true, followSymbolicLinks: true, ignore, expandDirectories: false });
  const realDir = await realpath(dir);
  const kept: string[] = [];
  await Promise.all(
    found.map(async (rel) => {
      if (!checkEditablePath(rel, policy).ok) return;
      if (!(await staysInside(path.join(dir, rel), realDir))) return;
      kept.push(rel);
    }),
  );
  return kept.sort(compareBytes);
}

/** False for a file reached through a symlink whose target is outside `realDir` (or is dangling). */
async function staysInside(file: string, realDir: string): Promise<boolean> {
  try {
    const target = await realpath(file);
    const relative = path.relative(realDir, target);
    if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return false;
    return (await lstat(target)).isFile();
  } catch {
    return false;
  }
}
