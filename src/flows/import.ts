// Imports eval output a team already has (Harbor jobs, Terminal-Bench 1 runs, Inspect logs, single trace files) into the
// ledger: one episode per trial or sample, under the harness version of the commit it was run from, artifacts copied.
import { lstat, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedConfig } from '../config/schema.js';
import { episodeId } from '../domain/episode-id.js';
import {
  silentLogger,
  UserError,
  type EpisodeError,
  type EpisodeKey,
  type EpisodeRecord,
  type Logger,
  type Outcome,
  type Split,
  type Usage,
} from '../domain/types.js';
import { repoTopLevel, resolveRef } from '../git/git.js';
import { materializeRef } from '../git/worktree.js';
import { discoverSuite } from '../harness/suite.js';
import { createSurface, harnessVersion } from '../harness/surface.js';
import { ARTIFACTS_DIR, EpisodeStore } from '../store/ledger.js';
import { lockStateDir } from '../store/state-lock.js';
import type { ParsedTrace } from '../traces/model.js';
import { collectUnits, type TrialUnit } from './import-units.js';

export const IMPORT_STREAM_PREFIX = 'import:';

export function isImportedRecord(record: EpisodeRecord): boolean {
  return record.key.stream?.startsWith(IMPORT_STREAM_PREFIX) ?? false;
}

/**
 * The imported episodes that may be mining evidence for harness `harnessHash`: train records of that version whose
 * task the suite does not hold out (imported tasks need not be tasks of the suite). Mining only: their `import:`
 * streams are never planned by a validation, so they never judge anything.
 */
export function importedMiningEvidence(records: readonly EpisodeRecord[], harnessHash: string, holdoutTaskIds: readonly string[]): EpisodeRecord[] {
  const holdout = new Set(holdoutTaskIds);
  return records.filter((r) => isImportedRecord(r) && r.split === 'train' && r.key.harnessHash === harnessHash && !holdout.has(r.key.taskId));
}

export interface ImportOptions {
  loaded: LoadedConfig;
  /** Absolute state directory. */
  stateDir: string;
  /** The ref the evals were run from when the artifacts record no commit (default HEAD). */
  ref?: string;
  logger?: Logger;
}

export interface ImportedEpisode {
  id: string;
  taskId: string;
  attempt: number;
  outcome: Outcome;
  format: string;
  /** Where it came from: the trial directory, or `file#sample` for one sample of a log. */
  source: string;
  harness: string;
  error?: EpisodeError;
}

export interface ImportReport {
  added: ImportedEpisode[];
  /** Trials already imported (same content), not added again. */
  duplicates: { source: string; id: string }[];
  skipped: { file: string; reason: string }[];
  /** The harness versions the episodes were recorded under, and why that version. */
  versions: { hash: string; label: string; why: string }[];
  /** Problems to look at (a commit the artifacts record that is not in this repository...), also logged as warnings. */
  warnings: string[];
}

/** Imports `paths` into the ledger of `options.stateDir`; holds the state directory's writer lock meanwhile. */
export async function importEvals(paths: string[], options: ImportOptions): Promise<ImportReport> {
  if (paths.length === 0)
    throw new UserError('import: name at least one Harbor job directory, Terminal-Bench run directory or Inspect log (directory or file).');
  const report: ImportReport = { added: [], duplicates: [], skipped: [], versions: [], warnings: [] };
  const given = options.logger ?? silentLogger;
  // Warnings also go into the report, so `--json` carries them (stderr is not the only place they show).
  const logger: Logger = {
    info: (message) => given.info(message),
    warn: (message) => {
      report.warnings.push(message);
      given.warn(message);
    },
    ...(given.debug ? { debug: (message: string) => given.debug!(message) } : {}),
  };
  const roots = await Promise.all(
    paths.map(async (given) => {
      const absolute = path.resolve(given);
      const info = await lstat(absolute).catch(() => undefined);
      if (!info || !(info.isDirectory() || info.isFile()))
        throw new UserError(
          `${given}: not found (or not a regular file or directory); pass a Harbor job directory, a Terminal-Bench run directory or an Inspect log.`,
        );
      if (absolute === path.resolve(options.stateDir) || absolute.startsWith(path.resolve(options.stateDir) + path.sep)) {
        throw new UserError(`${given}: is inside the state directory; import eval output from elsewhere.`);
      }
      return { given, absolute };
    }),
  );

  const units: TrialUnit[] = [];
  for (const root of roots) {
    units.push(...(await collectUnits(root.absolute, root.given, report.skipped)));
  }

  const lock = await lockStateDir(options.stateDir);
  try {
    const store = await EpisodeStore.open(options.stateDir, { logger });
    // No suite, no seal: an undiscoverable suite would record every held-out trial as train, so its error stops the import.
    const suite = await discoverSuite(options.loaded);
    const holdout = new Set(suite.split.holdout);
    const versions = new VersionResolver(options, logger);
    try {
      const known = new Map<string, string>();
      for (const record of store.all()) if (isImportedRecord(record)) known.set(record.key.stream!, record.id);
      const nextAttempt = new Map<string, number>();
      for (const record of store.all())
        if (isImportedRecord(record)) bump(nextAttempt, `${record.key.harnessHash}\u0000${record.key.taskId}`, record.key.attempt + 1);
      // Attempts are numbered per task in the order of the trials' names.
      units.sort((a, b) => (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
      for (const unit of units) {
        const stream = `${IMPORT_STREAM_PREFIX}${unit.contentHash.slice(0, 24)}`;
        const already = known.get(stream);
        if (already) {
          report.duplicates.push({ source: unit.source, id: already });
          continue;
        }
        const version = await versions.resolve(unit.recordedCommit);
        const slot = `${version.hash}\u0000${unit.taskId}`;
        const attempt = nextAttempt.get(slot) ?? 0;
        nextAttempt.set(slot, attempt + 1);
        const key: EpisodeKey = {
          harnessHash: version.hash,
          taskId: unit.taskId,
          taskHash: unit.contentHash,
          attempt,
          runCommand: `import ${unit.format}`,
          model: '',
          stream,
        };
        const id = episodeId(key);
        const verdict = verdictOf(unit.trace);
        const split: Split = holdout.has(unit.taskId) ? 'holdout' : 'train';
        const artifacts = store.artifactsPath(id);
        await rm(artifacts, { recursive: true, force: true });
        await mkdir(artifacts, { recursive: true });
        await unit.writeArtifacts(artifacts);
        const record: EpisodeRecord = {
          id,
          key,
          split,
          outcome: verdict.outcome,
          reward: verdict.reward,
          ...(verdict.error ? { error: verdict.error } : {}),
          ...(unit.trace.usage ? { usage: cleanUsage(unit.trace.usage) } : {}),
          exitCode: null,
          startedAt: new Date().toISOString(),
          durationMs: 0,
          artifacts: `${ARTIFACTS_DIR}/${id}`,
          tries: 1,
          runner: `import:${unit.format}`,
        };
        // The record goes in after its artifacts, so an import cut short leaves no record without its files.
        await store.append(record);
        known.set(stream, id);
        report.added.push({
          id,
          taskId: unit.taskId,
          attempt,
          outcome: record.outcome,
          format: unit.format,
          source: unit.source,
          harness: version.hash,
          ...(record.error ? { error: record.error } : {}),
        });
      }
      report.versions = versions.used();
    } finally {
      await versions.dispose();
    }
  } finally {
    lock.release();
  }
  return report;
}

function bump(map: Map<string, number>, key: string, value: number): void {
  map.set(key, Math.max(map.get(key) ?? 0, value));
}

function cleanUsage(usage: Usage): Usage {
  const out: Usage = {};
  if (usage.inputTokens !== undefined) out.inputTokens = usage.inputTokens;
  if (usage.outputTokens !== undefined) out.outputTokens = usage.outputTokens;
  if (usage.costUsd !== undefined) out.costUsd = usage.costUsd;
  return out;
}

/**
 * The ledger outcome of an imported trace: an infrastructure error in the trace wins over everything (a Docker build
 * failure says nothing about the harness, whatever the reward); then the reader's outcome; then the tests.
 */
export function verdictOf(trace: ParsedTrace): { outcome: Outcome; reward: number; error?: EpisodeError } {
  const error = trace.error;
  if (error?.infrastructure) return { outcome: 'infra-error', reward: 0, error };
  let outcome = trace.outcome;
  if (!outcome) {
    if (trace.reward !== undefined) outcome = trace.reward >= 1 ? 'pass' : 'fail';
    else if (trace.tests.some((t) => t.status === 'failed')) outcome = 'fail';
    else if (trace.tests.some((t) => t.status === 'passed')) outcome = 'pass';
  }
  if (!outcome)
    return {
      outcome: 'infra-error',
      reward: 0,
      error: error ?? { type: 'NoVerdict', message: 'the imported trace records no outcome, reward or test result', infrastructure: true },
    };
  const reward = trace.reward ?? (outcome === 'pass' ? 1 : 0);
  return { outcome, reward, ...(error ? { error } : {}) };
}

// ---- which harness version ----

/** Resolves the harness version of a recorded commit (else --ref, else HEAD), once per commit. */
class VersionResolver {
  private cache = new Map<string, Promise<{ hash: string; label: string; why: string }>>();
  private seen = new Map<string, { hash: string; label: string; why: string }>();
  private disposers: (() => Promise<void>)[] = [];

  constructor(
    private readonly options: ImportOptions,
    private readonly logger: Logger,
  ) {}

  async resolve(recorded: string | undefined): Promise<{ hash: string; label: string }> {
    if (recorded) {
      const version = await this.at(recorded, `the commit recorded in the artifacts (${recorded.slice(0, 12)})`).catch(() => undefined);
      if (version) return version;
      const fallback = this.options.ref ?? 'HEAD';
      if (!this.cache.has(`missing:${recorded}`)) {
        this.cache.set(`missing:${recorded}`, Promise.resolve({ hash: '', label: '', why: '' }));
        this.logger.warn(
          `the artifacts record commit ${recorded}, which is not in this repository; recording those episodes under ${fallback} (fetch that commit and import again for its harness version).`,
        );
      }
    }
    return this.options.ref !== undefined
      ? this.at(this.options.ref, `--ref ${this.options.ref}`)
      : this.at('HEAD', 'HEAD (no commit recorded, no --ref given)');
  }

  used(): { hash: string; label: string; why: string }[] {
    return [...this.seen.values()];
  }

  async dispose(): Promise<void> {
    for (const dispose of this.disposers.splice(0)) await dispose().catch(() => {});
  }

  private at(ref: string, why: string): Promise<{ hash: string; label: string }> {
    let pending = this.cache.get(ref);
    if (!pending) {
      pending = this.compute(ref, why);
      // A failure is kept too: a commit missing from this repository is looked up once.
      this.cache.set(ref, pending);
    }
    return pending;
  }

  private async compute(ref: string, why: string): Promise<{ hash: string; label: string; why: string }> {
    const { loaded, stateDir } = this.options;
    const surface = createSurface(loaded, { stateDir });
    let top: string;
    try {
      top = await repoTopLevel(loaded.root);
    } catch (error) {
      // Not a git checkout: only the working copy can be hashed, and only when no particular ref was asked for.
      if (ref !== 'HEAD') throw error;
      const version = await harnessVersion(surface, loaded.root, 'working copy');
      const result = { hash: version.hash, label: 'working copy', why: 'the working copy (not a git repository)' };
      this.seen.set(result.hash, result);
      return result;
    }
    await resolveRef(top, ref);
    const worktree = await materializeRef(top, ref, { stateDir });
    this.disposers.push(() => worktree.dispose());
    const version = await harnessVersion(surface, path.join(worktree.root, path.relative(top, loaded.root)), ref);
    const result = { hash: version.hash, label: `${ref} (${worktree.commit.slice(0, 12)})`, why };
    this.seen.set(result.hash, result);
    return result;
  }
}
