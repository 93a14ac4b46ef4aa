// The SIMULATED agent for the offline demo: no model. Whether it succeeds is drawn from the task's traits and
// whether the harness text holds each trait's remedy; on success it really runs the task's solution, on failure it
// acts out the trait's failure mode. The trajectory is labelled `self-harness-simulated-agent`.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { EpisodeError } from '../domain/types.js';
import type { HarborTask } from './tasks/harbor-task.js';
import { taskEnv, type Sandbox } from './tasks/sandbox.js';
import { runShell } from './tasks/shell.js';
import { renderTemplate, type AgentHarness } from './harness.js';
import { missingRemedies, remedyFor, successProbability } from './remedies.js';
import type { AtifStep, TrajectoryRecorder } from './trajectory.js';

export interface SimulatedPlan {
  probability: number;
  draw: number;
  success: boolean;
  missing: string[];
  /** The trait whose failure mode is acted out (absent on success). */
  failingTrait?: string;
}

/** Uniform numbers in [0, 1) from sha256 of the parts: the same parts always give the same numbers. */
export function seededUniforms(parts: readonly (string | number)[], count: number): number[] {
  const digest = createHash('sha256').update(parts.join('\0')).digest();
  return Array.from({ length: count }, (_, i) => digest.readUInt32BE(i * 4) / 2 ** 32);
}

/**
 * Decides the episode's fate: pure, from (task id, traits, attempt, harness hash, harness text, episode id). The episode
 * id (SELF_HARNESS_EPISODE) differs between a mining run and a fresh screening or confirmation run of the same task,
 * attempt and harness, so their outcomes are independent draws, as a real agent's are.
 */
export function planSimulatedEpisode(
  task: Pick<HarborTask, 'id' | 'traits'>,
  attempt: number,
  harnessHash: string,
  text: string,
  episodeId?: string,
): SimulatedPlan {
  const missing = missingRemedies(task.traits, text);
  const [variationDraw] = seededUniforms(['task-variation', task.id], 1);
  const probability = successProbability(missing.length, (variationDraw! - 0.5) * 0.1);
  const [draw, pick] = seededUniforms(['episode', task.id, attempt, harnessHash, ...(episodeId ? [episodeId] : [])], 2);
  const success = draw! < probability;
  if (success) return { probability, draw: draw!, success, missing };
  const known = task.traits.filter((t) => remedyFor(t));
  const pool = missing.length > 0 ? missing : known.length > 0 ? known : ['verify'];
  return { probability, draw: draw!, success, missing, failingTrait: pool[Math.floor(pick! * pool.length)] };
}

export interface SimulatedRunResult {
  /** True when the agent called finish (claimed completion). */
  claimedCompletion: boolean;
  /** An agent-side error for result.json (e.g. the timeout), before verification. */
  error?: EpisodeError;
  usage: { inputTokens: number; outputTokens: number };
}

interface Context {
  task: HarborTask;
  sandbox: Sandbox;
  recorder: TrajectoryRecorder;
  env: NodeJS.ProcessEnv;
  calls: number;
  usage: { inputTokens: number; outputTokens: number };
  contextChars: number;
  processGroups?: Set<number>;
}

/** Acts out the planned episode in the sandbox, recording ATIF steps. Verification is the caller's. */
export async function runSimulatedAgent(
  task: HarborTask,
  sandbox: Sandbox,
  harness: AgentHarness,
  plan: SimulatedPlan,
  recorder: TrajectoryRecorder,
  env: NodeJS.ProcessEnv,
  processGroups?: Set<number>,
): Promise<SimulatedRunResult> {
  const systemPrompt = renderTemplate(harness.systemPromptTemplate, { instruction: task.instruction });
  recorder.add({ source: 'system', message: systemPrompt });
  recorder.add({ source: 'user', message: task.instruction });
  const ctx: Context = {
    task,
    sandbox,
    recorder,
    env: taskEnv(task, sandbox, env),
    calls: 0,
    usage: { inputTokens: 0, outputTokens: 0 },
    contextChars: systemPrompt.length + task.instruction.length,
    processGroups,
  };
  await shell(ctx, 'I will look at the working directory first.', 'ls -a');
  if (plan.success) {
    await solve(ctx);
    finish(ctx, 'The task is complete.');
    return { claimedCompletion: true, usage: ctx.usage };
  }
  const meta = task.metadata;
  switch (plan.failingTrait) {
    case 'long-running': {
      const command = stringMeta(meta.long_command, 'make build');
      fake(ctx, 'I will run the build and wait for it to finish.', command, 'still running ... (no output yet)');
      for (let i = 0; i < 3; i++) fake(ctx, 'The command has not finished yet; I will wait.', 'sleep 30', '[exit code 0]');
      return {
        claimedCompletion: false,
        usage: ctx.usage,
        error: { type: 'AgentTimeoutError', message: `agent timed out after ${task.agentTimeoutSec} s waiting on a foreground command (${command})` },
      };
    }
    case 'missing-tool': {
      const tool = stringMeta(meta.missing_tool, 'jq');
      const command = stringMeta(meta.tool_command, `${tool} . data.json`);
      for (let i = 0; i < 3; i++)
        fake(ctx, i === 0 ? `I will use ${tool}.` : `Let me try ${tool} again.`, command, `bash: ${tool}: command not found\n[exit code 127]`, 127);
      say(ctx, `I cannot continue: ${tool} is not available in this environment.`);
      return { claimedCompletion: false, usage: ctx.usage };
    }
    case 'hidden-files': {
      const expected = stringMeta(meta.expected_path, 'input.txt');
      for (let i = 0; i < 5; i++) await shell(ctx, i === 0 ? `The input should be at ${expected}.` : 'Let me look again.', `cat ${expected}`);
      say(ctx, `The file ${expected} does not exist; I cannot continue.`);
      return { claimedCompletion: false, usage: ctx.usage };
    }
    default: {
      // verify / exact-format: a plausible attempt, then finish without checking it.
      const naive = typeof meta.naive_command === 'string' ? meta.naive_command : undefined;
      if (naive) await shell(ctx, 'I will produce the output.', naive);
      finish(ctx, 'Done: the output has been produced as requested.');
      return { claimedCompletion: true, usage: ctx.usage };
    }
  }
}

async function solve(ctx: Context): Promise<void> {
  const traits = ctx.task.traits;
  if (traits.includes('hidden-files'))
    await shell(ctx, 'The input is not where I expected; I will search for it instead of repeating the same command.', 'find . -type f | head -50');
  if (traits.includes('missing-tool')) {
    const tool = stringMeta(ctx.task.metadata.missing_tool, 'jq');
    fake(ctx, `I will check whether ${tool} is available.`, `command -v ${tool}`, '[exit code 1]', 1);
  }
  const script = ctx.task.solutionScript ? readFileSync(ctx.task.solutionScript, 'utf8') : 'true';
  await shell(
    ctx,
    traits.includes('long-running') ? 'I will run the long step in the background and poll it.' : 'I will carry out the task.',
    script.replace(/^#!.*\n/, '').trim(),
  );
  if (traits.includes('verify') || traits.includes('exact-format')) await shell(ctx, 'Before I call finish, I will check the result.', 'ls -a');
}

/** Estimated tokens of one simulated model call (chars / 4): the context so far in, the reply out. */
function meter(ctx: Context, replyChars: number): { prompt_tokens: number; completion_tokens: number } {
  const metrics = { prompt_tokens: Math.ceil(ctx.contextChars / 4), completion_tokens: Math.ceil(replyChars / 4) };
  ctx.usage.inputTokens += metrics.prompt_tokens;
  ctx.usage.outputTokens += metrics.completion_tokens;
  ctx.contextChars += replyChars;
  return metrics;
}

function record(ctx: Context, message: string, command: string): AtifStep {
  ctx.calls += 1;
  const metrics = meter(ctx, message.length + command.length);
  return ctx.recorder.add({
    source: 'agent',
    model_name: 'simulated',
    message,
    tool_calls: [{ tool_call_id: `call_${ctx.calls}`, function_name: 'shell', arguments: { command } }],
    metrics,
  });
}

/** A shell step that really runs in the sandbox. */
async function shell(ctx: Context, message: string, command: string): Promise<void> {
  const step = record(ctx, message, command);
  const result = await runShell(command, { cwd: ctx.sandbox.workDir, env: ctx.env, timeoutMs: 30_000, processGroups: ctx.processGroups });
  const content = `${result.output.replace(/\n+$/, '')}${result.output ? '\n' : ''}[exit code ${result.exitCode}]`;
  ctx.contextChars += content.length;
  ctx.recorder.observe(step, { source_call_id: `call_${ctx.calls}`, content, extra: { exit_code: result.exitCode } });
}

/** A shell step whose observation is acted out (a command that would block or that does not exist here). */
function fake(ctx: Context, message: string, command: string, content: string, exitCode = 0): void {
  const step = record(ctx, message, command);
  ctx.contextChars += content.length;
  ctx.recorder.observe(step, { source_call_id: `call_${ctx.calls}`, content, extra: { exit_code: exitCode, simulated: true } });
}

function finish(ctx: Context, summary: string): void {
  ctx.calls += 1;
  const step = ctx.recorder.add({
    source: 'agent',
    model_name: 'simulated',
    message: summary,
    tool_calls: [{ tool_call_id: `call_${ctx.calls}`, function_name: 'finish', arguments: { summary } }],
    metrics: meter(ctx, summary.length * 2),
  });
  ctx.recorder.observe(step, { source_call_id: `call_${ctx.calls}`, content: 'finished; the task will now be verified' });
}

function say(ctx: Context, message: string): void {
  ctx.recorder.add({ source: 'agent', model_name: 'simulated', message, metrics: meter(ctx, message.length) });
}

function stringMeta(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.length > 0 ? value : fallback;
}
