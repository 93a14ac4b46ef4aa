// Harbor trial directories: result.json (TrialResult) + agent/trajectory.json (ATIF) + verifier/{ctrf.json,reward.*}.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { EpisodeError, Outcome } from '../domain/types.js';
import type { ParsedTrace } from './model.js';
import { isAtif, readAtifFile } from './atif.js';
import { isOpenAIChat, parseOpenAIChat } from './openai-chat.js';
import { parseCtrf } from './ctrf.js';
import { clip } from './content.js';
import { jsonFilesUnder, type JsonRead, readJsonFile } from './json-file.js';
import { finiteNumber, isRecord, noteDropped } from './lenient.js';
import { newTrace, relPath } from './trace-parts.js';
import { makeUsage } from './usage.js';
import { truncateMiddle } from './text.js';
import { readTrialDoc, type TrialOutput } from './trial-doc.js';
import { readBytes, readProblem, readTail } from './confined.js';

/** Harbor exceptions that are the agent's (or its output's) fault; every other type is infrastructure noise. */
const AGENT_TIMEOUTS = new Set(['AgentTimeoutError']);
const AGENT_FAILURES = new Set([
  'VerifierTimeoutError',
  'RewardFileNotFoundError',
  'RewardFileEmptyError',
  'VerifierOutputParseError',
  'NonZeroAgentExitCodeError',
  'ContextLengthExceededError',
  'OutputLengthExceededError',
]);

/**
 * How a Harbor `exception_info.exception_type` counts: the agent's timeout, the agent's failure,
 * or infrastructure (environment, Docker, sandbox, setup, cancellation, unknown errors) that says nothing about the harness.
 * Accepts qualified names (`harbor.trial.errors.AgentTimeoutError`).
 */
export function harborExceptionOutcome(type: string): 'timeout' | 'fail' | 'infra-error' {
  const name = type.trim().split('.').pop() ?? '';
  if (AGENT_TIMEOUTS.has(name)) return 'timeout';
  if (AGENT_FAILURES.has(name)) return 'fail';
  return 'infra-error';
}

const num = z.number().optional().nullable().catch(undefined);
const str = z.string().optional().nullable().catch(undefined);

const TrialResultSchema = z.object({
  trial_name: z.string(),
  task_name: str,
  task_id: z.unknown().optional(),
  agent_info: z
    .object({ name: str, model_info: z.object({ name: str }).nullable().optional().catch(undefined) })
    .nullable()
    .optional()
    .catch(undefined),
  agent_result: z.object({ n_input_tokens: num, n_output_tokens: num, cost_usd: num }).nullable().optional().catch(undefined),
  verifier_result: z
    .object({ rewards: z.record(z.string(), z.unknown()).nullable().optional().catch(undefined) })
    .nullable()
    .optional()
    .catch(undefined),
  exception_info: z.object({ exception_type: z.string(), exception_message: str }).nullable().optional().catch(undefined),
  started_at: str,
});

export function isHarborTrialResult(doc: unknown): boolean {
  return (
    isRecord(doc) &&
    typeof doc.trial_name === 'string' &&
    ('verifier_result' in doc || 'exception_info' in doc || 'agent_info' in doc || 'task_checksum' in doc)
  );
}

export function isHarborJobResult(doc: unknown): boolean {
  return isRecord(doc) && !('trial_name' in doc) && ('n_total_trials' in doc || (isRecord(doc.stats) && 'evals' in doc.stats));
}

export type HarborTrialOutput = TrialOutput;

/** Reads a trial: `resultFile` is `<trial>/result.json`; `doc` is its parsed content when the caller already has it. */
export async function readHarborTrial(resultFile: string, baseDir: string, doc?: unknown): Promise<HarborTrialOutput> {
  const opened = await readTrialDoc(resultFile, baseDir, doc, TrialResultSchema, 'a Harbor trial result');
  if (!opened.ok) return opened.output;
  const { value, data: result, shown } = opened;
  const trialDir = dirname(resultFile);
  const trace = newTrace('harbor', shown);
  noteDropped(value, result, ['task_name', 'agent_result', 'verifier_result', 'exception_info'], '', trace.skipped);
  const consumed: string[] = [];
  const skipped: HarborTrialOutput['skipped'] = [];
  const taskName = result.task_name ?? taskNameFromTrial(result.trial_name);
  if (taskName) trace.taskId = taskName.split('/').pop();

  // Rewards: result.json first; the verifier's own files when the result has none.
  let reward = rewardOf(result.verifier_result?.rewards ?? undefined, trace.skipped);
  const verifierReward = await readRewardFiles(trialDir, consumed, trace.skipped);
  if (reward === undefined) reward = verifierReward;
  if (reward !== undefined) trace.reward = reward;

  const exception = result.exception_info ?? undefined;
  if (exception) {
    const kind = harborExceptionOutcome(exception.exception_type);
    const error: EpisodeError = {
      type: exception.exception_type,
      message: truncateMiddle((exception.exception_message ?? '').trim(), 2000),
      infrastructure: kind === 'infra-error',
    };
    trace.error = error;
  }
  trace.outcome = trialOutcome(reward, exception?.exception_type);
  if (trace.outcome === 'infra-error' && !exception) {
    trace.error = { type: 'NoVerifierResult', message: 'the trial has neither a reward nor an exception: the verifier did not run', infrastructure: true };
  }

  let usage = makeUsage(
    finiteNumber(result.agent_result?.n_input_tokens),
    finiteNumber(result.agent_result?.n_output_tokens),
    finiteNumber(result.agent_result?.cost_usd),
  );

  await readAgentSteps(trialDir, baseDir, trace, consumed, skipped);
  if (!usage && trace.usage) usage = trace.usage;
  if (usage) trace.usage = usage;

  // Per-test outcomes (CTRF written by pytest-json-ctrf).
  const ctrfFile = join(trialDir, 'verifier', 'ctrf.json');
  if (existsSync(ctrfFile)) {
    consumed.push(ctrfFile);
    const read = await readJsonFile(ctrfFile);
    const ctrf = read.ok ? parseCtrf(read.value, relPath(ctrfFile, baseDir)) : undefined;
    if (ctrf && 'trace' in ctrf) trace.tests = ctrf.trace.tests;
    else trace.skipped.push(`verifier/ctrf.json: ${read.ok ? (ctrf as { reason: string }).reason : read.reason}`);
  }
  if (trace.tests.length === 0) await addVerifierOutput(trialDir, trace);
  for (const name of ['config.json', 'analysis.json']) {
    const path = join(trialDir, name);
    if (existsSync(path)) consumed.push(path);
  }
  return { traces: [trace], skipped, consumed };
}

/**
 * pass when the verifier's reward is 1 or more (Harbor still runs the verifier after an agent timeout);
 * otherwise the exception decides (timeout / fail / infra-error); otherwise a reward below 1 is a fail;
 * no reward and no exception means the trial was never judged.
 */
export function trialOutcome(reward: number | undefined, exceptionType: string | undefined): Outcome {
  if (reward !== undefined && reward >= 1) return 'pass';
  if (exceptionType) return harborExceptionOutcome(exceptionType);
  if (reward !== undefined) return 'fail';
  return 'infra-error';
}

function rewardOf(rewards: Record<string, unknown> | undefined, skipped: string[]): number | undefined {
  if (!rewards) return undefined;
  const main = finiteNumber(rewards.reward);
  if (main !== undefined) return main;
  const values = Object.values(rewards)
    .map(finiteNumber)
    .filter((v): v is number => v !== undefined);
  if (values.length === 0) {
    if (Object.keys(rewards).length > 0) skipped.push('verifier_result.rewards has no numeric value');
    return undefined;
  }
  // Several named rewards and no `reward` key: their mean.
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** verifier/reward.json (flat {name: number}) wins over verifier/reward.txt, as in Harbor's verifier. */
async function readRewardFiles(trialDir: string, consumed: string[], skipped: string[]): Promise<number | undefined> {
  const jsonFile = join(trialDir, 'verifier', 'reward.json');
  if (existsSync(jsonFile)) {
    consumed.push(jsonFile);
    const read: JsonRead = await readJsonFile(jsonFile, 1024 * 1024);
    if (read.ok && isRecord(read.value)) {
      const reward = rewardOf(read.value, skipped);
      if (reward !== undefined) return reward;
    } else {
      skipped.push(`verifier/reward.json: ${read.ok ? 'not a JSON object of named rewards' : read.reason}`);
    }
  }
  const textFile = join(trialDir, 'verifier', 'reward.txt');
  if (existsSync(textFile)) {
    consumed.push(textFile);
    let text: string;
    try {
      text = (await readBytes(textFile, 4096)).toString('utf8').trim();
    } catch (error) {
      skipped.push(`verifier/reward.txt: ${readProblem(error)}`);
      return undefined;
    }
    const reward = finiteNumber(text);
    if (reward !== undefined) return reward;
    skipped.push(`verifier/reward.txt: not a number (${JSON.stringify(text.slice(0, 40))})`);
  }
  return undefined;
}

/**
 * Steps come from agent/trajectory.json (ATIF). Without it, the first agent log that is an ATIF file or a chat
 * transcript (e.g. mini-swe-agent's) is used. Either way the agent folder's JSON files are folded into the trial.
 */
async function readAgentSteps(trialDir: string, baseDir: string, trace: ParsedTrace, consumed: string[], skipped: HarborTrialOutput['skipped']): Promise<void> {
  const agentDir = join(trialDir, 'agent');
  const trajectoryFile = join(agentDir, 'trajectory.json');
  const others = (await jsonFilesUnder(agentDir)).filter((f) => f !== trajectoryFile).sort();
  const candidates = existsSync(trajectoryFile) ? [trajectoryFile] : others;
  for (const file of candidates) {
    const read = await readJsonFile(file);
    if (!read.ok) {
      if (file === trajectoryFile) skipped.push({ file: relPath(file, baseDir), reason: read.reason });
      continue;
    }
    const name = relPath(file, trialDir);
    let found: ParsedTrace | undefined;
    if (isAtif(read.value)) {
      const atif = await readAtifFile(file, baseDir, read.value);
      consumed.push(...atif.consumed);
      found = atif.traces[0];
      if (!found) skipped.push(...atif.skipped);
    } else if (isOpenAIChat(read.value)) {
      const chat = parseOpenAIChat(read.value, relPath(file, baseDir));
      if ('trace' in chat) found = chat.trace;
    } else if (file === trajectoryFile) {
      skipped.push({ file: relPath(file, baseDir), reason: 'agent/trajectory.json is not an ATIF trajectory' });
    }
    if (found && found.steps.length > 0) {
      trace.steps = found.steps;
      trace.skipped.push(...found.skipped.map((s) => `${name}: ${s}`));
      if (file !== trajectoryFile) trace.skipped.push(`steps read from ${name} (there is no agent/trajectory.json)`);
      if (found.usage) trace.usage = found.usage;
      break;
    }
  }
  // Agent-native logs and sub-trajectories repeat the trajectory; a walk must not read them again.
  consumed.push(...(existsSync(trajectoryFile) ? [trajectoryFile] : []), ...others);
}

/** Without per-test results, the tail of the verifier's output is the best account of why the trial failed. */
async function addVerifierOutput(trialDir: string, trace: ParsedTrace): Promise<void> {
  const file = join(trialDir, 'verifier', 'test-stdout.txt');
  if (!existsSync(file)) return;
  let buffer: Buffer;
  try {
    buffer = await readTail(file, 64 * 1024);
  } catch (error) {
    trace.skipped.push(`verifier/test-stdout.txt: ${readProblem(error)}`);
    return;
  }
  {
    const index = trace.steps.length + 1;
    trace.steps.push({
      id: 'verifier',
      index,
      source: 'tool',
      message: 'verifier output (verifier/test-stdout.txt)',
      toolCalls: [],
      observations: [{ content: clip(buffer.toString('utf8')) }],
    });
  }
}

/** `chess-best-move__a1B2c3D` -> `chess-best-move`. */
function taskNameFromTrial(trialName: string): string | undefined {
  const at = trialName.lastIndexOf('__');
  return at > 0 ? trialName.slice(0, at) : undefined;
}

/** A job-level result.json is a summary; the trials are read from their own directories. */
export function describeHarborJob(doc: unknown): string {
  const total = isRecord(doc) ? finiteNumber(doc.n_total_trials) : undefined;
  return `Harbor job summary${total !== undefined ? ` (${total} trials)` : ''}: not a trace; each trial is read from its own <trial>/result.json`;
}
