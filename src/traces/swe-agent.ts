// SWE-agent trajectories (`.traj`): `trajectory` holds one entry per turn (thought, action, observation), `history`
// the messages (the task is its first user message), `info` the exit status and model stats.
import type { EpisodeError } from '../domain/types.js';
import type { ParsedTrace, TraceStep } from './model.js';
import { clip, clipOptional, contentText } from './content.js';
import { finiteNumber, isRecord } from './lenient.js';
import { newTrace } from './trace-parts.js';
import { makeUsage } from './usage.js';

export function isSweAgentTrajectory(doc: unknown): boolean {
  return (
    isRecord(doc) &&
    Array.isArray(doc.trajectory) &&
    doc.trajectory.length > 0 &&
    doc.trajectory.every((t) => isRecord(t) && typeof t.action === 'string' && 'observation' in t) &&
    ('history' in doc || 'info' in doc || 'environment' in doc)
  );
}

/**
 * How a run ended, from info.exit_status: `submitted` is no verdict (the tests decide); the `exit_*` statuses (and
 * `submitted (exit_cost)`-style autosubmissions) say which limit or error stopped the agent.
 */
export function sweAgentExit(status: string): EpisodeError | undefined {
  const lower = status.toLowerCase();
  if (lower === 'submitted' || lower === '') return undefined;
  if (/exit_context|context/.test(lower))
    return { type: 'context_window_exceeded', message: `SWE-agent exit status ${status}: the context window was exceeded` };
  if (/exit_cost|cost/.test(lower)) return { type: 'cost_limit', message: `SWE-agent exit status ${status}: the cost limit was reached` };
  if (/exit_format|format/.test(lower)) return { type: 'format_error', message: `SWE-agent exit status ${status}: too many malformed replies (format error)` };
  if (/timeout|time/.test(lower)) return { type: 'timeout', message: `SWE-agent exit status ${status}: timed out` };
  if (/exit_forfeit|forfeit/.test(lower)) return { type: 'forfeit', message: `SWE-agent exit status ${status}: the agent gave up` };
  return { type: lower.replace(/[^a-z0-9_]+/g, '_') || 'exit', message: `SWE-agent exit status ${status}` };
}

export function parseSweAgentTrajectory(doc: unknown, file: string): { trace: ParsedTrace } | { reason: string } {
  if (!isSweAgentTrajectory(doc) || !isRecord(doc)) return { reason: 'not a SWE-agent trajectory: no trajectory[] of {action, observation}' };
  const trace = newTrace('swe-agent', file);
  // SWE-agent names the file after the instance it ran: `<instance_id>.traj`.
  const base = file.split('/').pop() ?? file;
  trace.taskId = base.replace(/\.traj(?:\.json)?$/i, '').replace(/\.json$/i, '');
  const history = Array.isArray(doc.history) ? doc.history : [];
  const system = history.find((m) => isRecord(m) && m.role === 'system');
  const task = history.find((m) => isRecord(m) && m.role === 'user');
  const steps: TraceStep[] = [];
  const push = (step: Omit<TraceStep, 'id' | 'index'>) => {
    const index = steps.length + 1;
    steps.push({ id: String(index), index, ...step });
  };
  // SWE-agent 1.x keeps message contents as lists of parts; older versions as strings.
  const systemText = isRecord(system) ? contentText(system.content) : '';
  if (systemText) push({ source: 'system', message: clip(systemText), toolCalls: [], observations: [] });
  const taskText = isRecord(task) ? contentText(task.content) : '';
  if (taskText) {
    trace.instruction = clip(taskText);
    push({ source: 'user', message: trace.instruction, toolCalls: [], observations: [] });
  }
  (doc.trajectory as Array<Record<string, unknown>>).forEach((turn) => {
    const action = String(turn.action).trim();
    const thought = clipOptional(typeof turn.thought === 'string' ? turn.thought.trim() : undefined);
    const observation = typeof turn.observation === 'string' ? turn.observation : '';
    // The first word is SWE-agent's command (open, edit, submit, or a shell program); the line is its argument.
    const command = action.split(/\s/, 1)[0] ?? '';
    push({
      source: 'agent',
      ...(thought ? { message: thought } : {}),
      toolCalls: [{ name: command === 'submit' ? 'submit' : 'bash', arguments: JSON.stringify({ command: clip(action) }) }],
      observations: [{ content: clip(observation) }],
    });
  });
  trace.steps = steps;
  const info = isRecord(doc.info) ? doc.info : {};
  if (typeof info.exit_status === 'string') {
    const error = sweAgentExit(info.exit_status);
    if (error) trace.error = error;
  }
  const stats = isRecord(info.model_stats) ? info.model_stats : {};
  const usage = makeUsage(finiteNumber(stats.tokens_sent), finiteNumber(stats.tokens_received), finiteNumber(stats.instance_cost));
  // A replayed or test trajectory records zeros: no usage is better than a usage of nothing.
  if (usage && ((usage.inputTokens ?? 0) > 0 || (usage.outputTokens ?? 0) > 0 || (usage.costUsd ?? 0) > 0)) trace.usage = usage;
  return { trace };
}
