// Harbor "traces" exports (`harbor traces export`): a list of records, one per LLM call, each with the conversation so far.
import type { ParsedTrace } from './model.js';
import { messagesToSteps } from './messages.js';
import { finiteNumber, isRecord } from './lenient.js';
import { newTrace } from './trace-parts.js';
import { hasKeystrokeJson, textActions } from './text-actions.js';

export function isHarborExport(doc: unknown): boolean {
  return Array.isArray(doc) && doc.length > 0 && doc.every((r) => isRecord(r) && Array.isArray(r.conversations));
}

/**
 * One trace per trial (run_id + trial_name). Each record repeats the conversation so far, so the trial's
 * last episode holds the longest history; it is the one read.
 */
export function parseHarborExport(doc: unknown, file: string): ParsedTrace[] {
  if (!Array.isArray(doc)) return [];
  const lastByTrial = new Map<string, { record: Record<string, unknown>; count: number }>();
  for (const record of doc) {
    if (!isRecord(record) || !Array.isArray(record.conversations)) continue;
    const key = `${String(record.run_id ?? '')}\u0000${String(record.trial_name ?? '')}`;
    const seen = lastByTrial.get(key);
    lastByTrial.set(key, { record, count: (seen?.count ?? 0) + 1 });
  }
  const traces: ParsedTrace[] = [];
  for (const { record, count } of lastByTrial.values()) {
    const trace = newTrace('harbor', file);
    if (typeof record.task === 'string') trace.taskId = record.task;
    trace.steps = messagesToSteps(record.conversations as unknown[], trace.skipped);
    // Terminus replies are keystroke JSON in the assistant text: their commands are the actions.
    if (hasKeystrokeJson(trace.steps)) trace.steps = textActions(trace.steps, 'keystrokes');
    if (count > 1) trace.skipped.push(`read the last of ${count} episodes (${String(record.episode ?? '?')}); earlier episodes repeat its prefix`);
    const reward = finiteNumber(record.result);
    if (reward !== undefined) {
      trace.reward = reward;
      trace.outcome = reward >= 1 ? 'pass' : 'fail';
    }
    traces.push(trace);
  }
  return traces;
}
