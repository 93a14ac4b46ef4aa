// Reads a Harbor-layout task directory: instruction.md, task.toml ([metadata], [agent], [verifier]), tests/, solution/.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { UserError } from '../../domain/types.js';

export interface HarborTask {
  /** The directory name. */
  id: string;
  /** Absolute path of the task directory. */
  dir: string;
  instruction: string;
  /** `[metadata]` as written (free-form). */
  metadata: Record<string, unknown>;
  /** `[metadata] traits`, lower-cased; [] when absent. */
  traits: string[];
  agentTimeoutSec: number;
  verifierTimeoutSec: number;
  /** Absolute path of tests/test.sh. */
  testScript: string;
  /** Absolute path of solution/solve.sh, when the task has one. */
  solutionScript?: string;
  /** Absolute path of environment/, when the task has one. */
  environmentDir?: string;
}

export const DEFAULT_AGENT_TIMEOUT_SEC = 600;
export const DEFAULT_VERIFIER_TIMEOUT_SEC = 600;

const timeoutSec = z.number({ error: (i) => `expected a number of seconds, got ${JSON.stringify(i.input)}` }).positive('expected a positive number of seconds');

const TaskTomlSchema = z.looseObject({
  metadata: z.record(z.string(), z.unknown()).optional(),
  agent: z.looseObject({ timeout_sec: timeoutSec.optional() }).optional(),
  verifier: z.looseObject({ timeout_sec: timeoutSec.optional() }).optional(),
});

/** True when `dir` looks like a Harbor task (task.toml next to instruction.md). */
export function isHarborTaskDir(dir: string): boolean {
  return existsSync(path.join(dir, 'task.toml')) && existsSync(path.join(dir, 'instruction.md'));
}

export function readHarborTask(taskDir: string): HarborTask {
  const dir = path.resolve(taskDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`${dir}: task directory not found. Check SELF_HARNESS_TASK_DIR or --task-dir.`);
  }
  const instructionFile = path.join(dir, 'instruction.md');
  if (!existsSync(instructionFile)) {
    throw new UserError(`${instructionFile}: missing. A Harbor task needs instruction.md (the prompt given to the agent).`);
  }
  const tomlFile = path.join(dir, 'task.toml');
  let raw: unknown = {};
  if (existsSync(tomlFile)) {
    try {
      raw = parseToml(readFileSync(tomlFile, 'utf8'));
    } catch (error) {
      const e = error as Error & { line?: number };
      throw new UserError(`${tomlFile}${e.line ? `:${e.line}` : ''}: not valid TOML: ${e.message.split('\n')[0]}. Fix the syntax.`);
    }
  }
  const parsed = TaskTomlSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${tomlFile} ${issue.path.join('.')}: ${issue.message}.`);
  }
  const toml = parsed.data;
  const testScript = path.join(dir, 'tests', 'test.sh');
  if (!existsSync(testScript)) {
    throw new UserError(`${testScript}: missing. A Harbor task needs tests/test.sh (the verifier).`);
  }
  const solutionScript = path.join(dir, 'solution', 'solve.sh');
  const environmentDir = path.join(dir, 'environment');
  const metadata = toml.metadata ?? {};
  return {
    id: path.basename(dir),
    dir,
    instruction: readFileSync(instructionFile, 'utf8'),
    metadata,
    traits: traitsOf(metadata, tomlFile),
    agentTimeoutSec: toml.agent?.timeout_sec ?? DEFAULT_AGENT_TIMEOUT_SEC,
    verifierTimeoutSec: toml.verifier?.timeout_sec ?? DEFAULT_VERIFIER_TIMEOUT_SEC,
    testScript,
    solutionScript: existsSync(solutionScript) ? solutionScript : undefined,
    environmentDir: existsSync(environmentDir) ? environmentDir : undefined,
  };
}

function traitsOf(metadata: Record<string, unknown>, tomlFile: string): string[] {
  const traits = metadata.traits;
  if (traits === undefined) return [];
  if (!Array.isArray(traits) || traits.some((t) => typeof t !== 'string')) {
    throw new UserError(`${tomlFile} metadata.traits: expected a list of strings, got ${JSON.stringify(traits)}.`);
  }
  return traits.map((t: string) => t.toLowerCase());
}
