// A private copy of a harness version for one episode try: a worktree at the version's commit with its uncommitted
// files (overlays, working-copy changes) applied, under the state dir and removed after the try, so no episode sees
// what a concurrent one writes in its cwd, and none can write into the version other episodes run on.
import { existsSync } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, readFile, readlink, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { addWorktree } from './add-worktree.js';
import { git, repoTopLevel, resolveRef } from './git.js';
import { isAlive } from '../domain/process-alive.js';

export interface EpisodeCheckout {
  /** The episode's cwd: the copy's counterpart of the version root (the same subdirectory of the repository). */
  root: string;
  /** Removes the copy (and its worktree registration); never throws. */
  dispose(): Promise<void>;
}

const CHECKOUTS_DIR = 'episode-checkouts';
let counter = 0;

/** What every copy of one version root is made from; read once per version (episodes never change it). */
interface Source {
  /** The checkout's top and commit, or undefined for a plain directory (or a repository without a commit). */
  git?: { top: string; head: string; uncommitted: string[] };
  /** The version root relative to the checkout's top ('' for a plain directory). */
  subdir: string;
}

export interface EpisodeCheckouts {
  /**
   * A private copy of the checkout holding `versionRoot`, under `<stateDir>/episode-checkouts/`. A version inside a
   * git checkout with a commit gets a worktree (its own HEAD and index, so git commands an agent runs stay in the
   * copy) with the version's uncommitted files applied; anything else a recursive copy. Its `dispose` hands it back:
   * a copy the episode left exactly as it was made (no file, git index or HEAD touched) is given to a later episode
   * of the same version, any other is removed.
   */
  create(versionRoot: string, name: string): Promise<EpisodeCheckout>;
  /** Removes the copies kept for reuse. */
  close(): Promise<void>;
}

interface Made {
  root: string;
  /** Every path under the copy (and its worktree registration) with its type, mode, size, inode and ctime. */
  fingerprint: string;
  remove(): Promise<void>;
  watched: string[];
}

/** Makes episode copies under `stateDir`, reading each version root's git state once and reusing untouched copies. */
export function episodeCheckouts(stateDir: string): EpisodeCheckouts {
  const state = path.resolve(stateDir);
  const base = path.join(state, CHECKOUTS_DIR);
  const sources = new Map<string, Promise<Source>>();
  const idle = new Map<string, Made[]>();
  let prepared: Promise<void> | undefined;
  const sourceOf = (versionRoot: string): Promise<Source> => {
    let source = sources.get(versionRoot);
    if (!source) {
      source = readSource(versionRoot, state);
      source.catch(() => sources.delete(versionRoot));
      sources.set(versionRoot, source);
    }
    return source;
  };
  const make = async (versionRoot: string, name: string): Promise<Made> => {
    prepared ??= (async () => {
      await mkdir(base, { recursive: true });
      // Keeps the copies out of `git status` when the state directory sits inside the repository.
      if (!existsSync(path.join(base, '.gitignore'))) await writeFile(path.join(base, '.gitignore'), '*\n');
      await removeOrphans(base);
    })();
    await prepared.catch((error: unknown) => {
      prepared = undefined;
      throw error;
    });
    const source = await sourceOf(versionRoot);
    counter += 1;
    const dir = path.join(base, `${name}-${process.pid}-${counter}`);
    const from = source.git;
    const remove = from ? () => removeCheckout(from.top, dir) : () => rm(dir, { recursive: true, force: true }).catch(() => {});
    try {
      if (from) {
        await addWorktree(from.top, dir, from.head);
        await applyUncommitted(from.top, dir, from.uncommitted);
      } else await copyPlain(versionRoot, dir, state);
      const watched = [dir, ...(from ? [await gitDirOf(dir)] : [])];
      return { root: path.join(dir, source.subdir), fingerprint: await fingerprintOf(watched), remove, watched };
    } catch (error) {
      await remove();
      throw error;
    }
  };
  return {
    async create(versionRoot, name) {
      const made = idle.get(versionRoot)?.pop() ?? (await make(versionRoot, name));
      let released = false;
      return {
        root: made.root,
        async dispose() {
          if (released) return;
          released = true;
          const untouched = await fingerprintOf(made.watched)
            .then((now) => now === made.fingerprint)
            .catch(() => false);
          if (!untouched) return made.remove();
          const list = idle.get(versionRoot) ?? [];
          list.push(made);
          idle.set(versionRoot, list);
        },
      };
    },
    async close() {
      const all = [...idle.values()].flat();
      idle.clear();
      for (const made of all) await made.remove();
    },
  };
}

/**
 * Removes every episode copy under `stateDir` (an interrupted run's, in-process: much quicker than one `git worktree
 * remove` each). Only for a process that is stopping, whose own episodes have ended.
 */
export async function removeEpisodeCheckouts(stateDir: string): Promise<void> {
  const base = path.join(path.resolve(stateDir), CHECKOUTS_DIR);
  for (const name of await readdir(base).catch(() => [])) {
    if (name === '.gitignore') continue;
    const dir = path.join(base, name);
    await removeCheckout(dir, dir);
  }
}

/** Removes the copies a killed run left (their process is gone); another live run's copies are left alone. */
async function removeOrphans(base: string): Promise<void> {
  for (const name of await readdir(base).catch(() => [])) {
    const pid = Number(/-(\d+)-\d+$/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    const dir = path.join(base, name);
    await removeCheckout(dir, dir);
  }
}

/** The worktree's registration directory (its HEAD and index live there). */
async function gitDirOf(dir: string): Promise<string> {
  const pointer = /^gitdir: (.+)$/m.exec(await readFile(path.join(dir, '.git'), 'utf8'))?.[1]?.trim();
  if (!pointer) throw new Error(`${dir}/.git does not name the worktree's git directory`);
  return path.resolve(dir, pointer);
}

/** A string that changes when anything under `dirs` is added, removed, written, renamed or re-moded. */
async function fingerprintOf(dirs: string[]): Promise<string> {
  const lines: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      const stats = await lstat(file);
      lines.push(`${file}\0${stats.mode}\0${stats.size}\0${stats.ino}\0${stats.ctimeMs}`);
      if (stats.isDirectory()) await walk(file);
    }
  };
  for (const dir of dirs) await walk(dir);
  return lines.sort().join('\n');
}

/** One copy, removed by its `dispose` (the pool uses `episodeCheckouts`, which reads the source once and reuses copies). */
export async function createEpisodeCheckout(versionRoot: string, stateDir: string, name: string): Promise<EpisodeCheckout> {
  const checkouts = episodeCheckouts(stateDir);
  const checkout = await checkouts.create(versionRoot, name);
  return {
    root: checkout.root,
    async dispose() {
      await checkout.dispose();
      await checkouts.close();
    },
  };
}

async function readSource(versionRoot: string, state: string): Promise<Source> {
  const top = await repoTopLevel(versionRoot).catch(() => undefined);
  const head = top ? await resolveRef(top, 'HEAD').catch(() => undefined) : undefined;
  if (!top || !head) return { subdir: '' };
  const subdir = path.relative(await realpath(top), await realpath(versionRoot));
  return { git: { top, head, uncommitted: await uncommittedFiles(top, state) }, subdir };
}

/**
 * The files on disk in `top` that differ from its HEAD: modified, deleted and untracked. A checkout of ours under the
 * state dir holds only its commit and the files we put there (a candidate's surface overlay, ignored or not), so all
 * of them count; a user's checkout keeps its ignored files (build output, dependencies) and the state dir to itself,
 * as `run`'s working-copy snapshot does.
 */
async function uncommittedFiles(top: string, state: string): Promise<string[]> {
  const ours = isInside(await realpath(top), await realpath(state).catch(() => state));
  const listed = await git(['ls-files', '-z', '--modified', '--others', ...(ours ? [] : ['--exclude-standard'])], { cwd: top });
  return [...new Set(listed.split('\0').filter(Boolean))].filter((file) => ours || !isInside(path.join(top, file), state));
}

/** Brings the worktree `dir` (at HEAD of `top`) to what is on disk in `top` for `files`. */
async function applyUncommitted(top: string, dir: string, files: string[]): Promise<void> {
  for (const file of files) {
    const from = path.join(top, file);
    const to = path.join(dir, file);
    const stats = await lstat(from).catch(() => undefined);
    await rm(to, { force: true, recursive: true });
    if (!stats) continue; // deleted on disk
    await mkdir(path.dirname(to), { recursive: true });
    if (stats.isSymbolicLink()) await symlink(await readlink(from), to);
    else if (stats.isFile()) await copyFile(from, to);
  }
}

/**
 * A recursive copy of a directory that is not a git checkout, leaving out the state dir and any `.git` (fs.cp refuses
 * a target inside its source, which the state dir often is).
 */
async function copyPlain(from: string, to: string, state: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.name === '.git' || isInside(source, state)) continue;
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) await copyPlain(source, target, state);
    else if (entry.isSymbolicLink()) await symlink(await readlink(source), target);
    else if (entry.isFile()) await copyFile(source, target);
  }
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Removes a copy and its registration. In-process when the registration is plainly ours (its gitdir file points back
 * at this copy): `git worktree remove` would first run a full status of a directory about to be deleted anyway.
 */
async function removeCheckout(top: string, dir: string): Promise<void> {
  try {
    const pointer = /^gitdir: (.+)$/m.exec(await readFile(path.join(dir, '.git'), 'utf8'))?.[1]?.trim();
    const backLink = pointer ? (await readFile(path.join(pointer, 'gitdir'), 'utf8')).trim() : '';
    if (pointer && path.basename(path.dirname(pointer)) === 'worktrees' && path.resolve(backLink) === path.join(dir, '.git')) {
      await rm(dir, { recursive: true, force: true });
      await rm(pointer, { recursive: true, force: true });
      return;
    }
  } catch {
    // Not a worktree we can read: let git decide below.
  }
  await git(['worktree', 'remove', '--force', dir], { cwd: top }).catch(async () => {
    // Not `git worktree prune`: it could drop another process's half-made registration. A stale registration of a
    // removed directory is harmless (addWorktree takes such a path over with --force).
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  });
}
