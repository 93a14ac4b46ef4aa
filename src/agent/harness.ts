// The reference agent's whole harness, read from files: system prompt, tool definitions, recovery texts, limits.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../domain/types.js';

export const TOOL_NAMES = ['shell', 'read_file', 'write_file', 'finish'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export const RECOVERY_KINDS = ['parse-error', 'timeout', 'nonzero-exit', 'repeated-action'] as const;
export type RecoveryKind = (typeof RECOVERY_KINDS)[number];

export const LimitsSchema = z.strictObject({
  /** Model calls at most; the episode stops (and is verified) when reached. */
  max_steps: z.number().int().positive().default(30),
  command_timeout_seconds: z.number().positive().default(60),
  /** Estimated prompt tokens (chars / 4) above which old turns are summarised. */
  context_budget_tokens: z.number().int().positive().default(60_000),
  /** Bytes of command output kept per observation (head + tail). */
  max_output_bytes: z.number().int().positive().default(10_000),
  /** The same tool call this many times in a row triggers recovery/repeated-action.md. */
  repeat_threshold: z.number().int().min(2).default(3),
  max_tokens_per_reply: z.number().int().positive().optional(),
});
export type Limits = z.output<typeof LimitsSchema>;

const ToolDefinitionSchema = z.strictObject({
  name: z.enum(TOOL_NAMES, { error: (i) => `unknown tool ${JSON.stringify(i.input)}; the reference agent implements ${TOOL_NAMES.join(', ')}` }),
  description: z.string().min(1, 'describe the tool for the model'),
  parameters: z.looseObject({ type: z.literal('object'), properties: z.record(z.string(), z.unknown()).default({}), required: z.array(z.string()).optional() }),
});
export type ToolDefinition = z.output<typeof ToolDefinitionSchema>;

export interface AgentHarness {
  /** Absolute path of the harness directory. */
  dir: string;
  systemPromptTemplate: string;
  tools: ToolDefinition[];
  /** Recovery templates by situation; absent files fall back to the bare facts. */
  recovery: Partial<Record<RecoveryKind, string>>;
  limits: Limits;
  /** Every file under the directory (relative path -> text), sorted by path. */
  files: Record<string, string>;
  /** sha256 over (path, content) of every file. */
  hash: string;
}

export function loadAgentHarness(harnessDir: string): AgentHarness {
  const dir = path.resolve(harnessDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`${dir}: harness directory not found. Run from the harness checkout (it holds harness/) or pass --harness DIR.`);
  }
  const files = readTree(dir);
  const promptFile = path.join(dir, 'system-prompt.md');
  if (!('system-prompt.md' in files))
    throw new UserError(`${promptFile}: missing. The agent's harness needs system-prompt.md ({{instruction}} is replaced by the task).`);
  const tools = parseJsonFile(dir, 'tools.json', files, z.array(ToolDefinitionSchema).min(1, 'list at least the finish tool'));
  if (!tools) throw new UserError(`${path.join(dir, 'tools.json')}: missing. List the tools offered to the model (name, description, parameters).`);
  if (!tools.some((t) => t.name === 'finish'))
    throw new UserError(`${path.join(dir, 'tools.json')}: the "finish" tool is missing; the agent could never end an episode.`);
  const limits = parseJsonFile(dir, 'limits.json', files, LimitsSchema) ?? LimitsSchema.parse({});
  const recovery: Partial<Record<RecoveryKind, string>> = {};
  for (const kind of RECOVERY_KINDS) {
    const text = files[`recovery/${kind}.md`];
    if (text !== undefined) recovery[kind] = text;
  }
  const hash = createHash('sha256');
  for (const [rel, text] of Object.entries(files)) hash.update(`${rel}\0${text}\0`);
  return { dir, systemPromptTemplate: files['system-prompt.md']!, tools, recovery, limits, files, hash: hash.digest('hex') };
}

/** Replaces `{{name}}` (spaces allowed inside the braces) with values; unknown names are left as written. */
export function renderTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/gi, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** All harness text in one string (what the simulated agent searches for remedies). */
export function harnessText(harness: Pick<AgentHarness, 'files'>): string {
  return Object.values(harness.files).join('\n');
}

function readTree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(path.join(dir, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const full = path.join(dir, rel);
    if (statSync(full).isDirectory()) Object.assign(out, readTree(dir, rel));
    else out[rel] = readFileSync(full, 'utf8');
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function parseJsonFile<T extends z.ZodType>(dir: string, rel: string, files: Record<string, string>, schema: T): z.output<T> | undefined {
  const text = files[rel];
  if (text === undefined) return undefined;
  const file = path.join(dir, rel);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not valid JSON (${(error as Error).message}). Fix the syntax.`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? ` ${issue.path.join('.')}` : '';
    throw new UserError(`${file}${where}: ${issue.message}.`);
  }
  return parsed.data;
}
