// Turns the trial Harbor wrote for one episode (`<jobs>/<job>/<trial>/result.json`, a TrialResult) into an
// EpisodeResult. Agent failures count against the harness; infrastructure exceptions never do.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { EpisodeError, EpisodeResult, Usage } from '../domain/types.js';
import { harborExceptionOutcome, trialOutcome } from '../traces/harbor.js';

const count = z.number().nullable().optional().catch(undefined);

const TrialResultSchema = z.looseObject({
  trial_name: z.string(),
  agent_result: z.looseObject({ n_input_tokens: count, n_output_tokens: count, cost_usd: count }).nullable().optional().catch(undefined),
  verifier_result: z
    .looseObject({ rewards: z.record(z.string(), z.unknown()).nullable().optional() })
    .nullable()
    .optional(),
  exception_info: z.looseObject({ exception_type: z.string(), exception_message: z.string().nullable().optional() }).nullable().optional(),
  finished_at: z.string().nullable().optional().catch(undefined),
});

export type TrialResult = z.output<typeof TrialResultSchema>;

const MESSAGE_CAP = 2000;

/**
 * `result.json` files of the trials under `<jobsDir>/<job>/<trial>/`, newest first (by finished_at,
 * then file time), so a trial Harbor retried itself gives its last try.
 */
export async function findTrialResults(jobsDir: string): Promise<string[]> {
  const found: { file: string; order: string }[] = [];
  for (const job of await subdirs(jobsDir)) {
    for (const trial of await subdirs(job)) {
      const file = path.join(trial, 'result.json');
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) continue;
      const finished = await readFile(file, 'utf8').then(
        (text) => /"finished_at"\s*:\s*"([^"]+)"/.exec(text)?.[1] ?? '',
        () => '',
      );
      found.push({ file, order: `${finished}|${info.mtime.toISOString()}` });
    }
  }
  return found.sort((a, b) => (a.order < b.order ? 1 : a.order > b.order ? -1 : 0)).map((f) => f.file);
}

async function subdirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => path.join(dir, e.name))
    .sort();
}

/** Reads and maps one trial result; a string says what is wrong with the file. */
export async function readTrialResult(file: string): Promise<TrialResult | string> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return `${file}: not a readable JSON trial result (${(error as Error).message})`;
  }
  const parsed = TrialResultSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  return `${file}: field "${issue.path.join('.') || '(top level)'}": ${issue.message}; expected a Harbor TrialResult`;
}

/** The episode's reward: `rewards.reward`, else the mean of the named numeric rewards; clamped to 0..1. */
export function trialReward(rewards: Record<string, unknown> | null | undefined): number | undefined {
  if (!rewards) return undefined;
  const numeric = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const main = numeric(rewards.reward);
  const values =
    main !== undefined
      ? [main]
      : Object.values(rewards)
          .map(numeric)
          .filter((v): v is number => v !== undefined);
  if (values.length === 0) return undefined;
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * pass when the verifier's reward reaches 1 (Harbor runs the verifier even after an agent timeout);
 * otherwise the exception type decides (AgentTimeoutError -> timeout, verifier/reward-file and agent
 * output errors -> fail, everything else -> infra-error); otherwise reward < 1 is a fail; a trial with
 * neither reward nor exception was never judged (infra-error).
 */
export function mapTrialResult(trial: TrialResult, exitCode: number | null): EpisodeResult {
  const reward = trialReward(trial.verifier_result?.rewards);
  const exception = trial.exception_info ?? undefined;
  const outcome = trialOutcome(reward, exception?.exception_type);
  let error: EpisodeError | undefined;
  if (exception) {
    const message = (exception.exception_message ?? '').trim();
    error = {
      type: exception.exception_type,
      message: message.length > MESSAGE_CAP ? `${message.slice(0, MESSAGE_CAP)}...` : message || `Harbor reported ${exception.exception_type}`,
      ...(harborExceptionOutcome(exception.exception_type) === 'infra-error' ? { infrastructure: true } : {}),
    };
  } else if (outcome === 'infra-error') {
    error = {
      type: 'NoVerifierResult',
      message: `trial ${trial.trial_name} has neither a reward nor an exception: the verifier did not run`,
      infrastructure: true,
    };
  }
  const clamped = reward === undefined ? (outcome === 'pass' ? 1 : 0) : Math.min(1, Math.max(0, reward));
  const usage = usageOf(trial);
  return { outcome, reward: clamped, exitCode, ...(error ? { error } : {}), ...(usage ? { usage } : {}) };
}

function usageOf(trial: TrialResult): Usage | undefined {
  const agent = trial.agent_result;
  if (!agent) return undefined;
  const usage: Usage = {};
  if (typeof agent.n_input_tokens === 'number') usage.inputTokens = agent.n_input_tokens;
  if (typeof agent.n_output_tokens === 'number') usage.outputTokens = agent.n_output_tokens;
  if (typeof agent.cost_usd === 'number') usage.costUsd = agent.cost_usd;
  return Object.keys(usage).length > 0 ? usage : undefined;
}
