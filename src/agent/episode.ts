// One episode of the reference (or simulated) agent: task -> sandbox -> agent -> verifier -> trajectory.json + result.json.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import type { EpisodeError } from '../domain/types.js';
import { zeroUsage } from '../domain/usage.js';
import { readHarborTask } from './tasks/harbor-task.js';
import { killProcessGroups } from './tasks/shell.js';
import { createSandbox, removeSandbox, verify, type Sandbox, type VerifyResult } from './tasks/sandbox.js';
import { harnessText, loadAgentHarness } from './harness.js';
import { runAgentLoop } from './loop.js';
import { planSimulatedEpisode, runSimulatedAgent, type SimulatedPlan } from './simulated.js';
import { AGENT_VERSION, REFERENCE_AGENT_NAME, SIMULATED_AGENT_NAME, TrajectoryRecorder, writeResultFile, type EpisodeResultFile } from './trajectory.js';

export interface ModelEndpoint {
  name: string;
  baseUrl?: string;
  apiKey?: string;
  temperature: number;
  maxRetries: number;
  inputUsdPerMtok: number;
  outputUsdPerMtok: number;
  /** Name of the env var holding the key; removed from the agent's shell env. */
  apiKeyEnv?: string;
}

export interface EpisodeOptions {
  taskDir: string;
  outDir: string;
  attempt: number;
  harnessDir: string;
  /** The harness hash from the episode protocol; the harness files' own hash when absent. */
  harnessHash?: string;
  /** The ledger's episode id (SELF_HARNESS_EPISODE): the simulated agent's draw depends on it. */
  episodeId?: string;
  /** `simulated` needs no model; `model` needs `endpoint`. */
  mode: 'model' | 'simulated';
  endpoint?: ModelEndpoint;
  /** Base environment of the agent's commands and the verifier (default process.env). */
  env?: NodeJS.ProcessEnv;
  keepSandbox?: boolean;
}

export interface EpisodeSummary {
  taskId: string;
  agent: string;
  reward: number;
  passed: boolean;
  error?: EpisodeError;
  steps: number;
  verifier: VerifyResult;
  /** Only for the simulated agent: how its fate was drawn. */
  plan?: SimulatedPlan;
  sandbox?: string;
}

/** Episodes still running in this process (their sandbox and command process groups), for a signal handler. */
const activeEpisodes = new Map<Sandbox, Set<number>>();

/** Stops the commands and removes the sandboxes of unfinished episodes (SIGTERM/SIGINT: the runner's deadline). */
export function removeActiveSandboxes(): void {
  for (const [sandbox, groups] of activeEpisodes) {
    killProcessGroups(groups);
    removeSandbox(sandbox);
  }
  activeEpisodes.clear();
}

export async function runEpisode(options: EpisodeOptions): Promise<EpisodeSummary> {
  const task = readHarborTask(options.taskDir);
  const harness = loadAgentHarness(options.harnessDir);
  const harnessHash = options.harnessHash || harness.hash;
  const env = options.env ?? process.env;
  mkdirSync(options.outDir, { recursive: true });
  const sandbox = createSandbox(task);
  const processGroups = new Set<number>();
  activeEpisodes.set(sandbox, processGroups);
  const simulated = options.mode === 'simulated';
  const agentName = simulated ? SIMULATED_AGENT_NAME : REFERENCE_AGENT_NAME;
  const recorder = new TrajectoryRecorder(
    {
      name: agentName,
      version: AGENT_VERSION,
      model_name: simulated ? 'simulated' : options.endpoint?.name,
      tool_definitions: harness.tools.map((t) => ({ type: 'function', function: t })),
      ...(simulated
        ? { extra: { note: 'SIMULATED agent for the offline demo: success is drawn from the task traits and the harness text; no model was called.' } }
        : {}),
    },
    { task_id: task.id, attempt: options.attempt, harness_hash: harnessHash },
  );
  let agentError: EpisodeError | undefined;
  let claimedCompletion: boolean;
  let usage = zeroUsage();
  let plan: SimulatedPlan | undefined;
  try {
    if (simulated) {
      plan = planSimulatedEpisode(task, options.attempt, harnessHash, harnessText(harness), options.episodeId);
      const run = await runSimulatedAgent(task, sandbox, harness, plan, recorder, env, processGroups);
      agentError = run.error;
      claimedCompletion = run.claimedCompletion;
      // No model was called: the simulated agent's step metrics are estimates kept in its trajectory, and the
      // episode reports no token usage, so run summaries and budgets never count tokens that were not spent.
      void run.usage;
    } else {
      const endpoint = options.endpoint;
      if (!endpoint) throw new Error('runEpisode: mode "model" needs an endpoint');
      const client = new OpenAI({ apiKey: endpoint.apiKey ?? 'not-needed', baseURL: endpoint.baseUrl, maxRetries: endpoint.maxRetries, timeout: 120_000 });
      const loop = await runAgentLoop({
        client,
        model: endpoint.name,
        temperature: endpoint.temperature,
        pricing: endpoint,
        harness,
        instruction: task.instruction,
        workDir: sandbox.workDir,
        env: agentShellEnv(env, sandbox.workDir, endpoint.apiKeyEnv),
        recorder,
        deadline: Date.now() + task.agentTimeoutSec * 1000,
        processGroups,
      });
      agentError = loop.error;
      claimedCompletion = loop.stopReason === 'finished';
      usage = loop.usage;
    }
    // The agent's background commands stop before the verifier looks at the sandbox.
    killProcessGroups(processGroups);
    const verifier = await verify(task, sandbox, env, processGroups);
    saveVerifierLogs(sandbox.logsDir, options.outDir, verifier);
    let error = agentError;
    if (!error && claimedCompletion && !verifier.passed) {
      error = { type: 'VerifierFailed', message: `tests failed after the agent reported completion: ${firstLines(verifier.output)}` };
    }
    recorder.trajectory.extra = { ...recorder.trajectory.extra, reward: verifier.reward, verifier_exit_code: verifier.exitCode };
    recorder.write(options.outDir);
    const result: EpisodeResultFile = {
      reward: verifier.reward,
      passed: verifier.passed,
      ...(error ? { error } : {}),
      usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, cost_usd: usage.costUsd },
      agent: agentName,
      steps: recorder.trajectory.steps.length,
    };
    writeResultFile(options.outDir, result);
    return {
      taskId: task.id,
      agent: agentName,
      reward: verifier.reward,
      passed: verifier.passed,
      error,
      steps: recorder.trajectory.steps.length,
      verifier,
      plan,
      sandbox: options.keepSandbox ? sandbox.root : undefined,
    };
  } finally {
    activeEpisodes.delete(sandbox);
    // Whatever the agent left running in the background must not outlive the episode.
    killProcessGroups(processGroups);
    if (!options.keepSandbox) removeSandbox(sandbox);
  }
}

/**
 * The environment of the model's shell commands: without the episode protocol's variables (they point at the task
 * directory, where tests/ and solution/ live) and without the model key.
 */
export function agentShellEnv(env: NodeJS.ProcessEnv, workDir: string, apiKeyEnv = 'OPENAI_API_KEY'): NodeJS.ProcessEnv {
  const hidden = new Set(['OPENAI_API_KEY', apiKeyEnv, 'TASK_DIR', 'TESTS_DIR', 'LOGS_DIR']);
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('SELF_HARNESS_') && !hidden.has(key)) out[key] = value;
  }
  out.SANDBOX = workDir;
  return out;
}

/** Copies the verifier's reward files and output into `<out>/verifier/` (Harbor's trial layout). */
function saveVerifierLogs(logsDir: string, outDir: string, verifier: VerifyResult): void {
  const target = path.join(outDir, 'verifier');
  mkdirSync(target, { recursive: true });
  const source = path.join(logsDir, 'verifier');
  if (existsSync(source)) cpSync(source, target, { recursive: true });
  writeFileSync(path.join(target, 'test-stdout.txt'), verifier.output);
}

function firstLines(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const failing = lines.filter((l) => /fail|error|expected|missing|wrong|not /i.test(l));
  return (failing.length ? failing : lines).slice(0, 2).join(' | ').slice(0, 300) || 'no verifier output';
}
