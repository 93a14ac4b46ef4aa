// JUnit XML test reports (pytest --junitxml, Surefire/TestNG, Jest...): test-level outcomes, no steps.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ParsedTrace, TestOutcome } from './model.js';
import { summarise, stripAnsi } from './ctrf.js';
import { clip } from './content.js';
import { looksBinary } from './json-file.js';
import { finiteNumber, isRecord } from './lenient.js';
import { newTrace } from './trace-parts.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: true,
  isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name),
});

export function isJunitText(head: string): boolean {
  return /<testsuites?[\s>]/.test(head);
}

/** One ParsedTrace per file with tests[] filled; a case with <failure> or <error> failed, <skipped> skipped, else passed. */
export function parseJunit(bytes: Buffer, file: string): { trace: ParsedTrace } | { reason: string } {
  if (bytes.length === 0) return { reason: 'empty file (0 bytes)' };
  if (looksBinary(bytes.subarray(0, 8192))) return { reason: 'binary content, not XML text' };
  const xml = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (!isJunitText(xml)) return { reason: 'not a JUnit XML report: no <testsuite> or <testsuites> element' };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    return { reason: `malformed XML at line ${line}, column ${col}: ${msg}` };
  }
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (error) {
    return { reason: `malformed XML: ${error instanceof Error ? error.message : String(error)}` };
  }
  const trace = newTrace('junit', file);
  if (!isRecord(doc)) return { reason: 'not a JUnit XML report' };
  const roots: unknown[] = [];
  if (isRecord(doc.testsuites)) roots.push(...asArray(doc.testsuites.testsuite));
  roots.push(...asArray(doc.testsuite));
  for (const suite of roots) collect(suite, trace.tests, trace.skipped);
  if (trace.tests.length === 0) trace.skipped.push('the report has no <testcase> elements');
  summarise(trace);
  return { trace };
}

function collect(suite: unknown, tests: TestOutcome[], skipped: string[]): void {
  if (!isRecord(suite)) return;
  for (const testcase of asArray(suite.testcase)) {
    if (!isRecord(testcase)) continue;
    const name = attr(testcase, 'name');
    if (!name) {
      skipped.push(`a <testcase> in suite '${attr(suite, 'name') ?? '?'}' has no name, skipped`);
      continue;
    }
    const classname = attr(testcase, 'classname');
    const failure = first(testcase.failure) ?? first(testcase.error);
    const skip = first(testcase.skipped);
    const outcome: TestOutcome = {
      name: classname ? `${classname}.${name}` : name,
      status: failure !== undefined ? 'failed' : skip !== undefined ? 'skipped' : 'passed',
    };
    const detail = failure ?? skip;
    const message = detail !== undefined ? detailText(detail) : '';
    if (message) outcome.message = clip(stripAnsi(message));
    const time = finiteNumber(attr(testcase, 'time'));
    if (time !== undefined) outcome.durationMs = Math.round(time * 1000);
    tests.push(outcome);
  }
  // Nested suites (Jest, some Maven reports).
  for (const nested of asArray(suite.testsuite)) collect(nested, tests, skipped);
}

function detailText(detail: unknown): string {
  if (typeof detail === 'string') return detail.trim();
  if (!isRecord(detail)) return '';
  const message = attr(detail, 'message') ?? '';
  const body = typeof detail['#text'] === 'string' ? detail['#text'].trim() : '';
  if (message && body && !body.startsWith(message)) return `${message}\n${body}`;
  return body || message;
}

function attr(node: Record<string, unknown>, name: string): string | undefined {
  const value = node[`@${name}`];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value === undefined ? undefined : value;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
