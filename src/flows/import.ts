// Imports eval output a team already has (Harbor jobs, Terminal-Bench 1 runs, Inspect logs, single trace files) into the
// ledger: one episode per trial or sample, under the harness version of the commit it was run from, artifacts copied.
import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedConfig } from '../config/schema.js';
import { canonicalJson, episodeId } from '../domain/episode-id.js';
import { silentLogger, UserError, type EpisodeError, type EpisodeKey, type EpisodeRecord, type Logger, type Outcome, type Split, type Usage } from '../domain/types.js';
import { repoTopLevel, resolveRef } from '../git/git.js';
import { materializeRef } from '../git/worktree.js';
import { discoverSuite } from '../harness/suite.js';
import { createSurface, harnessVersion } from '../harness/surface.js';
import { ARTIFACTS_DIR, EpisodeStore } from '../store/ledger.js';
import { lockStateDir } from '../store/state-lock.js';
import { withinEpisode } from '../traces/confined.js';
import { isInspectLog, parseInspectLog } from '../traces/inspect.js';
import { readJsonFile } from '../traces/json-file.js';
import { isRecord } from '../traces/lenient.js';
import type { ParsedTrace } from '../traces/model.js';
import { readArtifactTree } from '../traces/read.js';
import { isHarborTrialResult } from '../traces/harbor.js';
import { isTb1Run, isTb1Trial } from '../traces/tb1.js';

/** Imported episodes carry a stream starting with this: they never share an id with a run and never judge a proposal. */
export const IMPORT_STREAM_PREFIX = 'import:';

export function isImportedRecord(record: EpisodeRecord): boolean {
  return record.key.stream?.startsWith(IMPORT_STREAM_PREFIX) ?? false;
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
}

/** One trial or sample found in a source, before it has a harness version. */
interface TrialUnit {
  trace: ParsedTrace;
  format: string;
  /** Shown in the report, relative to the path given. */
  source: string;
  /** sha256 of the trial's content: its identity for idempotency. */
  contentHash: string;
  taskId: string;
  /** The commit the artifacts say they were run from, when they say. */
  recordedCommit?: string;
  /** Writes the trial's artifacts into an empty directory. */
  writeArtifacts(to: string): Promise<void>;
}

/** Imports `paths` into the ledger of `options.stateDir`; holds the state directory's writer lock meanwhile. */
export async function importEvals(paths: string[], options: ImportOptions): Promise<ImportReport> {
  if (paths.length === 0) throw new UserError('import: name at least one Harbor job directory, Terminal-Bench run directory or Inspect log (directory or file).');
  const logger = options.logger ?? silentLogger;
  const roots = await Promise.all(paths.map(async (given) => {
    const absolute = path.resolve(given);
    const info = await lstat(absolute).catch(() => undefined);
    if (!info || !(info.isDirectory() || info.isFile())) throw new UserError(`${given}: not found (or not a regular file or directory); pass a Harbor job directory, a Terminal-Bench run directory or an Inspect log.`);
    if (absolute === path.resolve(options.stateDir) || absolute.startsWith(path.resolve(options.stateDir) + path.sep)) {
      throw new UserError(`${given}: is inside the state directory; import eval output from elsewhere.`);
    }
    return { given, absolute };
  }));

  const report: ImportReport = { added: [], duplicates: [], skipped: [], versions: [] };
  const units: TrialUnit[] = [];
  for (const root of roots) {
    units.push(...(await collectUnits(root.absolute, root.given, report.skipped)));
  }

  const lock = await lockStateDir(options.stateDir);
  try {
    const store = await EpisodeStore.open(options.stateDir, { logger });
    const suite = await discoverSuite(options.loaded).catch(() => undefined);
    const holdout = new Set(suite?.split.holdout ?? []);
    const versions = new VersionResolver(options, logger);
    try {
      const known = new Map<string, string>();
      for (const record of store.all()) if (isImportedRecord(record)) known.set(record.key.stream!, record.id);
      const nextAttempt = new Map<string, number>();
      for (const record of store.all()) if (isImportedRecord(record)) bump(nextAttempt, `${record.key.harnessHash}\u0000${record.key.taskId}`, record.key.attempt + 1);
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
        const key: EpisodeKey = { harnessHash: version.hash, taskId: unit.taskId, taskHash: unit.contentHash, attempt, runCommand: `import ${unit.format}`, model: '', stream };
        const id = episodeId(key);
        const verdict = verdictOf(unit.trace);
        const split: Split = holdout.has(unit.taskId) ? 'holdout' : 'train';
        const artifacts = store.artifactsPath(id);
        await rm(artifacts, { recursive: true, force: true });
        await mkdir(artifacts, { recursive: true });
        await unit.writeArtifacts(artifacts);
        const record: EpisodeRecord = {
          id, key, split, outcome: verdict.outcome, reward: verdict.reward,
          ...(verdict.error ? { error: verdict.error } : {}),
          ...(unit.trace.usage ? { usage: cleanUsage(unit.trace.usage) } : {}),
          exitCode: null, startedAt: new Date().toISOString(), durationMs: 0,
          artifacts: `${ARTIFACTS_DIR}/${id}`, tries: 1, runner: `import:${unit.format}`,
        };
        // The record goes in after its artifacts, so an import cut short leaves no record without its files.
        await store.append(record);
        known.set(stream, id);
        report.added.push({ id, taskId: unit.taskId, attempt, outcome: record.outcome, format: unit.format, source: unit.source, harness: version.hash, ...(record.error ? { error: record.error } : {}) });
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
  if (!outcome) return { outcome: 'infra-error', reward: 0, error: error ?? { type: 'NoVerdict', message: 'the imported trace records no outcome, reward or test result', infrastructure: true } };
  const reward = trace.reward ?? (outcome === 'pass' ? 1 : 0);
  return { outcome, reward, ...(error ? { error } : {}) };
}

function hasVerdict(trace: ParsedTrace): boolean {
  return trace.outcome !== undefined || trace.reward !== undefined || trace.error !== undefined || trace.tests.some((t) => t.status === 'passed' || t.status === 'failed');
}

// ---- finding the trials of a source ----

/** The trials and samples under `root`; what cannot be read (now, or when its artifacts are copied) goes to `skipped`. */
async function collectUnits(root: string, given: string, skipped: { file: string; reason: string }[]): Promise<TrialUnit[]> {
  const isFile = (await lstat(root)).isFile();
  const base = isFile ? path.dirname(root) : root;
  const show = (rel: string) => (isFile ? given : path.join(given, rel));
  const traces: ParsedTrace[] = [];
  // Reading stays inside the source: no symlink, absolute or '..' reference leads out of it.
  await withinEpisode(base, async () => {
    for await (const item of readArtifactTree(root)) {
      if ('reason' in item) skipped.push({ file: show(item.file), reason: item.reason });
      else traces.push(item);
    }
  }, Number.POSITIVE_INFINITY);

  const units: TrialUnit[] = [];
  const trialDirs: string[] = [];
  const byFile = new Map<string, ParsedTrace[]>();
  for (const trace of traces) {
    const list = byFile.get(trace.file) ?? [];
    list.push(trace);
    byFile.set(trace.file, list);
  }
  const docs = new Map<string, unknown>();
  const doc = async (file: string) => {
    if (!docs.has(file)) {
      const read = await withinEpisode(base, () => readJsonFile(file), Number.POSITIVE_INFINITY);
      docs.set(file, read.ok ? read.value : undefined);
    }
    return docs.get(file);
  };

  // Trial directories first (Harbor trials, TB1 trials): everything under them belongs to that trial.
  for (const [rel, list] of byFile) {
    const file = path.join(base, rel);
    const trace = list[0]!;
    if (list.length !== 1 || (trace.format !== 'harbor' && trace.format !== 'tb1')) continue;
    const value = await doc(file);
    // Only a trial's own result document makes its directory a trial (a Harbor traces export does not).
    if (trace.format === 'harbor' ? !isHarborTrialResult(value) : !isTb1Trial(value)) continue;
    const dir = path.dirname(file);
    trialDirs.push(dir);
    const content = await hashTree(dir);
    const commit = trace.format === 'harbor' ? stringField(value, 'git_commit_id') : await tb1RunCommit(dir, base);
    units.push({
      trace, format: trace.format, source: show(path.relative(base, dir) || '.'), contentHash: content,
      taskId: trace.taskId ?? path.basename(dir), ...(commit ? { recordedCommit: commit } : {}),
      writeArtifacts: async (to) => {
        const links = await copyTree(dir, to);
        for (const link of links) skipped.push({ file: show(path.relative(base, link)), reason: 'a symbolic link: not followed, not copied' });
      },
    });
  }
  const insideTrial = (file: string) => trialDirs.some((dir) => file.startsWith(dir + path.sep));

  for (const [rel, list] of byFile) {
    const file = path.join(base, rel);
    const format = list[0]!.format;
    if ((format === 'harbor' || format === 'tb1') && trialDirs.includes(path.dirname(file)) && list.length === 1) continue;
    if (insideTrial(file)) continue;
    const value = await doc(file);
    if (format === 'inspect' && isInspectLog(value)) {
      units.push(...inspectUnits(value, rel, show(rel), skipped));
      continue;
    }
    if (format === 'tb1' && isTb1Run(value)) {
      units.push(...(await tb1RunUnits(value, list, file, base, show(rel))));
      continue;
    }
    if (list.length !== 1) {
      const hint = rel.toLowerCase().endsWith('.eval') ? '; convert it with `inspect log convert --to json` and import the .json log' : ' (import takes one file per episode, or trial directories)';
      skipped.push({ file: show(rel), reason: `${list.length} ${format} traces in one file: not imported${hint}` });
      continue;
    }
    if (!hasVerdict(list[0]!)) {
      skipped.push({ file: show(rel), reason: `the ${format} trace records no outcome, reward or test result: not imported (import the trial directory that holds its result instead)` });
      continue;
    }
    // A single trace file (an ATIF trajectory, a JUnit or CTRF report, a chat transcript): one episode, the file copied.
    const bytes = await withinEpisode(base, () => readFile(file), Number.POSITIVE_INFINITY);
    units.push({
      trace: list[0]!, format, source: show(rel), contentHash: sha256(bytes),
      taskId: list[0]!.taskId ?? path.basename(rel).replace(/\.[^.]+$/, ''),
      writeArtifacts: (to) => writeFile(path.join(to, path.basename(rel)), bytes),
    });
  }
  return units;
}

/** One unit per sample: the log reduced to that sample, so the episode's artifacts hold its own sample only. */
function inspectUnits(log: unknown, rel: string, shown: string, skipped: { file: string; reason: string }[]): TrialUnit[] {
  if (!isRecord(log) || !Array.isArray(log.samples)) return [];
  const evalInfo = isRecord(log.eval) ? log.eval : {};
  const task = typeof evalInfo.task === 'string' ? evalInfo.task : path.basename(rel).replace(/\.json$/, '');
  const revision = isRecord(evalInfo.revision) ? stringField(evalInfo.revision, 'commit') : undefined;
  const units: TrialUnit[] = [];
  log.samples.forEach((sample, i) => {
    const reduced = { ...log, samples: [sample] };
    const parsed = parseInspectLog(reduced, rel);
    const trace = parsed.traces[0];
    if (!trace) {
      skipped.push({ file: `${shown}#sample ${i + 1}`, reason: parsed.skipped[0]?.reason ?? 'not a readable Inspect sample' });
      return;
    }
    const sampleId = isRecord(sample) && (typeof sample.id === 'string' || typeof sample.id === 'number') ? String(sample.id) : String(i + 1);
    const epoch = isRecord(sample) && typeof sample.epoch === 'number' ? sample.epoch : 1;
    const text = `${JSON.stringify(reduced)}\n`;
    units.push({
      trace, format: 'inspect', source: `${shown}#${sampleId}/epoch ${epoch}`, contentHash: sha256(text),
      taskId: `${task}/${sampleId}`, ...(revision ? { recordedCommit: revision } : {}),
      writeArtifacts: (to) => writeFile(path.join(to, path.basename(rel)), text),
    });
  });
  return units;
}

/** A TB1 run-level results.json whose trials have no directory of their own: one unit per entry. */
async function tb1RunUnits(run: unknown, traces: ParsedTrace[], file: string, base: string, shown: string): Promise<TrialUnit[]> {
  if (!isRecord(run) || !Array.isArray(run.results)) return [];
  const commit = await tb1RunCommit(path.dirname(file), base);
  const entries = run.results.filter((entry) => isRecord(entry) && typeof entry.task_id === 'string');
  return traces.map((trace, i) => {
    const entry = entries.find((e) => isRecord(e) && e.task_id === trace.taskId && !usedEntries.has(e)) ?? entries[i] ?? {};
    usedEntries.add(entry);
    const text = `${JSON.stringify(entry, null, 2)}\n`;
    const trial = isRecord(entry) && typeof entry.trial_name === 'string' ? entry.trial_name : `${trace.taskId}#${i + 1}`;
    return {
      trace, format: 'tb1', source: `${shown}#${trial}`, contentHash: sha256(canonicalJson(entry)),
      taskId: trace.taskId ?? trial, ...(commit ? { recordedCommit: commit } : {}),
      writeArtifacts: (to: string) => writeFile(path.join(to, 'results.json'), text),
    };
  });
}
const usedEntries = new WeakSet<object>();

/** TB1 writes run_metadata.json (with the commit it ran from) in the run directory: the trial's dir or an ancestor. */
async function tb1RunCommit(dir: string, base: string): Promise<string | undefined> {
  for (let current = dir; ; current = path.dirname(current)) {
    const file = path.join(current, 'run_metadata.json');
    if ((await lstat(file).catch(() => undefined))?.isFile()) {
      const read = await withinEpisode(base, () => readJsonFile(file, 1024 * 1024), Number.POSITIVE_INFINITY);
      return read.ok ? stringField(read.value, 'commit_hash') : undefined;
    }
    if (current === base || path.dirname(current) === current || !current.startsWith(base)) return undefined;
  }
}

function stringField(value: unknown, name: string): string | undefined {
  const field = isRecord(value) ? value[name] : undefined;
  return typeof field === 'string' && /^[0-9a-f]{7,64}$/i.test(field.trim()) ? field.trim() : undefined;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 over (relative path, bytes) of the regular files under `dir`, sorted; symlinks are left out. */
async function hashTree(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const files: string[] = [];
  const walk = async (current: string) => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) files.push(full);
    }
  };
  await walk(dir);
  files.sort();
  for (const file of files) {
    hash.update(`${path.relative(dir, file).split(path.sep).join('/')}\u0000`);
    // Streamed: an agent log can be larger than what is sensible to hold in memory.
    const fileHash = createHash('sha256');
    for await (const chunk of createReadStream(file)) fileHash.update(chunk as Buffer);
    hash.update(fileHash.digest('hex'));
  }
  return hash.digest('hex');
}

/** Copies regular files and directories (copies, never links: the episode must not share bytes with the source); returns the symlinks left out. */
async function copyTree(from: string, to: string): Promise<string[]> {
  const links: string[] = [];
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isSymbolicLink()) links.push(source);
    else if (entry.isDirectory()) {
      await mkdir(target);
      links.push(...(await copyTree(source, target)));
    } else if (entry.isFile()) await copyFile(source, target, constants.COPYFILE_EXCL);
  }
  return links;
}

// ---- which harness version ----

/** Resolves the harness version of a recorded commit (else --ref, else HEAD), once per commit. */
class VersionResolver {
  private cache = new Map<string, Promise<{ hash: string; label: string; why: string }>>();
  private seen = new Map<string, { hash: string; label: string; why: string }>();
  private disposers: (() => Promise<void>)[] = [];

  constructor(private readonly options: ImportOptions, private readonly logger: Logger) {}

  async resolve(recorded: string | undefined): Promise<{ hash: string; label: string }> {
    if (recorded) {
      const version = await this.at(recorded, `the commit recorded in the artifacts (${recorded.slice(0, 12)})`).catch(() => undefined);
      if (version) return version;
      const fallback = this.options.ref ?? 'HEAD';
      if (!this.cache.has(`missing:${recorded}`)) {
        this.cache.set(`missing:${recorded}`, Promise.resolve({ hash: '', label: '', why: '' }));
        this.logger.warn(`the artifacts record commit ${recorded}, which is not in this repository; recording those episodes under ${fallback} (fetch that commit and import again for its harness version).`);
      }
    }
    return this.options.ref !== undefined ? this.at(this.options.ref, `--ref ${this.options.ref}`) : this.at('HEAD', 'HEAD (no commit recorded, no --ref given)');
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
