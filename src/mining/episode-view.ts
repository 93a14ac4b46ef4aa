// One episode as the miner sees it: the steps of its main trace grouped into actions (a call and its results),
// its test outcomes and its error, whatever trace formats the artifacts held.
import type { EpisodeError, EpisodeRecord } from '../domain/types.js';
import type { Grade, Observation, ParsedTrace, TestOutcome, TraceStep } from '../traces/model.js';

export interface Action {
  /** Index into `steps` of the agent step that made the call. */
  stepIndex: number;
  /** Exact identity of the call (tool names + arguments, whitespace folded): equal keys = the same action. */
  key: string;
  /** The call as short readable text, e.g. `bash: ls /data`. */
  text: string;
  /** The first word of the command when the call runs a shell command. */
  program?: string;
  observations: Observation[];
}

export interface EpisodeView {
  record: EpisodeRecord;
  steps: TraceStep[];
  actions: Action[];
  tests: TestOutcome[];
  /** Grader verdicts (Inspect scores), the failing ones first. */
  grades: Grade[];
  error?: EpisodeError;
  /** The trace file the steps came from. */
  traceFile?: string;
  instruction?: string;
}

const MAX_KEY_CHARS = 400;

function fold(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The command string when the arguments are a JSON object with a command-like field, else the raw text. */
function callCommand(args: string): string {
  const trimmed = args.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as Record<string, unknown>;
      for (const field of ['command', 'cmd', 'keystrokes', 'code', 'script', 'input', 'path', 'query']) {
        const value = parsed[field];
        if (typeof value === 'string') return value;
        if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(' ');
      }
    } catch {
      // not JSON: use the raw text
    }
  }
  return trimmed;
}

function programOf(command: string): string | undefined {
  const match = /^\s*(?:sudo\s+|env\s+(?:\w+=\S+\s+)*|\w+=\S+\s+)*([\w./+-]+)/.exec(command);
  if (!match) return undefined;
  const word = match[1]!;
  return word.includes('/') ? word.slice(word.lastIndexOf('/') + 1) : word;
}

/** Groups agent steps with their observations (in the same step, or in the tool steps that follow). */
export function actionsOf(steps: TraceStep[]): Action[] {
  const actions: Action[] = [];
  let last: Action | undefined;
  steps.forEach((step, stepIndex) => {
    if (step.source === 'agent' && step.toolCalls.length > 0) {
      const commands = step.toolCalls.map((call) => ({ name: call.name, command: callCommand(call.arguments) }));
      const text = commands.map((c) => `${c.name}: ${fold(c.command)}`).join(' ; ');
      last = {
        stepIndex,
        key: text.slice(0, MAX_KEY_CHARS),
        text,
        program: programOf(commands[0]!.command),
        observations: [...step.observations],
      };
      actions.push(last);
    } else if (step.source === 'tool' && last) {
      last.observations.push(...step.observations);
      if (step.observations.length === 0 && step.message) last.observations.push({ content: step.message });
    } else if (step.source === 'agent') {
      last = undefined;
      if (step.observations.length > 0) {
        // Text-only agents (commands in the message) still get their results attached to an action.
        const text = fold(step.message ?? '').slice(0, 200);
        last = { stepIndex, key: `message: ${text}`, text: `message: ${text}`, observations: [...step.observations] };
        actions.push(last);
      }
    }
  });
  return actions;
}

/** The trace with the most steps carries the story; tests, grades and errors are gathered from the traces of the same trial. */
export function episodeView(record: EpisodeRecord, traces: ParsedTrace[]): EpisodeView {
  const own = sameTrialTraces(record, traces);
  let main: ParsedTrace | undefined;
  for (const trace of own) if (!main || trace.steps.length > main.steps.length) main = trace;
  const steps = main?.steps ?? [];
  const grades = own.flatMap((t) => t.grades ?? []);
  return {
    record,
    steps,
    actions: actionsOf(steps),
    tests: own.flatMap((t) => t.tests),
    grades: [...grades.filter((g) => !g.passed), ...grades.filter((g) => g.passed)],
    error: explainingError(record, own),
    traceFile: main?.file,
    instruction: main?.instruction,
  };
}

/**
 * The traces of one trial. A file holding several trials (a TB1 run's results.json, a multi-sample log copied into
 * one episode) would otherwise give one trial's instruction with another's error: of a format that names several
 * tasks, only the traces of the record's task are kept, else those of the one with the most steps.
 */
export function sameTrialTraces(record: EpisodeRecord, traces: ParsedTrace[]): ParsedTrace[] {
  const tasksByFormat = new Map<string, Set<string>>();
  for (const trace of traces) {
    if (trace.taskId === undefined) continue;
    const tasks = tasksByFormat.get(trace.format) ?? new Set<string>();
    tasks.add(trace.taskId);
    tasksByFormat.set(trace.format, tasks);
  }
  const mixed = new Set([...tasksByFormat].filter(([, tasks]) => tasks.size > 1).map(([format]) => format));
  if (mixed.size === 0) return traces;
  const candidates = traces.filter((t) => mixed.has(t.format) && t.taskId !== undefined);
  let task = candidates.some((t) => t.taskId === record.key.taskId) ? record.key.taskId : undefined;
  if (task === undefined) {
    let main: ParsedTrace | undefined;
    for (const trace of candidates) if (!main || trace.steps.length > main.steps.length) main = trace;
    task = main?.taskId;
  }
  return traces.filter((t) => !mixed.has(t.format) || t.taskId === undefined || t.taskId === task);
}

/**
 * The error that explains the episode. A trace's infrastructure error wins over everything (a Docker build failure
 * behind an exit code says nothing about the harness); a bare exit code gives way to the traces' own account: their
 * error, else their failing tests (the signature then names the failing test, not "exited with code <n>").
 */
export function explainingError(record: EpisodeRecord, traces: ParsedTrace[]): EpisodeError | undefined {
  const infrastructure = traces.find((t) => t.error?.infrastructure)?.error;
  if (infrastructure) return infrastructure;
  const traced = traces.find((t) => t.error)?.error;
  if (record.error?.type === 'exit-code') {
    if (traced) return traced;
    if (traces.some((t) => t.tests.some((test) => test.status === 'failed'))) return undefined;
  }
  return record.error ?? traced;
}

/** The exit code an observation reports, from the field or from text such as `exit code 2`. */
export function exitCodeOf(observation: Observation): number | undefined {
  if (typeof observation.exitCode === 'number') return observation.exitCode;
  const match =
    /\b(?:exit(?:ed)?(?: with)?(?: code| status)?|return ?code|returncode)["']?\s*[:=]?\s*(-?\d{1,3})\b/i.exec(observation.content.slice(0, 2000)) ??
    /\bexit(?:_code|Code)["']?\s*[:=]\s*(-?\d{1,3})\b/.exec(observation.content.slice(-2000));
  return match ? Number(match[1]) : undefined;
}

export function observationFailed(observation: Observation): boolean {
  if (observation.isError) return true;
  const code = exitCodeOf(observation);
  return code !== undefined && code !== 0;
}

export function firstLine(text: string, maxChars = 200): string {
  const line = text.split(/\r?\n/).find((l) => l.trim().length > 0) ?? '';
  return line.trim().slice(0, maxChars);
}

const ERROR_LINE = /error|exception|fatal|failed|failure|denied|not found|no such|cannot|can't|unable|invalid|refused|panic|abort/i;

/** The line of a tool output that says what went wrong: the last error-looking line (a traceback's last line), else the first line. */
export function errorLine(text: string, maxChars = 200): string {
  const tail = text.length > 8000 ? text.slice(-8000) : text;
  const lines = tail.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (line && ERROR_LINE.test(line) && !/^traceback \(most recent call last\)/i.test(line)) return line.slice(0, maxChars);
  }
  return firstLine(text, maxChars);
}
