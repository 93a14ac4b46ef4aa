// The native trace.jsonl: one JSON event per line, read streaming (the schema is in docs/traces.md).
import { z } from 'zod';
import { jsonLines, MAX_JSON_LINE_CHARS } from '../store/jsonl.js';
import { charge, openRegular, readHead, readProblem } from './confined.js';
import type { Observation, ParsedTrace, TestOutcome, TraceStep } from './model.js';
import { argumentsText, clip, clipOptional, contentText } from './content.js';
import { looksBinary } from './json-file.js';
import { isRecord, issueText } from './lenient.js';
import { StepCollector } from './step-collector.js';
import { newTrace, relPath } from './trace-parts.js';
import { addUsage, makeUsage } from './usage.js';

const str = z.string().optional().catch(undefined);
const stepRef = z.union([z.number(), z.string()]).optional().catch(undefined);
const UsageSchema = z
  .object({
    input_tokens: z.number().optional().catch(undefined),
    output_tokens: z.number().optional().catch(undefined),
    cost_usd: z.number().optional().catch(undefined),
  })
  .optional()
  .catch(undefined);

const MetaEvent = z.object({ type: z.literal('meta'), task_id: str, instruction: str, model: str });
const MessageEvent = z.object({
  type: z.literal('message'),
  role: z.enum(['system', 'user', 'assistant', 'agent', 'tool']),
  content: z.unknown().optional(),
  reasoning: str,
  step: stepRef,
  ts: str,
  usage: UsageSchema,
});
const ToolCallEvent = z.object({ type: z.literal('tool_call'), id: str, name: z.string(), arguments: z.unknown().optional(), step: stepRef, ts: str });
const ToolResultEvent = z.object({
  type: z.literal('tool_result'),
  call_id: str,
  content: z.unknown().optional(),
  exit_code: z.number().optional().catch(undefined),
  is_error: z.boolean().optional().catch(undefined),
  step: stepRef,
  ts: str,
});
const ErrorEvent = z.object({
  type: z.literal('error'),
  error_type: str,
  message: z.string().catch(''),
  infrastructure: z.boolean().optional().catch(undefined),
  step: stepRef,
  ts: str,
});
const ResultEvent = z.object({
  type: z.literal('result'),
  outcome: z.enum(['pass', 'fail', 'timeout', 'infra-error']).optional().catch(undefined),
  reward: z.number().min(0).max(1).optional().catch(undefined),
  tests: z.array(z.unknown()).optional().catch(undefined),
  usage: UsageSchema,
});
const EventSchema = z.discriminatedUnion('type', [MetaEvent, MessageEvent, ToolCallEvent, ToolResultEvent, ErrorEvent, ResultEvent]);
type TraceEvent = z.infer<typeof EventSchema>;

const TestSchema = z.object({ name: z.string(), status: z.enum(['passed', 'failed', 'skipped', 'other']).catch('other'), message: str });

/** A single line longer than this is skipped unread rather than buffered. */
export const MAX_LINE_CHARS = MAX_JSON_LINE_CHARS;

/** The byte chunks of a trace file, opened through the confined opener and charged to the episode's budget. */
async function* traceChunks(file: string): AsyncGenerator<Buffer> {
  const { handle } = await openRegular(file);
  for await (const chunk of handle.createReadStream({ highWaterMark: 256 * 1024 })) {
    charge((chunk as Buffer).length);
    yield chunk as Buffer;
  }
}

/** Per-line problems beyond this many are counted, not listed. */
const MAX_LINE_REASONS = 20;

/** Reads a trace.jsonl line by line; memory stays bounded by the step and field caps whatever the file size. */
export async function readJsonlTrace(file: string, baseDir: string): Promise<{ traces: ParsedTrace[]; skipped: { file: string; reason: string }[] }> {
  const shown = relPath(file, baseDir);
  let head: Buffer;
  try {
    head = await readHead(file, 8192);
  } catch (error) {
    return { traces: [], skipped: [{ file: shown, reason: readProblem(error) }] };
  }
  if (head.length === 0) return { traces: [], skipped: [{ file: shown, reason: 'empty file (0 bytes)' }] };
  if (looksBinary(head)) return { traces: [], skipped: [{ file: shown, reason: 'binary content, not UTF-8 JSON lines' }] };

  const trace = newTrace('jsonl', shown);
  let lineNo = 0;
  const builder = new StepBuilder();
  let events = 0;
  let problems = 0;
  const problem = (text: string) => {
    problems += 1;
    if (problems <= MAX_LINE_REASONS) trace.skipped.push(text);
  };
  for await (const batch of jsonLines(traceChunks(file), MAX_LINE_CHARS))
    for (const item of batch) {
      lineNo = item.line;
      if ('problem' in item) {
        if (item.problem === 'too-long') problem(`line ${lineNo}: longer than ${MAX_LINE_CHARS} characters, skipped`);
        else problem(`line ${lineNo}: invalid JSON${item.text === undefined ? '' : `: ${item.text}`}${item.torn ? ' (an unfinished last line)' : ''}, skipped`);
        continue;
      }
      let raw = item.value;
      // Chat-style lines without a type are messages.
      if (isRecord(raw) && raw.type === undefined && typeof raw.role === 'string') raw = { ...raw, type: 'message' };
      const parsed = EventSchema.safeParse(raw);
      if (!parsed.success) {
        const type = isRecord(raw) ? raw.type : undefined;
        problem(`line ${lineNo}: ${typeof type === 'string' && !KNOWN_TYPES.has(type) ? `unknown event type '${type}'` : issueText(parsed.error)}, skipped`);
        continue;
      }
      events += 1;
      apply(parsed.data, trace, builder);
    }
  if (problems > MAX_LINE_REASONS) trace.skipped.push(`${problems - MAX_LINE_REASONS} more lines skipped`);
  if (events === 0) {
    return {
      traces: [],
      skipped: [{ file: shown, reason: `no trace events in ${lineNo} lines${trace.skipped[0] ? ` (first problem: ${trace.skipped[0]})` : ''}` }],
    };
  }
  trace.steps = builder.finish(trace.skipped);
  if (!trace.usage && builder.usage) trace.usage = builder.usage;
  return { traces: [trace], skipped: [] };
}

const KNOWN_TYPES = new Set(['meta', 'message', 'tool_call', 'tool_result', 'error', 'result']);

function apply(event: TraceEvent, trace: ParsedTrace, builder: StepBuilder): void {
  switch (event.type) {
    case 'meta':
      if (event.task_id) trace.taskId = event.task_id;
      if (event.instruction) trace.instruction = clip(event.instruction);
      return;
    case 'message': {
      const source = event.role === 'assistant' ? 'agent' : event.role;
      const step = builder.stepFor(event.step, source, source !== 'agent' || builder.currentHasMessage());
      const text = contentText(event.content);
      if (text !== '') step.message = clip(step.message ? `${step.message}\n${text}` : text);
      const reasoning = clipOptional(event.reasoning);
      if (reasoning) step.reasoning = reasoning;
      if (event.ts && !step.timestamp) step.timestamp = event.ts;
      const usage = makeUsage(event.usage?.input_tokens, event.usage?.output_tokens, event.usage?.cost_usd);
      if (usage) {
        step.usage = addUsage(step.usage, usage);
        builder.usage = addUsage(builder.usage, usage);
      }
      return;
    }
    case 'tool_call': {
      const step = builder.stepFor(event.step, 'agent', false);
      step.toolCalls.push({ ...(event.id ? { id: event.id } : {}), name: event.name, arguments: argumentsText(event.arguments) });
      if (event.ts && !step.timestamp) step.timestamp = event.ts;
      return;
    }
    case 'tool_result': {
      const observation: Observation = { content: clip(contentText(event.content)) };
      if (event.call_id) observation.callId = event.call_id;
      if (event.exit_code !== undefined) observation.exitCode = event.exit_code;
      if (event.is_error !== undefined) observation.isError = event.is_error;
      builder.observe(event.step, observation);
      return;
    }
    case 'error': {
      const type = event.error_type ?? 'error';
      trace.error = { type, message: clip(event.message), ...(event.infrastructure !== undefined ? { infrastructure: event.infrastructure } : {}) };
      const step = builder.stepFor(event.step, 'system', event.step === undefined);
      step.observations.push({ content: clip(`${type}: ${event.message}`), isError: true });
      return;
    }
    case 'result': {
      if (event.outcome) trace.outcome = event.outcome;
      if (event.reward !== undefined) trace.reward = event.reward;
      for (const raw of event.tests ?? []) {
        const test = TestSchema.safeParse(raw);
        if (!test.success) continue;
        const outcome: TestOutcome = { name: test.data.name, status: test.data.status };
        if (test.data.message) outcome.message = clip(test.data.message);
        trace.tests.push(outcome);
      }
      const usage = makeUsage(event.usage?.input_tokens, event.usage?.output_tokens, event.usage?.cost_usd);
      if (usage) trace.usage = usage;
      return;
    }
  }
}

/**
 * Groups events into steps: events sharing a `step` value form one step; without `step`,
 * an assistant message opens a new agent step, tool calls join the current agent step and tool results join
 * the step whose call they answer.
 */
class StepBuilder {
  private readonly collector = new StepCollector();
  private current: TraceStep | undefined;
  private currentKey: string | undefined;
  usage: ReturnType<typeof makeUsage>;

  currentHasMessage(): boolean {
    return this.current?.message !== undefined || (this.current?.toolCalls.length ?? 0) > 0;
  }

  stepFor(stepRef: number | string | undefined, source: TraceStep['source'], forceNew: boolean): TraceStep {
    if (stepRef !== undefined) {
      const key = String(stepRef);
      if (this.current && this.currentKey === key) return this.current;
      return this.open(source, key);
    }
    if (!forceNew && this.current && this.current.source === source && this.current.observations.length === 0) return this.current;
    return this.open(source, undefined);
  }

  observe(stepRef: number | string | undefined, observation: Observation): void {
    let owner: TraceStep | undefined;
    if (stepRef !== undefined && this.currentKey === String(stepRef)) owner = this.current;
    else if (observation.callId) owner = this.collector.findRecent((s) => s.toolCalls.some((c) => c.id === observation.callId));
    else if (stepRef === undefined && this.current?.source === 'agent') owner = this.current;
    (owner ?? this.open('tool', stepRef === undefined ? undefined : String(stepRef))).observations.push(observation);
  }

  private open(source: TraceStep['source'], key: string | undefined): TraceStep {
    const index = this.collector.size + 1;
    const step: TraceStep = { id: key ?? String(index), index, source, toolCalls: [], observations: [] };
    this.collector.push(step);
    this.current = step;
    this.currentKey = key;
    return step;
  }

  finish(skipped: string[]): TraceStep[] {
    return this.collector.finish(skipped);
  }
}

export function isJsonlName(file: string): boolean {
  return /\.jsonl$/i.test(file);
}
