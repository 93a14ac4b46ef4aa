// OpenHands event streams (a saved trajectory: a list of action and observation events): actions become agent steps
// with their tool call, observations the results of the action they name as `cause`.
import type { Observation, ParsedTrace, TraceStep } from './model.js';
import { clip, clipOptional, safeJson } from './content.js';
import { finiteNumber, isRecord } from './lenient.js';
import { newTrace } from './trace-parts.js';
import { makeUsage } from './usage.js';

/** A list of events where actions carry `action` and observations `observation`, each with a `source`. */
export function isOpenHandsEvents(doc: unknown): boolean {
  if (!Array.isArray(doc) || doc.length === 0) return false;
  const events = doc.filter((e) => isRecord(e) && typeof e.source === 'string' && (typeof e.action === 'string' || typeof e.observation === 'string'));
  return events.length >= Math.ceil(doc.length / 2) && events.some((e) => isRecord(e) && typeof e.action === 'string');
}

/** Events that are the runtime's own bookkeeping, not something the agent did or saw. */
const BOOKKEEPING = new Set(['recall', 'agent_state_changed', 'change_agent_state', 'null', 'condensation', 'condensation_request']);

/** Fields may be objects or, in some exports, JSON text. */
function objectOf(value: unknown): Record<string, unknown> {
  if (isRecord(value)) return value;
  if (typeof value === 'string' && value.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(value);
      return isRecord(parsed) ? parsed : {};
    } catch {
      return {};
    }
  }
  return {};
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function parseOpenHandsEvents(doc: unknown, file: string): { trace: ParsedTrace } | { reason: string } {
  if (!isOpenHandsEvents(doc) || !Array.isArray(doc)) return { reason: 'not an OpenHands event list: no events with action/observation' };
  const trace = newTrace('openhands', file);
  const steps: TraceStep[] = [];
  const byEventId = new Map<number, TraceStep>();
  let lastAgent: TraceStep | undefined;
  let lastMetrics: Record<string, unknown> | undefined;
  doc.forEach((raw, position) => {
    if (!isRecord(raw)) {
      trace.skipped.push(`event ${position + 1}: not an object, skipped`);
      return;
    }
    const id = finiteNumber(raw.id);
    const metrics = objectOf(raw.llm_metrics);
    if (Object.keys(metrics).length > 0) lastMetrics = metrics;
    if (typeof raw.observation === 'string') {
      if (BOOKKEEPING.has(raw.observation)) return;
      const extras = objectOf(raw.extras);
      const metadata = objectOf(extras.metadata);
      const observation: Observation = { content: clip(text(raw.content) ?? text(raw.message) ?? '') };
      const exitCode = finiteNumber(metadata.exit_code);
      if (exitCode !== undefined && exitCode >= 0) observation.exitCode = exitCode;
      if (raw.observation === 'error' || raw.success === false) observation.isError = true;
      const callId = text(objectOf(raw.tool_call_metadata).tool_call_id);
      if (callId) observation.callId = callId;
      const cause = finiteNumber(raw.cause);
      const owner = (cause !== undefined ? byEventId.get(cause) : undefined) ?? lastAgent;
      if (owner) owner.observations.push(observation);
      else push({ source: 'tool', toolCalls: [], observations: [observation] });
      return;
    }
    const action = String(raw.action);
    if (BOOKKEEPING.has(action)) return;
    const args = objectOf(raw.args);
    const source = raw.source === 'user' ? 'user' : raw.source === 'environment' ? 'system' : 'agent';
    if (action === 'system') {
      push({ source: 'system', message: clip(text(args.content) ?? text(raw.message) ?? ''), toolCalls: [], observations: [] }, id);
      return;
    }
    if (action === 'message') {
      const message = clip(text(args.content) ?? text(raw.message) ?? '');
      push({ source, message, toolCalls: [], observations: [] }, id);
      if (source === 'user' && trace.instruction === undefined && message) trace.instruction = message;
      return;
    }
    const name = text(objectOf(raw.tool_call_metadata).function_name) ?? action;
    const thought = clipOptional(text(args.thought));
    const callArgs = Object.fromEntries(Object.entries(args).filter(([key]) => key !== 'thought'));
    const message = action === 'finish' ? clipOptional(text(args.final_thought) ?? text(raw.message)) : undefined;
    const callId = text(objectOf(raw.tool_call_metadata).tool_call_id);
    const step = push(
      {
        source: 'agent',
        ...(message ? { message } : {}),
        ...(thought ? { reasoning: thought } : {}),
        toolCalls: [{ ...(callId ? { id: callId } : {}), name, arguments: clip(safeJson(callArgs)) }],
        observations: [],
      },
      id,
    );
    lastAgent = step;
  });
  trace.steps = steps;
  if (lastMetrics) {
    const tokens = objectOf(lastMetrics.accumulated_token_usage);
    const usage = makeUsage(finiteNumber(tokens.prompt_tokens), finiteNumber(tokens.completion_tokens), finiteNumber(lastMetrics.accumulated_cost));
    if (usage) trace.usage = usage;
  }
  return { trace };

  function push(step: Omit<TraceStep, 'id' | 'index'>, eventId?: number): TraceStep {
    const index = steps.length + 1;
    const full: TraceStep = { id: eventId !== undefined ? String(eventId) : String(index), index, ...step };
    steps.push(full);
    if (eventId !== undefined) byEventId.set(eventId, full);
    return full;
  }
}
