// CTRF JSON test reports (Common Test Report Format; also Harbor's verifier/ctrf.json from pytest-json-ctrf).
import { z } from 'zod';
import type { ParsedTrace, TestOutcome } from './model.js';
import { clip } from './content.js';
import { finiteNumber, isRecord, issueText, parseEach } from './lenient.js';
import { newTrace } from './trace-parts.js';

const TestSchema = z.object({
  name: z.string(),
  status: z.string().catch('other'),
  duration: z.unknown().optional(),
  message: z.string().optional().catch(undefined),
  trace: z.string().optional().catch(undefined),
  suite: z.unknown().optional(),
});

const CtrfSchema = z.object({
  reportFormat: z.string().optional().catch(undefined),
  results: z.object({
    tool: z
      .object({ name: z.string().optional().catch(undefined) })
      .optional()
      .catch(undefined),
    tests: z.array(z.unknown()),
  }),
});

export function isCtrf(doc: unknown): boolean {
  return (
    isRecord(doc) &&
    isRecord(doc.results) &&
    Array.isArray(doc.results.tests) &&
    (doc.reportFormat === 'CTRF' || isRecord(doc.results.tool) || 'summary' in doc.results)
  );
}

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
export const stripAnsi = (text: string): string => text.replace(ANSI, '');

/** One ParsedTrace with tests[] filled; outcome fail when any test failed, pass when some passed and none failed. */
export function parseCtrf(doc: unknown, file: string): { trace: ParsedTrace } | { reason: string } {
  const parsed = CtrfSchema.safeParse(doc);
  if (!parsed.success) return { reason: `not a CTRF report: ${issueText(parsed.error)}` };
  const trace = newTrace('ctrf', file);
  // pytest-json-ctrf (Harbor's verifier) writes seconds; the CTRF specification says milliseconds.
  const seconds = parsed.data.results.tool?.name?.toLowerCase() === 'pytest' && parsed.data.reportFormat === undefined;
  for (const { value } of parseEach(parsed.data.results.tests, TestSchema, (i) => `test ${i + 1}`, trace.skipped)) {
    const test: TestOutcome = { name: suitePrefix(value.suite) + value.name, status: statusOf(value.status) };
    // The message is often a one-line summary; the trace holds the assertion that failed.
    const message = [value.message, value.trace].filter((part) => part !== undefined && part !== '').join('\n');
    if (message) test.message = clip(stripAnsi(message));
    const duration = finiteNumber(value.duration);
    if (duration !== undefined) test.durationMs = seconds ? Math.round(duration * 1000) : duration;
    trace.tests.push(test);
  }
  summarise(trace);
  return { trace };
}

function suitePrefix(suite: unknown): string {
  if (typeof suite === 'string' && suite !== '') return `${suite} > `;
  if (Array.isArray(suite) && suite.length > 0) return `${suite.join(' > ')} > `;
  return '';
}

function statusOf(status: string): TestOutcome['status'] {
  const lower = status.toLowerCase();
  if (lower === 'passed' || lower === 'failed' || lower === 'skipped') return lower;
  if (lower === 'pending') return 'skipped';
  return 'other';
}

/** Shared by the test-report readers: fail if any failed; pass if any passed; reward 1/0 to match. */
export function summarise(trace: ParsedTrace): void {
  const failed = trace.tests.some((t) => t.status === 'failed');
  const passed = trace.tests.some((t) => t.status === 'passed');
  if (failed) {
    trace.outcome = 'fail';
    trace.reward = 0;
  } else if (passed) {
    trace.outcome = 'pass';
    trace.reward = 1;
  }
}
