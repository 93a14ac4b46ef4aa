// Content hashes that identify harness versions and tasks (part of the episode cache key).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** sha256 of a string (UTF-8) or bytes, lower-case hex. */
export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Byte-order comparison, so the hash never depends on the machine's locale. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * sha256 over the files' (path NUL size NUL content) records, sorted by path.
 * The size makes the encoding unambiguous even when a file contains NUL bytes.
 * Paths are repo-relative with '/' separators; duplicates count once.
 */
export async function hashFiles(root: string, relPaths: string[]): Promise<string> {
  const sorted = [...new Set(relPaths.map(toPosix))].sort(compareBytes);
  const hash = createHash('sha256');
  // Read in bounded batches: a large surface must not open thousands of files at once (EMFILE).
  for (let start = 0; start < sorted.length; start += READ_BATCH) {
    const batch = sorted.slice(start, start + READ_BATCH);
    const contents = await Promise.all(
      batch.map(async (rel) => {
        try {
          return await readFile(path.join(root, rel));
        } catch (error) {
          throw new Error(`cannot hash ${path.join(root, rel)}: ${(error as Error).message}`, { cause: error });
        }
      }),
    );
    batch.forEach((rel, i) => {
      const content = contents[i]!;
      hash.update(rel).update('\0').update(String(content.length)).update('\0').update(content);
    });
  }
  return hash.digest('hex');
}

const READ_BATCH = 64;

function toPosix(rel: string): string {
  return rel.split(path.sep).join('/');
}
