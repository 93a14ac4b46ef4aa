// Legacy Terminal-Bench 1 (`tb run`) run directories: run-level and per-trial results.json, commands.txt, panes.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Outcome } from '../domain/types.js';
import type { ParsedTrace, TestOutcome, TraceStep } from './model.js';
import { readBytes, readProblem } from './confined.js';
import { clip } from './content.js';
import { jsonFilesUnder } from './json-file.js';
import { finiteNumber, isRecord, issueText, noteDropped } from './lenient.js';
import { StepCollector } from './step-collector.js';
import { newTrace, relPath } from './trace-parts.js';
import { makeUsage } from './usage.js';
import { readTrialDoc, type TrialOutput } from './trial-doc.js';

const TrialSchema = z.object({
  trial_name: z.string().optional().catch(undefined),
  task_id: z.string(),
  instruction: z.string().optional().catch(undefined),
  is_resolved: z.boolean().nullable().optional().catch(undefined),
  failure_mode: z.string().nullable().optional().catch(undefined),
  parser_results: z.record(z.string(), z.unknown()).nullable().optional().catch(undefined),
  total_input_tokens: z.number().nullable().optional().catch(undefined),
  total_output_tokens: z.number().nullable().optional().catch(undefined),
  trial_started_at: z.string().nullable().optional().catch(undefined),
});
type Tb1Trial = z.infer<typeof TrialSchema>;

export function isTb1Trial(doc: unknown): boolean {
  return isRecord(doc) && typeof doc.task_id === 'string' && ('is_resolved' in doc || 'failure_mode' in doc || 'parser_results' in doc);
}

export function isTb1Run(doc: unknown): boolean {
  return isRecord(doc) && Array.isArray(doc.results) && ('n_resolved' in doc || 'accuracy' in doc || 'resolved_ids' in doc || 'pass_at_k' in doc);
}

const AGENT_FAILURE_MODES = new Set([
  'test_timeout',
  'parse_error',
  'fatal_llm_parse_error',
  'context_length_exceeded',
  'output_length_exceeded',
  'unknown_agent_error',
]);

/**
 * is_resolved decides when set (true passes even after agent_timeout: the tests ran and passed).
 * Unresolved or unjudged: agent_timeout -> timeout; test/parse/context/output failures -> fail;
 * unset/none/unknown/agent_installation_failed with no verdict -> infra-error (never judged).
 */
export function tb1Outcome(isResolved: boolean | null | undefined, failureMode: string | null | undefined): Outcome {
  if (isResolved === true) return 'pass';
  const mode = (failureMode ?? 'unset').toLowerCase();
  if (mode === 'agent_timeout') return 'timeout';
  if (isResolved === false) return 'fail';
  if (AGENT_FAILURE_MODES.has(mode)) return 'fail';
  return 'infra-error';
}

export type Tb1Output = TrialOutput;

/** A per-trial results.json, with commands.txt as steps and panes/post-test.txt as the final observation. */
export async function readTb1Trial(file: string, baseDir: string, doc?: unknown): Promise<Tb1Output> {
  const opened = await readTrialDoc(file, baseDir, doc, TrialSchema, 'a Terminal-Bench 1 trial result');
  if (!opened.ok) return opened.output;
  const { value, data, shown } = opened;
  const trace = trialTrace(data, shown);
  noteDropped(value, data, ['instruction', 'is_resolved', 'failure_mode', 'parser_results'], '', trace.skipped);
  trace.steps = await trialSteps(dirname(file), trace.skipped);
  // Agent-specific logs (e.g. Terminus episode-N/debug.json) are not traces of their own.
  return { traces: [trace], skipped: [], consumed: await jsonFilesUnder(join(dirname(file), 'agent-logs')) };
}

/** A run-level results.json: one trace per trial; trials with their own directory are read from there. */
export async function readTb1Run(file: string, baseDir: string, doc: unknown): Promise<Tb1Output> {
  const shown = relPath(file, baseDir);
  const out: Tb1Output = { traces: [], skipped: [], consumed: [] };
  if (!isRecord(doc) || !Array.isArray(doc.results)) {
    out.skipped.push({ file: shown, reason: 'not a Terminal-Bench 1 run result: no results[]' });
    return out;
  }
  const runDir = dirname(file);
  for (const [i, raw] of doc.results.entries()) {
    const parsed = TrialSchema.safeParse(raw);
    if (!parsed.success) {
      out.skipped.push({ file: shown, reason: `results[${i}]: ${issueText(parsed.error)}, skipped` });
      continue;
    }
    const own = parsed.data.trial_name ? join(runDir, parsed.data.task_id, parsed.data.trial_name, 'results.json') : undefined;
    if (own && existsSync(own)) {
      const trial = await readTb1Trial(own, baseDir);
      out.traces.push(...trial.traces);
      out.skipped.push(...trial.skipped);
      out.consumed.push(own);
    } else {
      out.traces.push(trialTrace(parsed.data, shown));
    }
  }
  return out;
}

function trialTrace(trial: Tb1Trial, file: string): ParsedTrace {
  const trace = newTrace('tb1', file);
  trace.taskId = trial.task_id;
  if (trial.instruction) trace.instruction = clip(trial.instruction);
  trace.outcome = tb1Outcome(trial.is_resolved, trial.failure_mode);
  if (trial.is_resolved === true) trace.reward = 1;
  else if (trial.is_resolved === false || trace.outcome !== 'infra-error') trace.reward = 0;
  const mode = trial.failure_mode ?? 'unset';
  if (mode !== 'unset' && mode !== 'none') {
    trace.error = { type: mode, message: `Terminal-Bench failure mode ${mode}`, infrastructure: trace.outcome === 'infra-error' };
  } else if (trace.outcome === 'infra-error') {
    trace.error = { type: 'unjudged', message: 'is_resolved is null and no failure mode was recorded', infrastructure: true };
  }
  for (const [name, status] of Object.entries(trial.parser_results ?? {})) {
    const test: TestOutcome = { name, status: status === 'passed' || status === 'failed' || status === 'skipped' ? status : 'other' };
    trace.tests.push(test);
  }
  const usage = makeUsage(finiteNumber(trial.total_input_tokens), finiteNumber(trial.total_output_tokens));
  if (usage && ((usage.inputTokens ?? 0) > 0 || (usage.outputTokens ?? 0) > 0)) trace.usage = usage;
  return trace;
}

const MAX_SIDE_FILE = 8 * 1024 * 1024;

/** commands.txt: one keystroke batch per line (a Python list literal); post-test pane as the last observation. */
async function trialSteps(trialDir: string, skipped: string[]): Promise<TraceStep[]> {
  const collector = new StepCollector();
  const commands = await smallText(join(trialDir, 'commands.txt'), skipped);
  for (const line of (commands ?? '').split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const index = collector.size + 1;
    collector.push({
      id: String(index),
      index,
      source: 'agent',
      toolCalls: [{ name: 'keystrokes', arguments: clip(keystrokesArguments(line.trim())) }],
      observations: [],
    });
  }
  const pane = await smallText(join(trialDir, 'panes', 'post-test.txt'), skipped);
  if (pane !== undefined) {
    const index = collector.size + 1;
    collector.push({
      id: 'post-test',
      index,
      source: 'tool',
      message: 'terminal after the tests ran (panes/post-test.txt)',
      toolCalls: [],
      observations: [{ content: clip(pane) }],
    });
  }
  return collector.finish(skipped);
}

async function smallText(file: string, skipped: string[]): Promise<string | undefined> {
  if (!existsSync(file)) return undefined;
  try {
    return (await readBytes(file, MAX_SIDE_FILE)).toString('utf8');
  } catch (error) {
    skipped.push(`${file.split(/[\\/]/).slice(-2).join('/')}: ${readProblem(error)}`);
    return undefined;
  }
}

const TMUX_KEYS: Record<string, string> = { Enter: '\n', 'C-m': '\n', Tab: '\t', Space: ' ' };

/**
 * A commands.txt line is a Python list of tmux keys, e.g. `['ls -la', 'Enter']`; as arguments it becomes
 * `{"keystrokes":"ls -la\n"}` (the shape Terminus-2 trajectories use). Lines that are not such a list stay as they are.
 */
export function keystrokesArguments(line: string): string {
  if (!line.startsWith('[') || !line.endsWith(']')) return line;
  const parts = [...line.slice(1, -1).matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map((m) => unescapePython(m[1] ?? m[2] ?? ''));
  if (parts.length === 0) return line;
  const keystrokes = parts.map((part) => TMUX_KEYS[part] ?? (/^C-[a-z]$/.test(part) ? `<${part}>` : part)).join('');
  return JSON.stringify({ keystrokes });
}

function unescapePython(text: string): string {
  return text.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char === 't' ? '\t' : char));
}
