// Inspect AI eval logs: `.json` (EvalLog with samples) and `.eval` (zip: header.json + samples/*.json, read entry by entry).
import yauzl from 'yauzl';
import { z } from 'zod';
import type { EpisodeError, Outcome } from '../domain/types.js';
import type { ArtifactReadResult, Grade, ParsedTrace } from './model.js';
import { messagesToSteps } from './messages.js';
import { truncateMiddle } from './text.js';
import { charge, openRegular, readProblem, TraceFileRefused } from './confined.js';
import { clip, contentText } from './content.js';
import { parseJsonBytes } from './json-file.js';
import { finiteNumber, isRecord, issueText, noteDropped } from './lenient.js';
import { newTrace, relPath } from './trace-parts.js';

const SampleSchema = z.object({
  id: z.union([z.string(), z.number()]),
  epoch: z.number().optional().catch(undefined),
  input: z.unknown().optional(),
  target: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .catch(undefined),
  messages: z.array(z.unknown()).optional().catch(undefined),
  scores: z.record(z.string(), z.unknown()).nullable().optional().catch(undefined),
  error: z
    .object({ message: z.string().catch('') })
    .nullable()
    .optional()
    .catch(undefined),
  limit: z.object({ type: z.string(), limit: z.unknown().optional() }).nullable().optional().catch(undefined),
  events: z.array(z.unknown()).optional().catch(undefined),
  model_usage: z.record(z.string(), z.unknown()).optional().catch(undefined),
  attachments: z.record(z.string(), z.unknown()).optional().catch(undefined),
});
type Sample = z.infer<typeof SampleSchema>;

const HeaderSchema = z.object({
  status: z.string().optional().catch(undefined),
  eval: z
    .object({ task: z.string().optional().catch(undefined) })
    .optional()
    .catch(undefined),
  results: z
    .object({
      scores: z
        .array(z.object({ scorer: z.string().optional().catch(undefined), name: z.string().optional().catch(undefined) }).catch({}))
        .optional()
        .catch(undefined),
    })
    .nullable()
    .optional()
    .catch(undefined),
  error: z
    .object({ message: z.string().catch('') })
    .nullable()
    .optional()
    .catch(undefined),
});
type Header = z.infer<typeof HeaderSchema>;

export function isInspectLog(doc: unknown): boolean {
  return isRecord(doc) && isRecord(doc.eval) && ('plan' in doc || 'stats' in doc || 'results' in doc) && ('status' in doc || 'version' in doc);
}

interface PendingSample {
  trace: ParsedTrace;
  scores?: Record<string, unknown>;
  target?: string;
  error?: string;
  limit?: string;
}

/** A whole EvalLog already parsed from a `.json` file. */
export function parseInspectLog(doc: unknown, file: string): ArtifactReadResult {
  const header = HeaderSchema.safeParse(doc);
  const samples = isRecord(doc) && Array.isArray(doc.samples) ? doc.samples : [];
  const pending: PendingSample[] = [];
  const fileSkips: string[] = [];
  samples.forEach((raw, i) => {
    const sample = readSample(raw, file);
    if ('reason' in sample) fileSkips.push(`sample ${i + 1}: ${sample.reason}`);
    else pending.push(sample);
  });
  return finish(pending, header.success ? header.data : {}, file, fileSkips);
}

/** Streams a `.eval` zip: each sample entry is parsed and reduced to a trace before the next is read. */
export async function readInspectEval(file: string, baseDir: string): Promise<ArtifactReadResult> {
  const shown = relPath(file, baseDir);
  const pending: PendingSample[] = [];
  const fileSkips: string[] = [];
  let header: Header = {};
  try {
    await forEachEntry(
      file,
      async (name, read) => {
        if (name === 'header.json') {
          const parsed = await read();
          if (parsed.ok) {
            const value = HeaderSchema.safeParse(parsed.value);
            if (value.success) header = value.data;
          } else fileSkips.push(`header.json: ${parsed.reason}`);
        } else if (/^samples\/[^/]+\.json$/.test(name)) {
          const parsed = await read();
          if (!parsed.ok) {
            fileSkips.push(`${name}: ${parsed.reason}`);
            return;
          }
          const sample = readSample(parsed.value, shown);
          if ('reason' in sample) fileSkips.push(`${name}: ${sample.reason}`);
          else pending.push(sample);
        }
      },
      fileSkips,
    );
  } catch (error) {
    if (error instanceof TraceFileRefused) return { traces: [], skipped: [{ file: shown, reason: error.message }] };
    return { traces: [], skipped: [{ file: shown, reason: `not a readable Inspect .eval zip: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  return finish(pending, header, shown, fileSkips);
}

/**
 * A `.eval` zip as one EvalLog document (header.json's fields plus `samples`), for callers that split a log into
 * one episode per sample the way they split a `.json` log. Entries that cannot be read are listed in `skipped`.
 */
export async function readInspectEvalAsLog(
  file: string,
): Promise<{ ok: true; log: Record<string, unknown>; skipped: string[] } | { ok: false; reason: string }> {
  const samples: unknown[] = [];
  const skipped: string[] = [];
  let header: Record<string, unknown> | undefined;
  try {
    await forEachEntry(
      file,
      async (name, read) => {
        if (name !== 'header.json' && !/^samples\/[^/]+\.json$/.test(name)) return;
        const parsed = await read();
        if (!parsed.ok) skipped.push(`${name}: ${parsed.reason}`);
        else if (name === 'header.json') header = isRecord(parsed.value) ? parsed.value : undefined;
        else samples.push(parsed.value);
      },
      skipped,
    );
  } catch (error) {
    if (error instanceof TraceFileRefused) return { ok: false, reason: error.message };
    return { ok: false, reason: `not a readable Inspect .eval zip: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!header) return { ok: false, reason: 'an Inspect .eval zip without a readable header.json' };
  return { ok: true, log: { ...header, samples }, skipped };
}

/**
 * The header's `eval` and the sample ids of a `.eval` zip, the ids from the entry names (`samples/<id>_epoch_<n>.json`)
 * without reading the samples; undefined when the file is not a readable zip. Read with the same caps as the log itself.
 */
export async function inspectEvalIndex(file: string): Promise<{ evalInfo: unknown; sampleIds: string[] } | undefined> {
  const sampleIds: string[] = [];
  let evalInfo: unknown;
  try {
    await forEachEntry(
      file,
      async (name, read) => {
        const sample = /^samples\/(.+)_epoch_\d+\.json$/.exec(name);
        if (sample) sampleIds.push(sample[1]!);
        else if (name === 'header.json') {
          // An unreadable header: the task falls back to the file name, as import does.
          const parsed = await read();
          if (parsed.ok && isRecord(parsed.value)) evalInfo = parsed.value.eval;
        }
      },
      [],
    );
  } catch {
    return undefined;
  }
  return { evalInfo, sampleIds };
}

function finish(pending: PendingSample[], header: Header, file: string, fileSkips: string[]): ArtifactReadResult {
  if (pending.length === 0) {
    const why = header.error?.message ? `; the eval ended with an error: ${truncateMiddle(header.error.message, 300)}` : '';
    const more = fileSkips.length > 0 ? ` (${fileSkips.slice(0, 3).join('; ')})` : '';
    return { traces: [], skipped: [{ file, reason: `Inspect log with no readable samples (status ${header.status ?? 'unknown'})${why}${more}` }] };
  }
  const scorer = header.results?.scores?.[0]?.scorer ?? header.results?.scores?.[0]?.name;
  const traces = pending.map((sample) => {
    applyVerdict(sample, scorer);
    return sample.trace;
  });
  if (fileSkips.length > 0) traces[0].skipped.push(...fileSkips);
  return { traces, skipped: [] };
}

function readSample(raw: unknown, file: string): PendingSample | { reason: string } {
  const parsed = SampleSchema.safeParse(raw);
  if (!parsed.success) return { reason: `not an Inspect sample: ${issueText(parsed.error)}` };
  const sample = parsed.data;
  const trace = newTrace('inspect', file);
  noteDropped(raw, sample, ['epoch', 'target', 'messages', 'scores', 'error', 'limit'], '', trace.skipped);
  trace.taskId = `${sample.id}_epoch_${sample.epoch ?? 1}`;
  const instruction = instructionOf(sample.input, sample.attachments);
  if (instruction) trace.instruction = clip(instruction);
  trace.steps = messagesToSteps(sample.messages ?? [], trace.skipped, { attachments: sample.attachments, label: 'message' });
  const usage = usageOf(sample.model_usage);
  if (usage) trace.usage = usage;
  const pending: PendingSample = { trace };
  if (sample.scores) pending.scores = sample.scores;
  const target = Array.isArray(sample.target) ? sample.target.join(' | ') : sample.target;
  if (target !== undefined && target.trim() !== '') pending.target = target;
  const error = sample.error?.message ?? eventError(sample);
  if (error) pending.error = error;
  const limit = sample.limit?.type ?? eventLimit(sample);
  if (limit) pending.limit = limit;
  return pending;
}

/**
 * Score -> reward and outcome: "C"/true/1 pass; "I"/"N"/false/0 fail; "P" 0.5 (fail); numbers are rewards (pass at >= 1).
 * A sample error without a passing score is infra-error; a time/working limit is timeout; other limits are fail.
 */
function applyVerdict(sample: PendingSample, scorer: string | undefined): void {
  const { trace } = sample;
  const scores = sample.scores ?? {};
  const key = scorer && scorer in scores ? scorer : Object.keys(scores)[0];
  const score = key !== undefined ? scores[key] : undefined;
  const reward = score !== undefined ? scoreReward(isRecord(score) ? score.value : score) : undefined;
  if (score !== undefined && reward === undefined)
    trace.skipped.push(`score '${key}' has a value that is not a reward (${truncateMiddle(JSON.stringify(isRecord(score) ? score.value : score) ?? '', 80)})`);
  if (reward !== undefined) trace.reward = reward;
  let outcome: Outcome | undefined = reward === undefined ? undefined : reward >= 1 ? 'pass' : 'fail';
  let error: EpisodeError | undefined;
  if (sample.limit) {
    // A limit is the agent running out of budget: time limits are timeouts, the rest plain failures.
    const timed = sample.limit === 'time' || sample.limit === 'working';
    error = {
      type: `${sample.limit}_limit`,
      message: sample.error ? truncateMiddle(sample.error, 2000) : `the sample hit its ${sample.limit} limit`,
      infrastructure: false,
    };
    if (outcome !== 'pass') outcome = timed ? 'timeout' : 'fail';
  } else if (sample.error) {
    // An error that stopped the sample means it could not be judged.
    const judged = outcome === 'pass';
    error = { type: 'SampleError', message: truncateMiddle(sample.error, 2000), infrastructure: !judged };
    if (!judged) outcome = 'infra-error';
  }
  if (outcome) trace.outcome = outcome;
  if (error) trace.error = error;
  const grades = gradesOf(scores, key, sample.target);
  if (grades.length > 0) trace.grades = grades;
}

const MAX_GRADE_TEXT = 4000;

/**
 * Every score as a grade (the deciding scorer's first, then the failing ones): the answer, the target, the
 * explanation (a model grader's reasoning) and the metadata are what tells one wrong answer from another.
 */
function gradesOf(scores: Record<string, unknown>, decidingKey: string | undefined, sampleTarget: string | undefined): Grade[] {
  const grades: Grade[] = [];
  for (const [scorer, score] of Object.entries(scores)) {
    const value = isRecord(score) ? score.value : score;
    const reward = scoreReward(value);
    const grade: Grade = { scorer, value: valueText(value), passed: reward !== undefined && reward >= 1 };
    if (isRecord(score)) {
      const answer = textOf(score.answer);
      if (answer) grade.answer = answer;
      const explanation = textOf(score.explanation);
      if (explanation) grade.explanation = explanation;
      if (isRecord(score.metadata) && Object.keys(score.metadata).length > 0) grade.metadata = truncateMiddle(JSON.stringify(score.metadata), MAX_GRADE_TEXT);
    }
    if (sampleTarget) grade.target = truncateMiddle(sampleTarget.trim(), MAX_GRADE_TEXT);
    grades.push(grade);
  }
  const rank = (g: Grade) => (g.scorer === decidingKey ? 0 : g.passed ? 2 : 1);
  return grades.sort((a, b) => rank(a) - rank(b));
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return truncateMiddle(value, 200);
  return truncateMiddle(JSON.stringify(value) ?? String(value), 200);
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : truncateMiddle(value, MAX_GRADE_TEXT);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function scoreReward(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const letter = value.trim().toUpperCase();
    if (letter === 'C') return 1;
    if (letter === 'I' || letter === 'N') return 0;
    if (letter === 'P') return 0.5;
    return finiteNumber(value);
  }
  return undefined;
}

function instructionOf(input: unknown, attachments?: Record<string, unknown>): string | undefined {
  if (typeof input === 'string') return contentText(input, attachments);
  if (Array.isArray(input)) {
    const user = input.find((m) => isRecord(m) && m.role === 'user');
    if (isRecord(user)) return contentText(user.content, attachments);
  }
  return undefined;
}

function usageOf(modelUsage: Record<string, unknown> | undefined) {
  if (!modelUsage) return undefined;
  let input: number | undefined;
  let output: number | undefined;
  let cost: number | undefined;
  for (const usage of Object.values(modelUsage)) {
    if (!isRecord(usage)) continue;
    const i = finiteNumber(usage.input_tokens);
    const o = finiteNumber(usage.output_tokens);
    const c = finiteNumber(usage.total_cost);
    if (i !== undefined) input = (input ?? 0) + i;
    if (o !== undefined) output = (output ?? 0) + o;
    if (c !== undefined) cost = (cost ?? 0) + c;
  }
  if (input === undefined && output === undefined && cost === undefined) return undefined;
  return {
    ...(input !== undefined ? { inputTokens: input } : {}),
    ...(output !== undefined ? { outputTokens: output } : {}),
    ...(cost !== undefined ? { costUsd: cost } : {}),
  };
}

function eventError(sample: Sample): string | undefined {
  const event = (sample.events ?? []).find((e) => isRecord(e) && e.event === 'error');
  if (!isRecord(event) || !isRecord(event.error)) return undefined;
  return typeof event.error.message === 'string' ? event.error.message : undefined;
}

function eventLimit(sample: Sample): string | undefined {
  const event = (sample.events ?? []).find((e) => isRecord(e) && e.event === 'sample_limit');
  return isRecord(event) && typeof event.type === 'string' ? event.type : undefined;
}

/** One zip entry is loaded up to this size; all entries of one .eval together up to MAX_ZIP_BYTES; at most MAX_ZIP_ENTRIES are visited. */
const MAX_ENTRY_BYTES = 16 * 1024 * 1024;
const MAX_ZIP_BYTES = 64 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 10_000;

type EntryReader = () => Promise<ReturnType<typeof parseJsonBytes>>;

/** Visits zip entries one at a time; `read` loads one entry (refusing entries over the size cap). */
async function forEachEntry(file: string, visit: (name: string, read: EntryReader) => Promise<void>, notes: string[]): Promise<void> {
  const { handle } = await openRegular(file);
  try {
    await entriesOf(handle.fd, visit, notes);
  } finally {
    await handle.close();
  }
}

function entriesOf(fd: number, visit: (name: string, read: EntryReader) => Promise<void>, notes: string[]): Promise<void> {
  let entries = 0;
  let inflated = 0;
  return new Promise((resolvePromise, reject) => {
    yauzl.fromFd(fd, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (openError, zip) => {
      if (openError || !zip) {
        reject(openError ?? new Error('cannot open zip'));
        return;
      }
      if (zip.entryCount > MAX_ZIP_ENTRIES) notes.push(`${zip.entryCount} zip entries; only the first ${MAX_ZIP_ENTRIES} are read`);
      let failed = false;
      const fail = (error: unknown) => {
        if (failed) return;
        failed = true;
        zip.close();
        reject(error);
      };
      zip.on('error', fail);
      zip.on('end', () => {
        if (!failed) resolvePromise();
      });
      zip.on('entry', (entry: yauzl.Entry) => {
        entries += 1;
        if (entries > MAX_ZIP_ENTRIES) {
          zip.close();
          resolvePromise();
          return;
        }
        const read: EntryReader = () =>
          new Promise((resolveRead) => {
            if (entry.uncompressedSize > MAX_ENTRY_BYTES) {
              resolveRead({ ok: false, reason: `entry of ${entry.uncompressedSize} bytes is over the ${MAX_ENTRY_BYTES} byte cap, not loaded` });
              return;
            }
            // The decompressed total of one .eval and of the episode are capped, whatever each entry's size.
            if (inflated + entry.uncompressedSize > MAX_ZIP_BYTES) {
              resolveRead({ ok: false, reason: `not loaded: the .eval's entries decompress to more than ${MAX_ZIP_BYTES} bytes in all` });
              return;
            }
            try {
              charge(entry.uncompressedSize);
            } catch (error) {
              resolveRead({ ok: false, reason: readProblem(error) });
              return;
            }
            inflated += entry.uncompressedSize;
            zip.openReadStream(entry, (streamError, stream) => {
              if (streamError || !stream) {
                resolveRead({ ok: false, reason: `cannot read entry: ${streamError?.message ?? 'no stream'}` });
                return;
              }
              // One buffer of the declared size (yauzl checks the real size against it): no chunk list, no concat copy.
              const bytes = Buffer.allocUnsafe(entry.uncompressedSize);
              let filled = 0;
              stream.on('data', (chunk: Buffer) => {
                filled += chunk.copy(bytes, filled);
              });
              stream.on('error', (error: Error) => resolveRead({ ok: false, reason: `cannot read entry: ${error.message}` }));
              stream.on('end', () => resolveRead(parseJsonBytes(bytes.subarray(0, filled))));
            });
          });
        visit(entry.fileName, read).then(() => zip.readEntry(), fail);
      });
      zip.readEntry();
    });
  });
}
