// Legacy Terminal-Bench 1 (`tb run`) run directories: run-level and per-trial results.json, commands.txt, panes.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Outcome } from '../domain/types.js';
import type { ParsedTrace, TestOutcome, TraceStep } from './model.js';
import { readBytes, readProblem, readTail } from './confined.js';
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
  trace.steps = await trialSteps(dirname(file), trace);
  // Agent-specific logs (e.g. Terminus episode-N/debug.json) are not traces of their own: said, not read.
  const agentLogs = await jsonFilesUnder(join(dirname(file), 'agent-logs'));
  if (agentLogs.length > 0) trace.skipped.push(`agent-logs/: ${agentLogs.length} JSON file(s) of the agent's own logs (e.g. episode-N/debug.json) not read`);
  return { traces: [trace], skipped: [], consumed: agentLogs };
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
  if (mode === 'parse_error') {
    // TB1's parse_error is its test-output parser failing (the tests crashed or printed no results), not the agent's output.
    trace.error = {
      type: 'test_output_unparsed',
      message: 'Terminal-Bench could not parse the test output (failure mode parse_error): the tests did not report results',
      infrastructure: false,
    };
  } else if (mode !== 'unset' && mode !== 'none') {
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

/**
 * commands.txt holds every keystroke batch sent to the terminal, the harness's own among them: the recording
 * (`asciinema rec`, `clear`, `C-d`), an installed agent's setup, install and launch, and the test run. Those become
 * system steps (the launch and setup kept as context, the rest dropped); only the keystrokes of an agent that types
 * into the terminal (Terminus) are agent actions. sessions/agent.log (an installed agent's terminal) and the
 * post-test pane are system steps too: their output is never attached to an agent action.
 */
async function trialSteps(trialDir: string, trace: ParsedTrace): Promise<TraceStep[]> {
  const skipped = trace.skipped;
  const collector = new StepCollector();
  const push = (step: Omit<TraceStep, 'id' | 'index'> & { id?: string }) => {
    const index = collector.size + 1;
    collector.push({ ...step, id: step.id ?? String(index), index });
  };
  const commands = await smallText(join(trialDir, 'commands.txt'), skipped);
  let installedAgent = false;
  let testsStarted = false;
  for (const line of (commands ?? '').split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const args = keystrokesArguments(line.trim());
    const typed = keystrokesOf(args);
    const kind = harnessCommand(typed, installedAgent, testsStarted);
    if (kind === 'tests') testsStarted = true;
    if (kind === 'installed-agent') installedAgent = true;
    if (kind === 'recording' || kind === 'tests') continue;
    if (kind) {
      push({ source: 'system', message: `harness (${kind}): ${clip(typed.trim())}`, toolCalls: [], observations: [] });
      continue;
    }
    push({ source: 'agent', toolCalls: [{ name: 'keystrokes', arguments: clip(args) }], observations: [] });
  }
  const agentLog = await logTail(join(trialDir, 'sessions', 'agent.log'), skipped);
  if (agentLog !== undefined) {
    push({
      id: 'agent-log',
      source: 'system',
      message: `the installed agent's terminal (sessions/agent.log${agentLog.cut ? ', last part' : ''})`,
      toolCalls: [],
      observations: [{ content: clip(agentLog.text) }],
    });
    const notStarted = trace.outcome === 'pass' ? undefined : launchFailure(agentLog.text);
    if (notStarted) {
      trace.outcome = 'infra-error';
      delete trace.reward;
      trace.error = {
        type: 'agent_not_started',
        message: `the installed agent never ran: its launch command failed (${notStarted}) in sessions/agent.log`,
        infrastructure: true,
      };
    }
  }
  const pane = await smallText(join(trialDir, 'panes', 'post-test.txt'), skipped);
  if (pane !== undefined) {
    push({
      id: 'post-test',
      source: 'system',
      message: 'terminal after the tests ran (panes/post-test.txt)',
      toolCalls: [],
      observations: [{ content: clip(pane) }],
    });
  }
  return collector.finish(skipped);
}

type HarnessKind = 'recording' | 'setup' | 'installed-agent' | 'agent launch' | 'tests';

/** What the harness (not the agent) typed, or undefined for the agent's own keystrokes. */
export function harnessCommand(typed: string, installedAgent: boolean, testsStarted: boolean): HarnessKind | undefined {
  const text = typed.trim();
  if (testsStarted) return 'tests';
  if (/^asciinema rec\b/.test(text) && /tests\.cast\b/.test(text)) return 'tests';
  if (/^asciinema rec\b/.test(text) || text === 'clear' || text === '<C-d>') return 'recording';
  if (/(?:^|\s)(?:bash\s+)?\/tests\/run-tests\.sh\b/.test(text)) return 'tests';
  if (/^source \/installed-agent\/install-agent\.sh\b/.test(text)) return 'installed-agent';
  if (/^source \/installed-agent\//.test(text)) return 'setup';
  // An installed agent runs as one command typed by the harness; what it does is in sessions/agent.log.
  if (installedAgent) return 'agent launch';
  return undefined;
}

function keystrokesOf(args: string): string {
  if (!args.startsWith('{')) return args;
  try {
    const parsed = JSON.parse(args) as { keystrokes?: unknown };
    return typeof parsed.keystrokes === 'string' ? parsed.keystrokes : args;
  } catch {
    return args;
  }
}

/** The tail of an agent log read: a terminal capture is mostly install noise, its end says how the agent finished. */
const AGENT_LOG_TAIL = 64 * 1024;

async function logTail(file: string, skipped: string[]): Promise<{ text: string; cut: boolean } | undefined> {
  if (!existsSync(file)) return undefined;
  let bytes: Buffer;
  try {
    // Only the end is read, whatever the log's size (an agent's terminal capture can run to hundreds of MB).
    bytes = await readTail(file, AGENT_LOG_TAIL + 1);
  } catch (error) {
    skipped.push(`sessions/agent.log: ${readProblem(error)}`);
    return undefined;
  }
  const cut = bytes.length > AGENT_LOG_TAIL;
  // A cut log starts mid-line (maybe mid-character): its first partial line is dropped.
  let text = bytes.toString('utf8');
  if (cut) text = text.slice(text.indexOf('\n') + 1);
  const plain = text.replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g, '').replace(/\r\n?/g, '\n');
  return { text: plain, cut };
}

const PROMPT_LINE = /^[\w.-]+@[\w.-]+:[^\n#$]*[#$] ?(.*)$/;

/** The end of an installed agent's setup in its terminal: after it, the next command typed is the agent's launch. */
const INSTALLED = /INSTALL_SUCCESS|\/installed-agent\/install-agent\.sh/;

/**
 * The shell's complaint when an installed agent's launch command could not start it (`bash: mini: command not
 * found`): the first command typed at a prompt after the agent's install, answered by nothing but that complaint.
 * Undefined when the log shows no install (an agent typing into the terminal itself: its own commands may fail) or
 * the agent started.
 */
export function launchFailure(log: string): string | undefined {
  const lines = log.split('\n');
  let installed = -1;
  for (let i = 0; i < lines.length; i++) if (INSTALLED.test(lines[i]!)) installed = i;
  if (installed < 0) return undefined;
  let launch = -1;
  for (let i = installed + 1; i < lines.length && launch < 0; i++) {
    const command = PROMPT_LINE.exec(lines[i]!)?.[1]?.trim();
    if (command && command !== 'clear' && !/^source \/installed-agent\//.test(command)) launch = i;
  }
  if (launch < 0) return undefined;
  const output: string[] = [];
  for (let i = launch + 1; i < lines.length && !PROMPT_LINE.test(lines[i]!); i++) output.push(lines[i]!);
  const said = output.join('\n').trim();
  if (said.length === 0 || said.length > 2000) return undefined;
  const problem = /^.*(?:command not found|No such file or directory|Permission denied|: not found)\s*$/m.exec(said)?.[0];
  return problem?.trim();
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
