// Chat message lists (OpenAI chat, Inspect, Harbor traces exports, mini-swe-agent, Gemini CLI) into trace steps.
import { z } from 'zod';
import type { Observation, ToolCall, TraceStep } from './model.js';
import { argumentsText, clip, clipOptional, contentText } from './content.js';
import { finiteNumber, isRecord, issueText } from './lenient.js';
import { StepCollector } from './step-collector.js';
import { makeUsage } from './usage.js';

const ToolCallSchema = z.object({
  id: z.string().optional().catch(undefined),
  // OpenAI: function {name, arguments: string}; Inspect: function 'name', arguments {}; others: name.
  function: z
    .union([z.string(), z.object({ name: z.string(), arguments: z.unknown().optional() })])
    .optional()
    .catch(undefined),
  name: z.string().optional().catch(undefined),
  arguments: z.unknown().optional(),
});

const MessageSchema = z.object({
  role: z.string().optional().catch(undefined),
  type: z.string().optional().catch(undefined),
  content: z.unknown().optional(),
  reasoning_content: z.string().optional().catch(undefined),
  reasoning: z.string().optional().catch(undefined),
  tool_calls: z.array(z.unknown()).optional().catch(undefined),
  function_call: z.object({ name: z.string(), arguments: z.unknown().optional() }).optional().catch(undefined),
  tool_call_id: z.string().optional().catch(undefined),
  function: z.string().optional().catch(undefined),
  name: z.string().optional().catch(undefined),
  error: z.unknown().optional(),
  timestamp: z.string().optional().catch(undefined),
  tokens: z
    .object({ input: z.number().optional().catch(undefined), output: z.number().optional().catch(undefined) })
    .optional()
    .catch(undefined),
});

type Source = TraceStep['source'];

function sourceOf(role: string | undefined): Source | 'tool-result' | undefined {
  switch ((role ?? '').toLowerCase()) {
    case 'system':
    case 'developer':
    case 'info':
      return 'system';
    case 'user':
    case 'human':
      return 'user';
    case 'assistant':
    case 'agent':
    case 'model':
    case 'gemini':
    case 'ai':
      return 'agent';
    case 'tool':
    case 'function':
    case 'ipython':
      return 'tool-result';
    default:
      return undefined;
  }
}

export interface MessagesOptions {
  attachments?: Record<string, unknown>;
  /** What to call an element in skip reasons, e.g. "message" or "sample 3 message". */
  label?: string;
}

/** Turns a chat transcript into steps: tool results attach to the assistant step that made the call. */
export function messagesToSteps(messages: unknown[], skipped: string[], options: MessagesOptions = {}): TraceStep[] {
  const collector = new StepCollector();
  const label = options.label ?? 'message';
  const stepByCallId = new Map<string, TraceStep>();
  messages.forEach((raw, position) => {
    const parsed = MessageSchema.safeParse(raw);
    if (!parsed.success) {
      skipped.push(`${label} ${position + 1}: ${issueText(parsed.error)}, skipped`);
      return;
    }
    const message = parsed.data;
    const source = sourceOf(message.role ?? message.type);
    if (!source) {
      skipped.push(`${label} ${position + 1}: unknown role '${message.role ?? message.type ?? ''}', skipped`);
      return;
    }
    const { text, reasoning } = splitContent(message.content, options.attachments);
    if (source === 'tool-result') {
      const observation: Observation = { content: clip(text) };
      if (message.tool_call_id) observation.callId = message.tool_call_id;
      const error = errorText(message.error);
      if (error) {
        observation.isError = true;
        observation.content = clip(text && text !== error ? `${text}\n[error] ${error}` : error);
      }
      const owner = message.tool_call_id ? stepByCallId.get(message.tool_call_id) : undefined;
      if (owner) {
        owner.observations.push(observation);
        return;
      }
      const index = collector.size + 1;
      collector.push({
        id: String(index),
        index,
        source: 'tool',
        toolCalls: [],
        observations: [observation],
        ...(message.timestamp ? { timestamp: message.timestamp } : {}),
      });
      return;
    }
    const toolCalls = source === 'agent' ? toolCallsOf(message, `${label} ${position + 1}`, skipped) : [];
    const index = collector.size + 1;
    const step: TraceStep = { id: String(index), index, source, toolCalls, observations: [] };
    const messageText = clipOptional(text);
    if (messageText !== undefined) step.message = messageText;
    const thinking = clipOptional(message.reasoning_content ?? message.reasoning ?? reasoning);
    if (thinking !== undefined) step.reasoning = thinking;
    if (message.timestamp) step.timestamp = message.timestamp;
    const usage = makeUsage(finiteNumber(message.tokens?.input), finiteNumber(message.tokens?.output));
    if (usage) step.usage = usage;
    for (const call of toolCalls) if (call.id) stepByCallId.set(call.id, step);
    collector.push(step);
  });
  return collector.finish(skipped);
}

function toolCallsOf(message: z.infer<typeof MessageSchema>, where: string, skipped: string[]): ToolCall[] {
  const calls: ToolCall[] = [];
  (message.tool_calls ?? []).forEach((raw, i) => {
    const parsed = ToolCallSchema.safeParse(raw);
    const call = parsed.success ? parsed.data : undefined;
    const fn = call?.function;
    const name = typeof fn === 'string' ? fn : (fn?.name ?? call?.name);
    if (!call || !name) {
      skipped.push(`${where} tool call ${i + 1}: no function name, skipped`);
      return;
    }
    const args = typeof fn === 'object' && fn.arguments !== undefined ? fn.arguments : call.arguments;
    calls.push({ ...(call.id ? { id: call.id } : {}), name, arguments: argumentsText(args) });
  });
  if (message.function_call) calls.push({ name: message.function_call.name, arguments: argumentsText(message.function_call.arguments) });
  return calls;
}

/** Separates reasoning parts ({type:'reasoning'}) from the visible text of a content list. */
function splitContent(content: unknown, attachments?: Record<string, unknown>): { text: string; reasoning?: string } {
  if (!Array.isArray(content)) return { text: contentText(content, attachments) };
  const visible: unknown[] = [];
  const thinking: string[] = [];
  for (const part of content) {
    if (isRecord(part) && (part.type === 'reasoning' || part.type === 'thinking')) {
      const value = part.reasoning ?? part.thinking ?? part.text;
      if (typeof value === 'string' && value !== '') thinking.push(value);
    } else {
      visible.push(part);
    }
  }
  return { text: contentText(visible, attachments), ...(thinking.length > 0 ? { reasoning: thinking.join('\n') } : {}) };
}

function errorText(error: unknown): string | undefined {
  if (error === undefined || error === null || error === false) return undefined;
  if (typeof error === 'string') return error;
  if (isRecord(error)) {
    const type = typeof error.type === 'string' ? error.type : undefined;
    const message = typeof error.message === 'string' ? error.message : undefined;
    if (type || message) return [type, message].filter(Boolean).join(': ');
  }
  return 'error';
}
