// Episodes cannot change what they are judged on: the surface files of a harness version are snapshotted before
// its first episode and checked after every episode (in the episode's private copy, or in place when it ran there);
// an episode that changed them is an infra-error (never cached under the clean hash), and files changed in place are
// put back before the next episode starts.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HarnessVersion } from '../domain/types.js';
import { sha256 } from '../harness/hash.js';
import type { HarnessSurface } from '../harness/surface.js';

/** Files are snapshotted up to this many bytes in all per version; past it only their hashes are kept. */
const SNAPSHOT_BYTES = 64 * 1024 * 1024;

export interface HarnessGuard {
  /**
   * Problem with the version before an episode runs (its files, or those of the episode's private copy at
   * `episodeRoot`, no longer hash to version.hash), or undefined.
   */
  before(version: HarnessVersion, episodeRoot?: string): Promise<string | undefined>;
  /**
   * The surface files an episode added, removed or changed in `episodeRoot` (default: the version root, where they are
   * restored when a snapshot allows; a private copy is thrown away instead); [] when none.
   */
  after(version: HarnessVersion, episodeRoot?: string): Promise<string[]>;
}

interface Snapshot {
  hashes: Map<string, string>;
  contents: Map<string, Buffer> | undefined;
}

export function createHarnessGuard(surface: HarnessSurface): HarnessGuard {
  const snapshots = new Map<string, Promise<Snapshot>>();
  const read = async (root: string): Promise<Map<string, Buffer>> => {
    const files = await surface.listFiles(root);
    const contents = new Map<string, Buffer>();
    for (const file of files) contents.set(file, await readFile(path.join(root, file)));
    return contents;
  };
  const snapshotOf = (version: HarnessVersion): Promise<Snapshot> => {
    const key = `${version.root}\u0000${version.hash}`;
    let pending = snapshots.get(key);
    if (!pending) {
      pending = read(version.root).then((contents) => {
        const total = [...contents.values()].reduce((sum, c) => sum + c.length, 0);
        return { hashes: new Map([...contents].map(([file, c]) => [file, sha256(c)])), contents: total <= SNAPSHOT_BYTES ? contents : undefined };
      });
      snapshots.set(key, pending);
    }
    return pending;
  };
  return {
    async before(version, episodeRoot = version.root) {
      const snapshot = await snapshotOf(version);
      for (const root of new Set([version.root, episodeRoot])) {
        if ((await surface.hash(root)) === version.hash) continue;
        const changed = await changedFiles(snapshot, root);
        return `the harness files at ${root} changed after the run planned them (${changed.join(', ') || 'contents differ'}); the episode was not run on the version it would be recorded under`;
      }
      return undefined;
    },
    async after(version, episodeRoot = version.root) {
      const snapshot = await snapshotOf(version);
      const changed = await changedFiles(snapshot, episodeRoot);
      if (changed.length > 0 && snapshot.contents && episodeRoot === version.root) {
        for (const file of changed) {
          const original = snapshot.contents.get(file);
          const target = path.join(version.root, file);
          if (original === undefined) await rm(target, { force: true });
          else {
            await mkdir(path.dirname(target), { recursive: true });
            await writeFile(target, original);
          }
        }
      }
      return changed;
    },
  };

  async function changedFiles(snapshot: Snapshot, root: string): Promise<string[]> {
    const now = await read(root);
    const changed = new Set<string>();
    for (const [file, content] of now) if (snapshot.hashes.get(file) !== sha256(content)) changed.add(file);
    for (const file of snapshot.hashes.keys()) if (!now.has(file)) changed.add(file);
    return [...changed].sort();
  }
}
