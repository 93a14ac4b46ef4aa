// Executes the reference agent's tools inside the episode sandbox and renders what the model sees next.
import { mkdirSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { AgentHarness, RecoveryKind, ToolName } from './harness.js';
import { renderTemplate, TOOL_NAMES } from './harness.js';
import { runShell } from './tasks/shell.js';

const ArgumentSchemas = {
  shell: z.object({ command: z.string().min(1, 'command must not be empty') }),
  read_file: z.object({ path: z.string().min(1, 'path must not be empty') }),
  write_file: z.object({ path: z.string().min(1, 'path must not be empty'), content: z.string() }),
  finish: z.object({ summary: z.string().optional() }),
} satisfies Record<ToolName, z.ZodType>;

export type ParsedToolCall = { ok: true; name: ToolName; args: Record<string, unknown> } | { ok: false; error: string };

/** Parses a model tool call (name + JSON argument text) into a known tool with valid arguments. */
export function parseToolCall(name: string, argumentText: string, offered: readonly string[]): ParsedToolCall {
  if (!(TOOL_NAMES as readonly string[]).includes(name) || !offered.includes(name)) {
    return { ok: false, error: `unknown tool "${name}"; available tools: ${offered.join(', ')}` };
  }
  let raw: unknown;
  try {
    raw = argumentText.trim() === '' ? {} : JSON.parse(argumentText);
  } catch (error) {
    return { ok: false, error: `the arguments of ${name} are not valid JSON (${(error as Error).message}): ${argumentText.slice(0, 200)}` };
  }
  const parsed = ArgumentSchemas[name as ToolName].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `invalid arguments for ${name}: ${issue.path.join('.') || 'arguments'}: ${issue.message}` };
  }
  return { ok: true, name: name as ToolName, args: parsed.data as Record<string, unknown> };
}

export interface ToolOutcome {
  /** What goes back to the model as the tool result. */
  content: string;
  /** The recovery situation this outcome triggered, if any. */
  recovery?: RecoveryKind;
  exitCode?: number | null;
  finished?: boolean;
  summary?: string;
}

export interface ToolContext {
  harness: AgentHarness;
  workDir: string;
  env: NodeJS.ProcessEnv;
  /** Process groups of the episode's commands (killed when the episode ends). */
  processGroups?: Set<number>;
  /** Epoch ms of the agent's deadline: no command runs past it. */
  deadline?: number;
}

/** The recovery text for a situation: the harness file rendered, or the bare fact when the file is absent. */
export function recoveryText(harness: AgentHarness, kind: RecoveryKind, values: Record<string, string | number>): string {
  const template = harness.recovery[kind];
  if (template === undefined) return '';
  return renderTemplate(template, values).trim();
}

export async function executeTool(call: { name: ToolName; args: Record<string, unknown> }, context: ToolContext): Promise<ToolOutcome> {
  const { harness, workDir } = context;
  switch (call.name) {
    case 'shell': {
      const command = String(call.args.command);
      const remaining = context.deadline === undefined ? Infinity : Math.max(1, Math.ceil((context.deadline - Date.now()) / 1000));
      const timeoutSeconds = Math.min(harness.limits.command_timeout_seconds, remaining);
      const result = await runShell(command, {
        cwd: workDir,
        env: context.env,
        timeoutMs: timeoutSeconds * 1000,
        maxOutputBytes: harness.limits.max_output_bytes,
        processGroups: context.processGroups,
      });
      if (result.timedOut) {
        const text = recoveryText(harness, 'timeout', { command, timeout_seconds: timeoutSeconds });
        return { content: join(result.output, `[command timed out after ${timeoutSeconds} s and was killed]`, text), recovery: 'timeout', exitCode: null };
      }
      const exitLine = `[exit code ${result.exitCode}]`;
      if (result.exitCode !== 0) {
        const text = recoveryText(harness, 'nonzero-exit', { command, exit_code: result.exitCode ?? -1 });
        return { content: join(result.output, exitLine, text), recovery: 'nonzero-exit', exitCode: result.exitCode };
      }
      return { content: join(result.output, exitLine), exitCode: 0 };
    }
    case 'read_file': {
      const file = path.resolve(workDir, String(call.args.path));
      if (!existsSync(file) || !statSync(file).isFile()) return { content: `read_file: ${call.args.path}: No such file or directory` };
      const text = readFileSync(file, 'utf8');
      const max = harness.limits.max_output_bytes;
      if (text.length <= max) return { content: text };
      return {
        content: `${text.slice(0, max / 2)}\n[... file limited to ${max} characters; ${text.length - max} interior characters omitted ...]\n${text.slice(-max / 2)}`,
      };
    }
    case 'write_file': {
      const file = path.resolve(workDir, String(call.args.path));
      mkdirSync(path.dirname(file), { recursive: true });
      const content = String(call.args.content);
      writeFileSync(file, content);
      return { content: `wrote ${Buffer.byteLength(content)} bytes to ${call.args.path}` };
    }
    case 'finish':
      return { content: 'finished; the task will now be verified', finished: true, summary: call.args.summary as string | undefined };
  }
}

function join(...parts: string[]): string {
  return parts
    .filter((p) => p.length > 0)
    .map((p) => p.replace(/\n+$/, ''))
    .join('\n');
}
