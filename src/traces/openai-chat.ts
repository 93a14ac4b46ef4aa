// OpenAI chat-completions transcripts: {"messages": [...]} (also mini-swe-agent trajectories, with their bash blocks as actions, and Gemini CLI session files).
import type { ParsedTrace } from './model.js';
import { messagesToSteps } from './messages.js';
import { finiteNumber, isRecord } from './lenient.js';
import { newTrace } from './trace-parts.js';
import { hasKeystrokeJson, hasReturnCodeTurns, textActions } from './text-actions.js';
import { makeUsage } from './usage.js';

/** An object with a `messages` list whose entries carry a role (or a Gemini CLI `type`). */
export function isOpenAIChat(doc: unknown): boolean {
  const messages = isRecord(doc) ? doc.messages : undefined;
  if (!Array.isArray(messages) || messages.length === 0) return false;
  const withRole = messages.filter((m) => isRecord(m) && (typeof m.role === 'string' || typeof m.type === 'string')).length;
  return withRole >= Math.ceil(messages.length / 2);
}

export function parseOpenAIChat(doc: unknown, file: string): { trace: ParsedTrace } | { reason: string } {
  if (!isOpenAIChat(doc) || !isRecord(doc)) return { reason: 'not a chat transcript: no messages[] with roles' };
  const trace = newTrace('openai-chat', file);
  const info = isRecord(doc.info) ? doc.info : undefined; // mini-swe-agent
  const mini = (typeof doc.trajectory_format === 'string' && doc.trajectory_format.startsWith('mini-swe-agent')) || typeof info?.mini_version === 'string';
  // mini-swe-agent 2 ends with an `exit` message (its exit status and submission), not a chat turn.
  const exit = mini ? (doc.messages as unknown[]).find((m) => isRecord(m) && m.role === 'exit') : undefined;
  const messages = (doc.messages as unknown[]).filter((m) => m !== exit);
  // A saved request + response pair: the response's message is the last turn.
  const choice = Array.isArray(doc.choices) ? doc.choices[0] : undefined;
  if (isRecord(choice) && isRecord(choice.message)) messages.push(choice.message);
  trace.steps = messagesToSteps(messages, trace.skipped);
  if (mini || hasReturnCodeTurns(trace.steps)) {
    // mini-swe-agent: one ```bash block per reply, answered by <returncode> + <output>.
    trace.format = 'mini-swe-agent';
    trace.steps = textActions(trace.steps, 'bash-block');
  } else if (hasKeystrokeJson(trace.steps)) {
    trace.format = 'terminus';
    trace.steps = textActions(trace.steps, 'keystrokes');
  }
  const firstUser = trace.steps.find((s) => s.source === 'user' && s.message);
  if (mini && firstUser) trace.instruction = firstUser.message;
  for (const key of ['task_id', 'instance_id', 'taskId']) {
    if (typeof doc[key] === 'string') {
      trace.taskId = doc[key] as string;
      break;
    }
  }
  const cost = isRecord(info?.model_stats) ? finiteNumber(info.model_stats.instance_cost) : undefined;
  const usage = isRecord(doc.usage)
    ? makeUsage(finiteNumber(doc.usage.prompt_tokens), finiteNumber(doc.usage.completion_tokens), cost)
    : makeUsage(undefined, undefined, cost);
  if (usage) trace.usage = usage;
  const exitExtra = isRecord(exit) && isRecord(exit.extra) ? exit.extra : undefined;
  const exitStatus = typeof info?.exit_status === 'string' ? info.exit_status : typeof exitExtra?.exit_status === 'string' ? exitExtra.exit_status : undefined;
  if (exitStatus !== undefined && exitStatus !== 'Submitted') {
    trace.error = { type: exitStatus, message: `agent exit status ${exitStatus}` };
  }
  return { trace };
}
