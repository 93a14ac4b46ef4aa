// Entry points: detect a file's format, read one file, read an episode's artifact directory, walk any folder.
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { ArtifactReadResult, ParsedTrace, SkippedFile, TraceFormat } from './model.js';
import { isAtif, readAtifFile } from './atif.js';
import { isCtrf, parseCtrf } from './ctrf.js';
import { describeHarborJob, isHarborJobResult, isHarborTrialResult, readHarborTrial } from './harbor.js';
import { isHarborExport, parseHarborExport } from './harbor-export.js';
import { isInspectLog, parseInspectLog, readInspectEval } from './inspect.js';
import { readJsonlTrace } from './jsonl.js';
import { isJunitText, parseJunit } from './junit.js';
import { isOpenAIChat, parseOpenAIChat } from './openai-chat.js';
import { isOpenHandsEvents, parseOpenHandsEvents } from './openhands.js';
import { isSweAgentTrajectory, parseSweAgentTrajectory } from './swe-agent.js';
import { isTerminusEpisodes, parseTerminusEpisodes } from './terminus.js';
import { stepText } from './text.js';
import { isTb1Run, isTb1Trial, readTb1Run, readTb1Trial } from './tb1.js';
import { looksBinary, MAX_JSON_BYTES, readJsonFile } from './json-file.js';
import { isRecord } from './lenient.js';
import { relPath } from './trace-parts.js';
import { readBytes, readHead, readProblem, withinEpisode } from './confined.js';

/** Guesses the format from the file name and its first bytes; undefined when it looks like no trace format. */
export function detectFormat(file: string, head: Buffer): TraceFormat | undefined {
  const name = basename(file).toLowerCase();
  const ext = extname(name);
  if (ext === '.eval') return 'inspect';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (head.length === 0 || looksBinary(head)) return undefined;
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (ext === '.xml' || text.startsWith('<')) return isJunitText(text) ? 'junit' : undefined;
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  if (/"schema_version"\s*:\s*"ATIF/i.test(text)) return 'atif';
  if (/"reportFormat"\s*:\s*"CTRF"/.test(text)) return 'ctrf';
  if (text.startsWith('[') && /"conversations"\s*:/.test(text)) return 'harbor';
  if (/"trial_name"\s*:/.test(text) && /"(task_checksum|trial_uri|verifier_result|exception_info|agent_info)"\s*:/.test(text)) return 'harbor';
  if (/"n_total_trials"\s*:/.test(text)) return 'harbor';
  if (/"(is_resolved|failure_mode|n_resolved|resolved_ids)"\s*:/.test(text)) return 'tb1';
  if (/"eval"\s*:\s*\{/.test(text) && /"(status|version)"\s*:/.test(text)) return 'inspect';
  if (/"results"\s*:\s*\{\s*"(tool|summary|tests)"/.test(text)) return 'ctrf';
  if (/"trajectory"\s*:\s*\[/.test(text) && /"action"\s*:/.test(text)) return 'swe-agent';
  if (/"messages"\s*:\s*\[/.test(text)) return 'openai-chat';
  if (text.startsWith('[') && /"prompt"\s*:/.test(text) && /"response"\s*:/.test(text)) return 'terminus';
  if (text.startsWith('[') && /"(action|observation)"\s*:/.test(text)) return 'openhands';
  return undefined;
}

interface ReadOutput extends ArtifactReadResult {
  /** Files folded into these traces (continuations, a trial's trajectory...): a walk does not read them again. */
  consumed: string[];
  /** True when the file is a known non-trace (a Harbor job summary): a walk leaves it out silently. */
  ignorable?: boolean;
}

const output = (traces: ParsedTrace[], skipped: SkippedFile[] = [], consumed: string[] = []): ReadOutput => ({ traces, skipped, consumed });

/** Reads one file into traces (several for Inspect logs and run-level results); never throws. */
export async function readTraceFile(file: string, baseDir: string): Promise<ArtifactReadResult> {
  const { traces, skipped } = await readOne(file, baseDir);
  return { traces, skipped };
}

async function readOne(file: string, baseDir: string): Promise<ReadOutput> {
  const shown = relPath(file, baseDir);
  try {
    const head = await readHead(file, 8192);
    if (head.length === 0) return output([], [{ file: shown, reason: 'empty file (0 bytes)' }]);
    const format = detectFormat(file, head);
    if (format === 'inspect' && extname(file).toLowerCase() === '.eval') return { ...(await readInspectEval(file, baseDir)), consumed: [] };
    if (format === 'jsonl') return { ...(await readJsonlTrace(file, baseDir)), consumed: [] };
    if (looksBinary(head)) return output([], [{ file: shown, reason: 'binary content, not a text trace format' }]);
    if (format === 'junit' || extname(file).toLowerCase() === '.xml') {
      const junit = parseJunit(await readBytes(file, MAX_JSON_BYTES), shown);
      return 'trace' in junit ? output([junit.trace]) : output([], [{ file: shown, reason: junit.reason }]);
    }
    const read = await readJsonFile(file);
    if (!read.ok) return output([], [{ file: shown, reason: read.reason }]);
    return await readJsonDocument(file, baseDir, read.value);
  } catch (error) {
    return output([], [{ file: shown, reason: readProblem(error) }]);
  }
}

/** Decides by shape, not by name: a parsed JSON document goes to the reader whose shape it has. */
async function readJsonDocument(file: string, baseDir: string, doc: unknown): Promise<ReadOutput> {
  const shown = relPath(file, baseDir);
  if (isAtif(doc)) return readAtifFile(file, baseDir, doc);
  if (isHarborTrialResult(doc)) return readHarborTrial(file, baseDir, doc);
  if (isHarborJobResult(doc)) return { ...output([], [{ file: shown, reason: describeHarborJob(doc) }]), ignorable: true };
  if (isTb1Run(doc)) return readTb1Run(file, baseDir, doc);
  if (isTb1Trial(doc)) return readTb1Trial(file, baseDir, doc);
  if (isInspectLog(doc)) return { ...parseInspectLog(doc, shown), consumed: [] };
  if (isCtrf(doc)) {
    const ctrf = parseCtrf(doc, shown);
    return 'trace' in ctrf ? output([ctrf.trace]) : output([], [{ file: shown, reason: ctrf.reason }]);
  }
  if (isHarborExport(doc)) return output(parseHarborExport(doc, shown));
  if (isSweAgentTrajectory(doc)) return single(parseSweAgentTrajectory(doc, shown), shown);
  if (isTerminusEpisodes(doc)) return single(parseTerminusEpisodes(doc, shown), shown);
  if (isOpenHandsEvents(doc)) return single(parseOpenHandsEvents(doc, shown), shown);
  if (isOpenAIChat(doc)) {
    const chat = parseOpenAIChat(doc, shown);
    return 'trace' in chat ? output([chat.trace]) : output([], [{ file: shown, reason: chat.reason }]);
  }
  return output([], [{ file: shown, reason: unknownShape(doc) }]);
}

function single(read: { trace: ParsedTrace } | { reason: string }, shown: string): ReadOutput {
  return 'trace' in read ? output([read.trace]) : output([], [{ file: shown, reason: read.reason }]);
}

function unknownShape(doc: unknown): string {
  const known =
    'ATIF, Harbor trial result, Terminal-Bench 1 results, Inspect log, CTRF, Harbor traces export, chat messages, mini-swe-agent and SWE-agent trajectories, Terminus episode lists, OpenHands events';
  if (isRecord(doc) && Object.values(doc).some((v) => isRecord(v) && 'tests_status' in v)) {
    return 'a SWE-bench report.json is not read as a trace; point the run protocol result (result.json) at its resolved flag';
  }
  const keys = isRecord(doc) ? Object.keys(doc).slice(0, 6).join(', ') : Array.isArray(doc) ? 'a JSON array' : typeof doc;
  return `JSON of an unknown shape (${keys || 'empty object'}); formats read: ${known}`;
}

const TRACE_EXTENSIONS = new Set(['.json', '.jsonl', '.ndjson', '.eval', '.xml', '.traj']);
/** JSON files that sit next to traces but never are one. */
const NEVER_TRACES = new Set([
  'config.json',
  'lock.json',
  'run_metadata.json',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'manifest.json',
  'analysis.json',
  'summaries.json',
  'reductions.json',
]);
const MAX_DEPTH = 24;

interface WalkOptions {
  /** An episode artifact directory: its top-level result.json is the run protocol's result unless it is a Harbor trial. */
  episodeRoot: boolean;
}

/** Walks a folder (a Harbor job, an Inspect log dir, a TB1 run...) and yields traces and skipped files as it reads them. */
export async function* readArtifactTree(root: string): AsyncIterable<ParsedTrace | SkippedFile> {
  yield* walk(resolve(root), { episodeRoot: false });
}

/** Reads an episode's artifact directory recursively: traces, deduplicated, and the files that could not be used. */
export async function readEpisodeArtifacts(dir: string): Promise<ArtifactReadResult> {
  const result: ArtifactReadResult = { traces: [], skipped: [] };
  const signatures = new Set<string>();
  // Every file opened below is confined to this episode's directory and charged to its byte budget.
  await withinEpisode(dir, async () => {
    for await (const item of walk(resolve(dir), { episodeRoot: true })) {
      if ('reason' in item) {
        result.skipped.push(item);
        continue;
      }
      // The same episode copied to two places inside one episode is one trace.
      const signature = contentSignature(item);
      if (signatures.has(signature)) continue;
      signatures.add(signature);
      result.traces.push(item);
    }
  });
  return result;
}

async function* walk(root: string, options: WalkOptions): AsyncGenerator<ParsedTrace | SkippedFile> {
  const consumed = new Set<string>();
  const seen = new Set<string>();
  const rootInfo = await stat(root).catch(() => undefined);
  if (!rootInfo) {
    yield { file: root, reason: 'directory not found' };
    return;
  }
  if (rootInfo.isFile()) {
    for (const item of await emit(await readOne(root, resolve(root, '..')), seen)) yield item;
    return;
  }
  const pending: Array<{ dir: string; depth: number }> = [{ dir: root, depth: 0 }];
  while (pending.length > 0) {
    const { dir, depth } = pending.shift()!;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      yield { file: relPath(dir, root), reason: `directory could not be read: ${error instanceof Error ? error.message : String(error)}` };
      continue;
    }
    const files = entries
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort(byReadingOrder);
    for (const name of files) {
      const file = join(dir, name);
      if (consumed.has(file)) continue;
      const lower = name.toLowerCase();
      if (!TRACE_EXTENSIONS.has(extname(lower)) || NEVER_TRACES.has(lower)) continue;
      const isTopResult = options.episodeRoot && dir === root && lower === 'result.json';
      const read = await readOne(file, root);
      for (const path of read.consumed) consumed.add(path);
      // The run protocol's result.json is not a trace, unless the runner left a Harbor trial result there.
      if (isTopResult && !read.traces.some((t) => t.format === 'harbor')) continue;
      if (read.ignorable) continue;
      for (const item of await emit(read, seen)) yield item;
    }
    if (depth >= MAX_DEPTH) continue;
    const dirs = entries
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
      .map((e) => e.name)
      .sort();
    // Depth-first so a trial's files are read right after its result.json.
    pending.unshift(...dirs.map((name) => ({ dir: join(dir, name), depth: depth + 1 })));
  }
}

async function emit(read: ReadOutput, seen: Set<string>): Promise<Array<ParsedTrace | SkippedFile>> {
  const out: Array<ParsedTrace | SkippedFile> = [];
  for (const trace of read.traces) {
    const key = `${trace.format}|${trace.file}|${trace.taskId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(trace);
  }
  out.push(...read.skipped);
  return out;
}

/** Result files first (they fold in their trajectories), continuation and sub-trajectory files last. */
function byReadingOrder(a: string, b: string): number {
  const rank = (name: string) => {
    const lower = name.toLowerCase();
    if (lower === 'result.json' || lower === 'results.json') return 0;
    if (/\.cont-\d+\.json$|summarization-\d+-/.test(lower)) return 2;
    return 1;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function contentSignature(trace: ParsedTrace): string {
  const hash = createHash('sha256');
  hash.update(`${trace.format}\u0000${trace.taskId ?? ''}\u0000${trace.outcome ?? ''}\u0000${trace.reward ?? ''}\u0000${trace.steps.length}\u0000`);
  for (const step of trace.steps) hash.update(stepText(step, 200));
  for (const test of trace.tests) hash.update(`${test.name}\u0000${test.status}\u0000`);
  if (trace.steps.length === 0 && trace.tests.length === 0) hash.update(trace.file);
  return hash.digest('hex');
}
