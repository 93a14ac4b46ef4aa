// Finding the trials and samples of an eval-output path for `self-harness import`: each becomes a TrialUnit with its
// content hash (its identity), task id, the commit it records and a way to copy its artifacts.
import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson } from '../domain/episode-id.js';
import { withinEpisode } from '../traces/confined.js';
import { foldedFiles, foldedReason } from './import-folded.js';
import { isHarborTrialResult } from '../traces/harbor.js';
import { isInspectLog, parseInspectLog, readInspectEvalAsLog } from '../traces/inspect.js';
import { readJsonFile } from '../traces/json-file.js';
import { isRecord } from '../traces/lenient.js';
import type { ParsedTrace } from '../traces/model.js';
import { readArtifactTree } from '../traces/read.js';
import { isTb1Run, isTb1Trial } from '../traces/tb1.js';

/** One trial or sample found in a source, before it has a harness version. */
export interface TrialUnit {
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

/** True when the trace says how the episode ended (outcome, reward, error or a test result). */
function hasVerdict(trace: ParsedTrace): boolean {
  return (
    trace.outcome !== undefined ||
    trace.reward !== undefined ||
    trace.error !== undefined ||
    trace.tests.some((t) => t.status === 'passed' || t.status === 'failed')
  );
}

/** The trials and samples under `root`; what cannot be read (now, or when its artifacts are copied) goes to `skipped`. */
export async function collectUnits(root: string, given: string, skipped: { file: string; reason: string }[]): Promise<TrialUnit[]> {
  const isFile = (await lstat(root)).isFile();
  const base = isFile ? path.dirname(root) : root;
  const show = (rel: string) => (isFile ? given : path.join(given, rel));
  const traces: ParsedTrace[] = [];
  // Reading stays inside the source: no symlink, absolute or '..' reference leads out of it.
  await withinEpisode(
    base,
    async () => {
      for await (const item of readArtifactTree(root)) {
        if ('reason' in item) skipped.push({ file: show(item.file), reason: item.reason });
        else traces.push(item);
      }
    },
    Number.POSITIVE_INFINITY,
  );

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
      trace,
      format: trace.format,
      source: show(path.relative(base, dir) || '.'),
      contentHash: content,
      taskId: trace.taskId ?? path.basename(dir),
      ...(commit ? { recordedCommit: commit } : {}),
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
    if (format === 'inspect' && rel.toLowerCase().endsWith('.eval')) {
      // A .eval zip: read as one EvalLog (the zip reader's own entry and size caps apply), then one unit per sample
      // like a .json log (task ids `<task>/<sample id>` whatever the sample count), each episode keeping its own
      // sample as a .json log.
      const asLog = await withinEpisode(base, () => readInspectEvalAsLog(file), Number.POSITIVE_INFINITY);
      if (!asLog.ok) {
        skipped.push({ file: show(rel), reason: asLog.reason });
        continue;
      }
      for (const entry of asLog.skipped) skipped.push({ file: show(rel), reason: `entry ${entry}` });
      units.push(...inspectUnits(asLog.log, rel.replace(/\.eval$/i, '.json'), show(rel), skipped));
      continue;
    }
    if (list.length !== 1) {
      skipped.push({
        file: show(rel),
        reason: `${list.length} ${format} traces in one file: not imported (import takes one file per episode, or trial directories)`,
      });
      continue;
    }
    if (!hasVerdict(list[0]!)) {
      skipped.push({
        file: show(rel),
        reason: `the ${format} trace records no outcome, reward or test result: not imported (import the trial directory that holds its result instead)`,
      });
      // An ATIF trajectory's continuations and sub-trajectories were read as part of it: listed beside it, never dropped.
      if (format === 'atif' && list.length === 1)
        for (const folded of await foldedFiles(file, base)) skipped.push({ file: show(path.relative(base, folded)), reason: foldedReason(show(rel)) });
      continue;
    }
    // A single trace file (a JUnit or CTRF report, a chat transcript): one episode, the file copied.
    const bytes = await withinEpisode(base, () => readFile(file), Number.POSITIVE_INFINITY);
    units.push({
      trace: list[0]!,
      format,
      source: show(rel),
      contentHash: sha256(bytes),
      taskId: list[0]!.taskId ?? path.basename(rel).replace(/\.[^.]+$/, ''),
      writeArtifacts: (to) => writeFile(path.join(to, path.basename(rel)), bytes),
    });
  }
  return units;
}

/**
 * The task id of one Inspect sample, `<task>:<sample id>` (e.g. `popularity:3`): one format for `import`, the task
 * list `init` writes and the sample `self-harness-inspect.py` runs, so the suite's hold-out (a hash of task ids)
 * seals an imported sample exactly as it seals a run one. A package-qualified task (`inspect_evals/gsm8k`) keeps its
 * last segment, and characters a task id may not hold (it names artifact folders) become `_`.
 */
export function inspectTaskId(task: string, sampleId: string): string {
  const plain = (text: string) => text.replace(/[\s/\\#\u0000-\u001f\u007f]/g, '_');
  return `${plain(task.slice(task.lastIndexOf('/') + 1))}:${plain(sampleId)}`;
}

/** The task an Inspect log ran (`eval.task`), else its file name without the extension. */
export function inspectLogTask(evalInfo: unknown, file: string): string {
  const task = isRecord(evalInfo) ? evalInfo.task : undefined;
  return typeof task === 'string' && task !== '' ? task : path.basename(file).replace(/\.(json|eval)$/i, '');
}

/** One unit per sample: the log reduced to that sample, so the episode's artifacts hold its own sample only. */
function inspectUnits(log: unknown, rel: string, shown: string, skipped: { file: string; reason: string }[]): TrialUnit[] {
  if (!isRecord(log) || !Array.isArray(log.samples)) return [];
  const evalInfo = isRecord(log.eval) ? log.eval : {};
  const task = inspectLogTask(evalInfo, rel);
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
      trace,
      format: 'inspect',
      source: `${shown}#${sampleId}/epoch ${epoch}`,
      contentHash: sha256(text),
      taskId: inspectTaskId(task, sampleId),
      ...(revision ? { recordedCommit: revision } : {}),
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
      trace,
      format: 'tb1',
      source: `${shown}#${trial}`,
      contentHash: sha256(canonicalJson(entry)),
      taskId: trace.taskId ?? trial,
      ...(commit ? { recordedCommit: commit } : {}),
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
