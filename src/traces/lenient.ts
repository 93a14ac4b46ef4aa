// Lenient parsing of untrusted trace JSON: type guards, numbers given as strings, schema issues as short reasons.
import type { z } from 'zod';

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A short account of why a value did not match a schema: `path: message` of the first issue. */
export function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'does not match the expected shape';
  const path = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${path}${issue.message}`;
}

/** Parses each element on its own; bad elements are left out with a reason. */
export function parseEach<T>(items: unknown[], schema: z.ZodType<T>, label: (index: number) => string, skipped: string[]): Array<{ index: number; value: T }> {
  const out: Array<{ index: number; value: T }> = [];
  items.forEach((item, index) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push({ index, value: parsed.data });
    else skipped.push(`${label(index)}: ${issueText(parsed.error)}, skipped`);
  });
  return out;
}

export function finiteNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/**
 * Lenient schemas turn a wrong-typed optional field into undefined; this says so in `skipped`
 * (`step 3: tool_calls has the wrong type (string), ignored`).
 */
export function noteDropped(raw: unknown, parsed: object, keys: readonly string[], where: string, skipped: string[]): void {
  if (!isRecord(raw)) return;
  const values = parsed as Record<string, unknown>;
  for (const key of keys) {
    const given = raw[key];
    if (given !== undefined && given !== null && values[key] === undefined) {
      skipped.push(`${where}${where ? ': ' : ''}${key} has the wrong type (${Array.isArray(given) ? 'array' : typeof given}), ignored`);
    }
  }
}
