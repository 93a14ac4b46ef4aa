// Agents that act through their text: Terminus's keystroke JSON ({"commands":[{"keystrokes":...}]}) and
// mini-swe-agent's one ```bash block per turn become tool calls, and the user turn that answers them (the new
// terminal output, `<returncode>` + `<output>`) becomes their observation.
import type { Observation, ToolCall, TraceStep } from './model.js';
import { isRecord } from './lenient.js';

export type TextActionStyle = 'keystrokes' | 'bash-block';

/** Terminus asks again when it could not parse a reply: that answer is an error result of the reply. */
const TERMINUS_PARSE_FEEDBACK = /^\s*(?:Previous response had (?:parsing errors|warnings)|ERROR: )/i;
const MAX_PARSE_TRIES = 8;
const RETURN_CODE = /<returncode>\s*(-?\d+)\s*<\/returncode>/;
// A block closed by ``` or, cut short, by the end of the reply.
const BASH_BLOCK = /```(?:bash|sh|shell)?[ \t]*\r?\n([\s\S]*?)(?:\r?\n)?(?:```|`{0,2}\s*$)/g;

/** True when a transcript's agent turns hold Terminus keystroke JSON (checked on the first few agent turns). */
export function hasKeystrokeJson(steps: TraceStep[]): boolean {
  return steps
    .filter((s) => s.source === 'agent' && s.toolCalls.length === 0 && s.message)
    .slice(0, 5)
    .some((s) => /"keystrokes"\s*:/.test(s.message!) && keystrokeCommands(s.message!) !== undefined);
}

/** True when the transcript answers its agent with mini-swe-agent's `<returncode>` observations. */
export function hasReturnCodeTurns(steps: TraceStep[]): boolean {
  return steps.some((s) => s.source === 'user' && RETURN_CODE.test(s.message ?? ''));
}

/** Rewrites text-only agent steps into tool calls and the user turns that answer them into tool results. */
export function textActions(steps: TraceStep[], style: TextActionStyle): TraceStep[] {
  const out: TraceStep[] = [];
  let answering: TraceStep | undefined;
  for (const step of steps) {
    if (step.source === 'agent' && step.toolCalls.length === 0 && step.message) {
      const calls = style === 'keystrokes' ? keystrokeCalls(step.message) : bashBlockCalls(step.message);
      if (calls) {
        const rewritten = { ...step, toolCalls: calls };
        out.push(rewritten);
        answering = rewritten;
        continue;
      }
    } else if (step.source === 'user' && answering && step.message !== undefined) {
      out.push({ ...step, source: 'tool', message: undefined, observations: [observationOf(step.message, style)] });
      answering = undefined;
      continue;
    }
    if (step.source !== 'system') answering = undefined;
    out.push(step);
  }
  return out;
}

function observationOf(text: string, style: TextActionStyle): Observation {
  if (style === 'bash-block') {
    const code = RETURN_CODE.exec(text);
    const output = /<output>\r?\n?([\s\S]*?)<\/output>/.exec(text)?.[1];
    const content = output ?? text.replace(RETURN_CODE, '').trim();
    return code ? { content, exitCode: Number(code[1]) } : { content };
  }
  return TERMINUS_PARSE_FEEDBACK.test(text) ? { content: text, isError: true } : { content: text };
}

/** Terminus reply: the JSON object with `commands` (text around it and `<think>` are allowed); undefined when there is none. */
export function keystrokeCommands(text: string): { commands: Array<Record<string, unknown>>; taskComplete: boolean } | undefined {
  const visible = text.replace(/<think>[\s\S]*?<\/think>/g, '');
  const start = visible.indexOf('{');
  if (start < 0) return undefined;
  // The object runs from the first brace to one of the last closing braces; the longest is tried first, and only a
  // few (a reply full of braces in code must not cost a parse per brace).
  let tries = 0;
  for (let end = visible.lastIndexOf('}'); end > start && tries < MAX_PARSE_TRIES; end = visible.lastIndexOf('}', end - 1), tries++) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(visible.slice(start, end + 1));
    } catch {
      continue;
    }
    if (!isRecord(parsed) || !Array.isArray(parsed.commands)) return undefined;
    const commands = parsed.commands.filter((c): c is Record<string, unknown> => isRecord(c) && typeof c.keystrokes === 'string');
    const complete = parsed.task_complete === true || parsed.is_task_complete === true;
    return { commands, taskComplete: complete };
  }
  return undefined;
}

function keystrokeCalls(text: string): ToolCall[] | undefined {
  const reply = keystrokeCommands(text);
  if (!reply) return undefined;
  const calls: ToolCall[] = reply.commands.map((c) => ({
    name: 'keystrokes',
    arguments: JSON.stringify({ keystrokes: c.keystrokes, ...(typeof c.duration === 'number' ? { duration: c.duration } : {}) }),
  }));
  // Terminus ends by setting task_complete: the same signal as another agent's finish tool.
  if (reply.taskComplete) calls.push({ name: 'task_complete', arguments: '{}' });
  return calls.length > 0 ? calls : undefined;
}

function bashBlockCalls(text: string): ToolCall[] | undefined {
  const blocks = [...text.matchAll(BASH_BLOCK)].map((m) => m[1]!.trim()).filter((b) => b !== '');
  // mini-swe-agent runs exactly one block per turn; a reply with none or several is its format error, left as text.
  if (blocks.length !== 1) return undefined;
  return [{ name: 'bash', arguments: JSON.stringify({ command: blocks[0] }) }];
}
