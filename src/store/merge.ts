// Gathers the episodes of shard state directories (ledgers + artifact dirs) into one state directory.
// Idempotent: an episode already present with the same outcome is skipped; a different outcome is a
// conflict, reported and left as it is. Malformed and torn ledger lines are skipped with a warning.
import type { Dirent } from 'node:fs';
import { copyFile, link, lstat, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { silentLogger, UserError, type EpisodeRecord, type Logger, type Outcome } from '../domain/types.js';
import { forEachLimited } from '../domain/concurrency.js';
import { ARTIFACTS_DIR, EpisodeStore, LEDGER_FILE, parseRecord } from './ledger.js';
import { jsonLinesOfFile } from './jsonl.js';
import { lockStateDir } from './state-lock.js';

export interface MergeConflict {
  id: string;
  taskId: string;
  attempt: number;
  /** The outcome kept (already in the target, or merged from an earlier source). */
  kept: Outcome;
  /** The outcome not taken, and where it came from. */
  other: Outcome;
  source: string;
}

export interface SourceCounts {
  source: string;
  records: number;
  added: number;
  duplicates: number;
  conflicts: number;
  /** Ledger lines that were torn or malformed. */
  skipped: number;
}

export interface MergeReport {
  target: string;
  /** New episodes (including judged records that replace an infra-error record). */
  added: number;
  /** Of `added`: judged outcomes that replaced an infra-error record (never a conflict: infra errors are retried). */
  replaced: number;
  duplicates: number;
  conflicts: MergeConflict[];
  skipped: number;
  /** Added records whose artifact directory was missing in the source. */
  missingArtifacts: number;
  sources: SourceCounts[];
}

export interface MergeOptions {
  logger?: Logger;
  /** Artifact directories copied at once (default 32). */
  copyConcurrency?: number;
  /**
   * Move artifact directories out of the sources instead of copying them (one rename each; falls back to
   * a copy across file systems). For downloaded shards that are thrown away after the merge: a moved
   * shard still merges again as all duplicates, but no longer into another state directory.
   */
  move?: boolean;
}

/** Reads the latest record of each id from a shard's ledger, with the lines it had to skip. */
export async function readLedgerFile(file: string, logger: Logger): Promise<{ records: Map<string, EpisodeRecord>; skipped: number }> {
  const records = new Map<string, EpisodeRecord>();
  let skipped = 0;
  for await (const batch of jsonLinesOfFile(file)) {
    for (const item of batch) {
      let reason: string;
      if ('problem' in item) {
        reason = item.torn ? 'an unfinished last line (a writer was killed mid-write)' : 'a line that is not JSON';
      } else {
        const record = parseRecord(item.value);
        if (typeof record !== 'string') {
          records.delete(record.id); // keep ledger order of the latest record
          records.set(record.id, record);
          continue;
        }
        reason = `a malformed record (${record})`;
      }
      skipped++;
      logger.warn(`${file}:${item.line}: skipped ${reason}; that episode is not merged.`);
    }
  }
  return { records, skipped };
}

/** Merges the state directories `sources` into `targetDir` (created if needed), in the order given. */
export async function mergeStates(targetDir: string, sources: string[], options: MergeOptions = {}): Promise<MergeReport> {
  const logger = options.logger ?? silentLogger;
  const target = path.resolve(targetDir);
  const resolved = sources.map((dir) => path.resolve(dir));
  for (const [i, dir] of resolved.entries()) {
    if (dir === target) throw new UserError(`${sources[i]}: is the target state directory itself; merge other state directories into it.`);
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new UserError(`${sources[i]}: not a directory; pass the state directories the shards wrote (their --state-dir).`);
    if (!(await stat(path.join(dir, LEDGER_FILE)).catch(() => undefined))?.isFile()) {
      throw new UserError(
        `${sources[i]}: has no ${LEDGER_FILE}; pass a shard's state directory (the one given to \`self-harness run --state-dir\`), not its parent.`,
      );
    }
  }

  // The target has one writer: a run (or another merge) on it at the same time is refused, naming its pid.
  const lock = await lockStateDir(target);
  try {
    return await mergeLocked(sources, resolved, target, options, logger);
  } finally {
    lock.release();
  }
}

async function mergeLocked(sources: string[], resolved: string[], target: string, options: MergeOptions, logger: Logger): Promise<MergeReport> {
  const store = await EpisodeStore.open(target, { logger });
  const report: MergeReport = { target, added: 0, replaced: 0, duplicates: 0, conflicts: [], skipped: 0, missingArtifacts: 0, sources: [] };
  // Decisions are made against the target plus what earlier sources added.
  const current = new Map<string, EpisodeRecord>(store.all().map((record) => [record.id, record]));
  for (const [i, dir] of resolved.entries()) {
    const shown = sources[i]!;
    const { records, skipped } = await readLedgerFile(path.join(dir, LEDGER_FILE), logger);
    const counts: SourceCounts = { source: shown, records: records.size, added: 0, duplicates: 0, conflicts: 0, skipped };
    const toAdd: { record: EpisodeRecord; from: string | undefined }[] = [];
    for (const record of records.values()) {
      const existing = current.get(record.id);
      if (existing && existing.outcome === record.outcome) {
        counts.duplicates++;
        continue;
      }
      if (existing && !(existing.outcome === 'infra-error' && record.outcome !== 'infra-error')) {
        // An infra error never replaces a judged outcome, and two judged outcomes that differ are a conflict.
        if (record.outcome !== 'infra-error') {
          counts.conflicts++;
          report.conflicts.push({
            id: record.id,
            taskId: record.key.taskId,
            attempt: record.key.attempt,
            kept: existing.outcome,
            other: record.outcome,
            source: shown,
          });
        } else counts.duplicates++;
        continue;
      }
      if (existing) report.replaced++;
      const from = artifactSource(dir, record.artifacts);
      if (from === undefined)
        logger.warn(`${shown}: episode ${record.id} names artifacts "${record.artifacts}" outside its state directory; merged without artifacts.`);
      const merged: EpisodeRecord = { ...record, artifacts: `${ARTIFACTS_DIR}/${record.id}` };
      current.set(record.id, merged);
      toAdd.push({ record: merged, from });
      counts.added++;
    }
    report.missingArtifacts += await copyArtifacts(toAdd, store, options.copyConcurrency ?? 32, options.move ?? false);
    // Records go in after their artifacts, so a merge cut short leaves no record without its files.
    await Promise.all(toAdd.map(({ record }) => store.append(record)));
    report.added += counts.added;
    report.duplicates += counts.duplicates;
    report.skipped += counts.skipped;
    report.sources.push(counts);
  }
  if (report.missingArtifacts > 0) {
    logger.warn(`${report.missingArtifacts} merged episode(s) had no artifact directory in their source; their traces cannot be mined.`);
  }
  return report;
}

/** The absolute artifact directory a record names, if it stays inside its state directory. */
function artifactSource(stateDir: string, artifacts: string): string | undefined {
  const absolute = path.resolve(stateDir, artifacts);
  const rel = path.relative(stateDir, absolute);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return absolute;
}

/**
 * Copies artifact dirs (symlinks left out: a downloaded shard must not point the miner outside it).
 * Files are hard-linked when source and target share a file system (artifacts are never modified in
 * place: a re-run replaces the whole directory), else copied. Returns how many were missing.
 */
async function copyArtifacts(
  items: { record: EpisodeRecord; from: string | undefined }[],
  store: EpisodeStore,
  concurrency: number,
  move: boolean,
): Promise<number> {
  let missing = 0;
  await forEachLimited(items, concurrency, async ({ record, from }) => {
    if (!from) return;
    if (move) {
      const moved = await moveDir(from, store.artifactsPath(record.id));
      if (moved === 'missing') missing++;
      if (moved !== 'copy') return;
    }
    // lstat, not stat: an artifact dir that is itself a symlink is not followed.
    if (!(await lstat(from).catch(() => undefined))?.isDirectory()) {
      missing++;
      return;
    }
    const entries = await readdir(from, { withFileTypes: true });
    const to = store.artifactsPath(record.id);
    try {
      await mkdir(to);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Left over from a merge cut short: start it again.
      await rm(to, { recursive: true, force: true });
      await mkdir(to);
    }
    await copyEntries(from, to, entries);
  });
  return missing;
}

/** Regular files and directories only; `to` exists. Cheaper than fs.cp, which stats every path several times. */
async function copyEntries(from: string, to: string, entries: Dirent[]): Promise<void> {
  for (const entry of entries) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      await mkdir(target);
      await copyEntries(source, target, await readdir(source, { withFileTypes: true }));
    } else if (entry.isFile()) {
      await link(source, target).catch(() => copyFile(source, target));
    }
  }
}

/** Renames `from` to `to` (replacing a leftover `to`) and drops the symlinks inside; 'copy' across file systems. */
async function moveDir(from: string, to: string): Promise<'moved' | 'missing' | 'copy'> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
      if (code === 'EXDEV') return 'copy';
      // A directory left over from a merge cut short: replace it.
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && attempt === 0) {
        await rm(to, { recursive: true, force: true });
        continue;
      }
      throw error;
    }
  }
  // The source may have been a symlink or a file: only a real directory is kept.
  if (!(await lstat(to)).isDirectory()) {
    await rm(to, { force: true });
    return 'missing';
  }
  await dropLinks(to);
  return 'moved';
}

async function dropLinks(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) await rm(file, { force: true });
    else if (entry.isDirectory()) await dropLinks(file);
  }
}
