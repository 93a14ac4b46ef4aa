// Every trace file is opened here: regular files only (no FIFO, socket or device: opened O_NONBLOCK, checked with
// fstat), inside the directory being read (no symlink, absolute or '..' reference leaving it), under byte caps per
// file and per episode. A refusal is a TraceFileRefused with a reason the reader reports as a skipped file.
import { AsyncLocalStorage } from 'node:async_hooks';
import { constants } from 'node:fs';
import { lstat, open, realpath, type FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Bytes read from one episode's artifacts, all files and zip entries together, before reading stops. */
export const MAX_EPISODE_BYTES = 256 * 1024 * 1024;

/** A file the readers will not open, and why. */
export class TraceFileRefused extends Error {
  override readonly name = 'TraceFileRefused';
  /** The file's size, when it was refused for being over a cap. */
  size?: number;
}

interface Scope {
  root: string;
  realRoot: Promise<string>;
  bytesLeft: number;
  budget: number;
}

const scopes = new AsyncLocalStorage<Scope>();

/** Runs `read` with every file access confined to `root` and charged to one byte budget. */
export function withinEpisode<T>(root: string, read: () => Promise<T>, budget = MAX_EPISODE_BYTES): Promise<T> {
  const absolute = resolve(root);
  return scopes.run({ root: absolute, realRoot: realpath(absolute).catch(() => absolute), bytesLeft: budget, budget }, read);
}

/** Charges `bytes` to the episode's budget; throws once the budget is spent. */
export function charge(bytes: number): void {
  const scope = scopes.getStore();
  if (!scope) return;
  if (bytes > scope.bytesLeft) {
    scope.bytesLeft = 0;
    throw new TraceFileRefused(`the episode's artifacts are over the ${mb(scope.budget)} read cap; the rest is not read`);
  }
  scope.bytesLeft -= bytes;
}

/** Bytes this episode may still read (Infinity outside an episode scope). */
export function bytesLeft(): number {
  return scopes.getStore()?.bytesLeft ?? Infinity;
}

const inside = (root: string, target: string) => {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/** Why `file` may not be read (outside the episode directory, through a symlink leaving it), or undefined. */
export async function confinementProblem(file: string): Promise<string | undefined> {
  const scope = scopes.getStore();
  if (!scope) return undefined;
  const absolute = resolve(file);
  if (!inside(scope.root, absolute)) return 'outside the episode directory, not read';
  const real = await realpath(absolute).catch(() => undefined);
  if (real === undefined) return undefined; // missing: the open reports it
  if (!inside(await scope.realRoot, real)) return 'a symlink leading outside the episode directory, not read';
  return undefined;
}

/** True when `file` exists (any type) and is inside the episode directory; never opens it. */
export async function present(file: string): Promise<boolean> {
  if (await confinementProblem(file)) return false;
  return lstat(file).then(
    () => true,
    () => false,
  );
}

/** Opens a regular file for reading, refusing anything else, files outside the episode and files over `maxBytes`. */
export async function openRegular(file: string, maxBytes = Infinity): Promise<{ handle: FileHandle; size: number }> {
  const problem = await confinementProblem(file);
  if (problem) throw new TraceFileRefused(problem);
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait forever for a writer.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new TraceFileRefused(`not a regular file (${kind(info)}), not read`);
    if (info.size > maxBytes) {
      const refused = new TraceFileRefused(`${mb(info.size)} is over the ${mb(maxBytes)} cap for this file, not read`);
      refused.size = info.size;
      throw refused;
    }
    return { handle, size: info.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The whole of a regular file, at most `maxBytes` (else refused), charged to the episode. */
export async function readBytes(file: string, maxBytes: number): Promise<Buffer> {
  const { handle, size } = await openRegular(file, maxBytes);
  try {
    charge(size);
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The first `bytes` of a file (for format detection); not charged. */
export async function readHead(file: string, bytes = 4096): Promise<Buffer> {
  const { handle, size } = await openRegular(file);
  try {
    const buffer = Buffer.alloc(Math.min(bytes, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The last `bytes` of a file (a verifier's output tail), charged to the episode. */
export async function readTail(file: string, bytes: number): Promise<Buffer> {
  const { handle, size } = await openRegular(file);
  try {
    const length = Math.min(size, bytes);
    charge(length);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, size - length);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The reason to report for a failed read: the refusal itself, or the error's code and message. */
export function readProblem(error: unknown): string {
  if (error instanceof TraceFileRefused) return error.message;
  return `could not be read: ${error instanceof Error ? error.message : String(error)}`;
}

function kind(info: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isDirectory(): boolean }): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isDirectory()) return 'a directory';
  return 'not a plain file';
}

export function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
