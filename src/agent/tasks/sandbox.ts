// A fresh temporary sandbox per episode, and the verifier run (tests/ is copied in only at verification).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HarborTask } from './harbor-task.js';
import { runShell } from './shell.js';

export interface Sandbox {
  /** Parent of everything below; removed by `removeSandbox`. */
  root: string;
  /** The agent's working directory: a copy of environment/ (SANDBOX). */
  workDir: string;
  /** Outside workDir: the verifier writes reward.txt / reward.json under `<logsDir>/verifier`. */
  logsDir: string;
  /** Where tests/ is copied at verification time. */
  testsDir: string;
}

export interface VerifyResult {
  reward: number;
  passed: boolean;
  rewardSource: 'reward.json' | 'reward.txt' | 'exit-code' | 'timeout';
  exitCode: number | null;
  timedOut: boolean;
  /** The verifier's stdout+stderr, capped. */
  output: string;
  durationMs: number;
}

/** Creates `<tmp>/sh-sandbox-*` with work/ holding a copy of the task's environment/ files. */
export function createSandbox(task: HarborTask, parent = os.tmpdir()): Sandbox {
  const root = mkdtempSync(path.join(parent, `sh-sandbox-${safeName(task.id)}-`));
  const workDir = path.join(root, 'work');
  const logsDir = path.join(root, 'logs');
  const testsDir = path.join(root, 'tests');
  mkdirSync(workDir);
  mkdirSync(path.join(logsDir, 'verifier'), { recursive: true });
  mkdirSync(path.join(logsDir, 'agent'), { recursive: true });
  if (task.environmentDir) {
    // Dockerfiles are build recipes, not workspace content.
    cpSync(task.environmentDir, workDir, {
      recursive: true,
      filter: (source) => !/^(Dockerfile|docker-compose\.ya?ml)$/.test(path.basename(source)),
    });
  }
  return { root, workDir, logsDir, testsDir };
}

export function removeSandbox(sandbox: Sandbox): void {
  rmSync(sandbox.root, { recursive: true, force: true });
}

/** The environment of commands run for the task (solution, verifier): the caller's env plus the task's paths. */
export function taskEnv(task: HarborTask, sandbox: Sandbox, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    TASK_DIR: task.dir,
    SANDBOX: sandbox.workDir,
    LOGS_DIR: path.join(sandbox.logsDir, 'verifier'),
    TESTS_DIR: sandbox.testsDir,
  };
}

/**
 * Runs tests/test.sh with cwd = the sandbox, within the task's verifier timeout.
 * The reward comes from reward.json (key "reward", else the mean of its numbers), then reward.txt, else the exit code.
 */
export async function verify(task: HarborTask, sandbox: Sandbox, env: NodeJS.ProcessEnv = process.env, processGroups?: Set<number>): Promise<VerifyResult> {
  rmSync(sandbox.testsDir, { recursive: true, force: true });
  cpSync(path.dirname(task.testScript), sandbox.testsDir, { recursive: true });
  const verifierLogs = path.join(sandbox.logsDir, 'verifier');
  mkdirSync(verifierLogs, { recursive: true });
  for (const name of ['reward.txt', 'reward.json']) rmSync(path.join(verifierLogs, name), { force: true });
  const result = await runShell(`sh "${path.join(sandbox.testsDir, 'test.sh')}"`, {
    cwd: sandbox.workDir,
    env: taskEnv(task, sandbox, env),
    timeoutMs: task.verifierTimeoutSec * 1000,
    maxOutputBytes: 20_000,
    processGroups,
  });
  const base = { exitCode: result.exitCode, timedOut: result.timedOut, output: result.output, durationMs: result.durationMs };
  if (result.timedOut) return { ...base, reward: 0, passed: false, rewardSource: 'timeout' };
  const fromFile = readRewardFile(verifierLogs);
  if (fromFile) return { ...base, reward: fromFile.reward, passed: fromFile.reward >= 1, rewardSource: fromFile.source };
  const reward = result.exitCode === 0 ? 1 : 0;
  return { ...base, reward, passed: reward === 1, rewardSource: 'exit-code' };
}

function readRewardFile(dir: string): { reward: number; source: 'reward.json' | 'reward.txt' } | undefined {
  const jsonFile = path.join(dir, 'reward.json');
  if (existsSync(jsonFile)) {
    try {
      const value = JSON.parse(readFileSync(jsonFile, 'utf8')) as unknown;
      if (typeof value === 'number') return { reward: clamp(value), source: 'reward.json' };
      if (value && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        if (typeof record.reward === 'number') return { reward: clamp(record.reward), source: 'reward.json' };
        const numbers = Object.values(record).filter((v): v is number => typeof v === 'number');
        if (numbers.length > 0) return { reward: clamp(numbers.reduce((a, b) => a + b, 0) / numbers.length), source: 'reward.json' };
      }
    } catch {
      // An unreadable reward.json falls through to reward.txt / the exit code.
    }
  }
  const textFile = path.join(dir, 'reward.txt');
  if (existsSync(textFile)) {
    const value = Number.parseFloat(readFileSync(textFile, 'utf8').trim());
    if (Number.isFinite(value)) return { reward: clamp(value), source: 'reward.txt' };
  }
  return undefined;
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40);
}
