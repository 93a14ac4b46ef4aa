// Token and cost arithmetic: the one way usage of model calls and episodes is started, added up and totalled.
import type { Usage } from './types.js';

/** Usage with every field counted (0 when nothing was spent). */
export type UsageTotal = Required<Usage>;

export function zeroUsage(): UsageTotal {
  return { inputTokens: 0, outputTokens: 0, costUsd: 0 };
}

/** Adds `more` into `total` in place (a field `more` does not report counts 0) and returns `total`. */
export function accumulateUsage(total: UsageTotal, more: Usage | undefined): UsageTotal {
  total.inputTokens += more?.inputTokens ?? 0;
  total.outputTokens += more?.outputTokens ?? 0;
  total.costUsd += more?.costUsd ?? 0;
  return total;
}

/** The total of many usages, e.g. the episodes of a run. */
export function totalUsage(usages: Iterable<Usage | undefined>): UsageTotal {
  const total = zeroUsage();
  for (const usage of usages) accumulateUsage(total, usage);
  return total;
}

/** A usage with only the fields that were reported, or undefined when none was: "unknown" stays apart from 0. */
export function makeUsage(input?: number, output?: number, cost?: number): Usage | undefined {
  const usage: Usage = {};
  if (input !== undefined) usage.inputTokens = input;
  if (output !== undefined) usage.outputTokens = output;
  if (cost !== undefined) usage.costUsd = cost;
  return Object.keys(usage).length > 0 ? usage : undefined;
}

/** The sum of two partial usages; a field stays unreported when neither side reports it. */
export function sumUsage(total: Usage | undefined, more: Usage | undefined): Usage | undefined {
  if (!more) return total;
  if (!total) return { ...more };
  const sum = (a?: number, b?: number) => (a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0));
  return makeUsage(sum(total.inputTokens, more.inputTokens), sum(total.outputTokens, more.outputTokens), sum(total.costUsd, more.costUsd));
}
