// ATIF trajectories (Harbor's Agent Trajectory Interchange Format, ATIF-v1.x): steps, continuations, sub-trajectories.
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Usage } from '../domain/types.js';
import type { ArtifactReadResult, Observation, ParsedTrace, ToolCall, TraceStep } from './model.js';
import { stepText, truncateMiddle } from './text.js';
import { argumentsText, clip, clipOptional, contentText } from './content.js';
import { readJsonFile } from './json-file.js';
import { finiteNumber, isRecord, issueText, noteDropped, parseEach } from './lenient.js';
import { StepCollector } from './step-collector.js';
import { newTrace, relPath } from './trace-parts.js';
import { addUsage, makeUsage } from './usage.js';

const num = z.number().optional().catch(undefined);
const str = z.string().optional().catch(undefined);

const MetricsSchema = z.object({ prompt_tokens: num, completion_tokens: num, cost_usd: num });

const ToolCallSchema = z.object({
  tool_call_id: str,
  function_name: z.string(),
  arguments: z.unknown().optional(),
});

const SubagentRefSchema = z.object({ trajectory_path: str, trajectory_id: str, session_id: str, extra: z.unknown().optional() });

const ResultSchema = z.object({
  source_call_id: str,
  content: z.unknown().optional(),
  subagent_trajectory_ref: z.array(z.unknown()).optional().catch(undefined),
});

const StepSchema = z.object({
  step_id: z.union([z.number(), z.string()]).optional().catch(undefined),
  source: z.string(),
  timestamp: str,
  message: z.unknown().optional(),
  reasoning_content: z.unknown().optional(),
  tool_calls: z.array(z.unknown()).optional().catch(undefined),
  observation: z
    .object({ results: z.array(z.unknown()).catch([]) })
    .optional()
    .catch(undefined),
  metrics: MetricsSchema.optional().catch(undefined),
  is_copied_context: z.boolean().optional().catch(undefined),
});

export const AtifSchema = z.object({
  schema_version: z.string().regex(/^ATIF/i, { error: 'schema_version does not start with ATIF' }),
  session_id: str,
  trajectory_id: str,
  agent: z.object({ name: str, model_name: str }).optional().catch(undefined),
  steps: z.array(z.unknown()),
  final_metrics: z.object({ total_prompt_tokens: num, total_completion_tokens: num, total_cost_usd: num }).optional().catch(undefined),
  continued_trajectory_ref: str,
  subagent_trajectories: z.array(z.unknown()).optional().catch(undefined),
});
type AtifDoc = z.infer<typeof AtifSchema>;

export function isAtif(doc: unknown): boolean {
  return isRecord(doc) && typeof doc.schema_version === 'string' && /^ATIF/i.test(doc.schema_version);
}

export interface AtifReadOutput extends ArtifactReadResult {
  /** Absolute paths of continuation and sub-trajectory files folded into the trace (a directory walk skips them). */
  consumed: string[];
}

const MAX_CONTINUATIONS = 100;

/** Reads one trajectory file, following `continued_trajectory_ref` and summarising referenced sub-trajectories. */
export async function readAtifFile(file: string, baseDir: string, doc?: unknown): Promise<AtifReadOutput> {
  const shown = relPath(file, baseDir);
  const consumed: string[] = [];
  let value = doc;
  if (value === undefined) {
    const read = await readJsonFile(file);
    if (!read.ok) return { traces: [], skipped: [{ file: shown, reason: read.reason }], consumed };
    value = read.value;
  }
  const parsed = AtifSchema.safeParse(value);
  if (!parsed.success) {
    return { traces: [], skipped: [{ file: shown, reason: `not an ATIF trajectory: ${issueText(parsed.error)}` }], consumed };
  }
  const trace = newTrace('atif', shown);
  const collector = new StepCollector();
  const subagents = new SubagentResolver(file, parsed.data, consumed);
  let usage = await addSegment(parsed.data, '', trace, collector, subagents);

  // Continuations: linear-history segments; copied context is replayed history and left out.
  let current = parsed.data;
  let currentFile = file;
  const seen = new Set([resolve(file)]);
  for (let n = 1; current.continued_trajectory_ref && n <= MAX_CONTINUATIONS; n += 1) {
    if (leavesDirectory(current.continued_trajectory_ref)) {
      trace.skipped.push(
        `continuation '${current.continued_trajectory_ref}' is an absolute or '..' reference, not followed (trace files are read only inside the episode directory); trace ends early`,
      );
      break;
    }
    const next = locateRef(currentFile, current.continued_trajectory_ref);
    if (!next || seen.has(next)) {
      trace.skipped.push(`continuation '${current.continued_trajectory_ref}' not found next to ${basename(currentFile)}; trace ends early`);
      break;
    }
    seen.add(next);
    const read = await readJsonFile(next);
    const cont = read.ok ? AtifSchema.safeParse(read.value) : undefined;
    if (!read.ok || !cont?.success) {
      trace.skipped.push(`continuation ${basename(next)}: ${read.ok ? issueText(cont!.error!) : read.reason}; trace ends early`);
      break;
    }
    consumed.push(next);
    usage = addUsage(usage, await addSegment(cont.data, `cont-${n}:`, trace, collector, subagents));
    current = cont.data;
    currentFile = next;
  }
  trace.steps = collector.finish(trace.skipped);
  const final = parsed.data.final_metrics;
  const declared = makeUsage(final?.total_prompt_tokens, final?.total_completion_tokens, final?.total_cost_usd);
  // final_metrics of the first segment covers only that segment when continuations exist.
  const total = current === parsed.data ? (declared ?? usage) : usage;
  if (total) trace.usage = total;
  return { traces: [trace], skipped: [], consumed };
}

async function addSegment(
  doc: AtifDoc,
  idPrefix: string,
  trace: ParsedTrace,
  collector: StepCollector,
  subagents: SubagentResolver,
): Promise<Usage | undefined> {
  let usage: Usage | undefined;
  for (const [index, item] of doc.steps.entries()) {
    const parsedStep = StepSchema.safeParse(item);
    if (!parsedStep.success) {
      trace.skipped.push(`${idPrefix}step ${index + 1}: ${issueText(parsedStep.error)}, skipped`);
      continue;
    }
    const raw = parsedStep.data;
    noteDropped(item, raw, ['step_id', 'timestamp', 'tool_calls', 'observation', 'metrics'], `${idPrefix}step ${index + 1}`, trace.skipped);
    if (raw.is_copied_context) continue;
    const source = sourceOf(raw.source);
    const ownId = raw.step_id !== undefined ? String(raw.step_id) : String(index + 1);
    if (!source) {
      trace.skipped.push(`${idPrefix}step ${ownId}: unknown source '${raw.source}', skipped`);
      continue;
    }
    const step: TraceStep = {
      id: `${idPrefix}${ownId}`,
      index: collector.size + 1,
      source,
      toolCalls: toolCallsOf(raw.tool_calls ?? [], `${idPrefix}step ${ownId}`, trace.skipped),
      observations: [],
    };
    const message = clipOptional(contentText(raw.message));
    if (message !== undefined) step.message = message;
    const reasoning = clipOptional(contentText(raw.reasoning_content));
    if (reasoning !== undefined) step.reasoning = reasoning;
    if (raw.timestamp) step.timestamp = raw.timestamp;
    const stepUsage = makeUsage(finiteNumber(raw.metrics?.prompt_tokens), finiteNumber(raw.metrics?.completion_tokens), finiteNumber(raw.metrics?.cost_usd));
    if (stepUsage) step.usage = stepUsage;
    usage = addUsage(usage, stepUsage);
    for (const result of parseEach(raw.observation?.results ?? [], ResultSchema, (i) => `${idPrefix}step ${ownId} result ${i + 1}`, trace.skipped)) {
      step.observations.push(await observationOf(result.value, subagents));
    }
    collector.push(step);
  }
  return usage;
}

function sourceOf(source: string): TraceStep['source'] | undefined {
  const lower = source.toLowerCase();
  if (lower === 'system' || lower === 'user' || lower === 'agent') return lower;
  if (lower === 'assistant') return 'agent';
  if (lower === 'tool' || lower === 'environment') return 'tool';
  return undefined;
}

function toolCallsOf(raw: unknown[], where: string, skipped: string[]): ToolCall[] {
  return parseEach(raw, ToolCallSchema, (i) => `${where} tool call ${i + 1}`, skipped).map(({ value }) => ({
    ...(value.tool_call_id ? { id: value.tool_call_id } : {}),
    name: value.function_name,
    arguments: argumentsText(value.arguments),
  }));
}

async function observationOf(result: z.infer<typeof ResultSchema>, subagents: SubagentResolver): Promise<Observation> {
  const parts: string[] = [];
  const text = contentText(result.content);
  if (text !== '') parts.push(text);
  for (const ref of result.subagent_trajectory_ref ?? []) {
    const parsed = SubagentRefSchema.safeParse(ref);
    if (parsed.success) parts.push(await subagents.describe(parsed.data));
  }
  return { ...(result.source_call_id ? { callId: result.source_call_id } : {}), content: clip(parts.join('\n')) };
}

/**
 * Sub-trajectories (e.g. Terminus-2 summarization sub-agents) are not merged into the parent's steps;
 * the parent's observation gets one line per sub-trajectory: where it is, how long, and its last agent message.
 */
class SubagentResolver {
  constructor(
    private readonly file: string,
    private readonly doc: AtifDoc,
    private readonly consumed: string[],
  ) {}

  async describe(ref: z.infer<typeof SubagentRefSchema>): Promise<string> {
    const name = ref.trajectory_path ?? ref.trajectory_id ?? ref.session_id ?? 'unnamed';
    const embedded = ref.trajectory_id ? this.embedded(ref.trajectory_id) : undefined;
    let sub = embedded;
    if (!sub && ref.trajectory_path && leavesDirectory(ref.trajectory_path)) {
      return `[sub-trajectory ${name}: an absolute or '..' reference, not followed]`;
    }
    if (!sub && ref.trajectory_path) {
      const path = locateRef(this.file, ref.trajectory_path);
      if (path) {
        const read = await readJsonFile(path);
        const parsed = read.ok ? AtifSchema.safeParse(read.value) : undefined;
        if (parsed?.success) {
          sub = parsed.data;
          this.consumed.push(path);
        }
      }
    }
    if (!sub) return `[sub-trajectory ${name}: not found]`;
    const steps = sub.steps.filter((s) => isRecord(s) && s.is_copied_context !== true);
    const lastAgent = [...steps].reverse().find((s) => isRecord(s) && s.source === 'agent');
    const summary = lastAgent ? truncateMiddle(stepText(quickStep(lastAgent)), 600) : '';
    return `[sub-trajectory ${name}: ${steps.length} steps]${summary ? ` last: ${summary}` : ''}`;
  }

  private embedded(id: string): AtifDoc | undefined {
    for (const raw of this.doc.subagent_trajectories ?? []) {
      const parsed = AtifSchema.safeParse(raw);
      if (parsed.success && parsed.data.trajectory_id === id) return parsed.data;
    }
    return undefined;
  }
}

function quickStep(raw: unknown): TraceStep {
  const record = isRecord(raw) ? raw : {};
  return { id: '', index: 0, source: 'agent', message: contentText(record.message), toolCalls: [], observations: [] };
}

/**
 * Finds a referenced file next to the referring one. Harbor writes `trajectory.json` + `trajectory.cont-1.json`;
 * renamed copies (`run.trajectory.json` + `run.trajectory.cont-1.json`) are found by the shared prefix.
 */
export function locateRef(fromFile: string, ref: string): string | undefined {
  if (leavesDirectory(ref)) return undefined;
  const dir = dirname(fromFile);
  const direct = resolve(dir, ref);
  if (existsSync(direct)) return direct;
  const name = basename(fromFile);
  const marker = name.lastIndexOf('trajectory.');
  if (marker > 0 && ref.startsWith('trajectory')) {
    const prefixed = join(dir, name.slice(0, marker) + basename(ref));
    if (existsSync(prefixed)) return prefixed;
  }
  return undefined;
}

/** True for a reference that could name a file outside the referring file's directory tree. */
export function leavesDirectory(ref: string): boolean {
  return isAbsolute(ref) || /^[a-zA-Z]:/.test(ref) || ref.split(/[\\/]/).includes('..') || ref.includes('\0');
}
