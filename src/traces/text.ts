// Compact text views of trace steps for the miner and the proposer's evidence packs.
import type { TraceStep } from './model.js';

/** Keeps the head and tail of a long text, with `…[N chars omitted]…` in between; never longer than maxChars. */
export function truncateMiddle(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const limit = Math.max(0, Math.floor(maxChars));
  // Size the marker for the largest possible count so the result never exceeds the limit.
  const markerLength = '…[ chars omitted]…'.length + String(text.length).length;
  const keep = limit - markerLength;
  if (keep <= 0) return text.slice(0, limit);
  const headLength = Math.ceil(keep / 2);
  const tailLength = keep - headLength;
  const omitted = text.length - headLength - tailLength;
  return `${text.slice(0, headLength)}…[${omitted} chars omitted]…${text.slice(text.length - tailLength)}`;
}

/**
 * One step as compact text:
 * `[agent] message`, `thinking: …`, `→ name(args)` per tool call, `← [exit 1, error] output` per observation.
 */
export function stepText(step: TraceStep, maxFieldChars = 2000): string {
  const lines: string[] = [];
  const field = (text: string) => truncateMiddle(text.trim(), maxFieldChars);
  lines.push(`[${step.source}]${step.message ? ` ${field(step.message)}` : ''}`);
  if (step.reasoning) lines.push(`thinking: ${field(step.reasoning)}`);
  for (const call of step.toolCalls) {
    lines.push(`→ ${call.name}(${field(call.arguments)})`);
  }
  for (const observation of step.observations) {
    const tags: string[] = [];
    if (observation.exitCode !== undefined) tags.push(`exit ${observation.exitCode}`);
    if (observation.isError) tags.push('error');
    const prefix = tags.length > 0 ? `[${tags.join(', ')}] ` : '';
    lines.push(`← ${prefix}${field(observation.content)}`);
  }
  return lines.join('\n');
}
