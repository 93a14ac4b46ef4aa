// Terminus episode lists, `[{prompt, response}, ...]`: each prompt is what the agent was shown (the task, then the
// new terminal output), each response its keystroke JSON; the commands become actions, the next prompt their result.
import type { ParsedTrace, TraceStep } from './model.js';
import { clip, contentText, safeJson } from './content.js';
import { isRecord } from './lenient.js';
import { newTrace } from './trace-parts.js';
import { textActions } from './text-actions.js';

export function isTerminusEpisodes(doc: unknown): boolean {
  return (
    Array.isArray(doc) &&
    doc.length > 0 &&
    doc.every((e) => isRecord(e) && (typeof e.prompt === 'string' || Array.isArray(e.prompt)) && e.response !== undefined)
  );
}

export function parseTerminusEpisodes(doc: unknown, file: string): { trace: ParsedTrace } | { reason: string } {
  if (!isTerminusEpisodes(doc) || !Array.isArray(doc)) return { reason: 'not a Terminus episode list: no [{prompt, response}]' };
  const trace = newTrace('terminus', file);
  const steps: TraceStep[] = [];
  const push = (source: TraceStep['source'], text: string) => {
    const index = steps.length + 1;
    steps.push({ id: String(index), index, source, message: clip(text), toolCalls: [], observations: [] });
  };
  for (const episode of doc as Array<Record<string, unknown>>) {
    push('user', contentText(episode.prompt));
    push('agent', typeof episode.response === 'string' ? episode.response : safeJson(episode.response));
  }
  const task = steps[0]?.message;
  if (task) trace.instruction = task;
  trace.steps = textActions(steps, 'keystrokes');
  return { trace };
}
