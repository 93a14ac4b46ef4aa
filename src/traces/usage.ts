// Token and cost usage values: built without undefined fields and summed across trace segments.
import type { Usage } from '../domain/types.js';

/** Drops undefined fields so that usage objects compare and serialise cleanly. */
export function makeUsage(input?: number, output?: number, cost?: number): Usage | undefined {
  const usage: Usage = {};
  if (input !== undefined) usage.inputTokens = input;
  if (output !== undefined) usage.outputTokens = output;
  if (cost !== undefined) usage.costUsd = cost;
  return Object.keys(usage).length > 0 ? usage : undefined;
}

export function addUsage(total: Usage | undefined, more: Usage | undefined): Usage | undefined {
  if (!more) return total;
  if (!total) return { ...more };
  const sum = (a?: number, b?: number) => (a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0));
  return makeUsage(sum(total.inputTokens, more.inputTokens), sum(total.outputTokens, more.outputTokens), sum(total.costUsd, more.costUsd));
}
