// `self-harness agent`: the reference agent, one task episode per call; honours the episode protocol's env.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, DEFAULT_CONFIG_FILE } from '../config/load.js';
import { ModelSchema, type Config } from '../config/schema.js';
import { modelConfigured, modelSettings } from '../llm/openai.js';
import { UserError } from '../domain/types.js';
import { type CommandSpec, parseOrHelp } from './options.js';
import { removeActiveSandboxes, runEpisode } from '../agent/episode.js';
import type { AgentJson } from './json-output.js';

export const spec = {
  name: 'agent',
  usage: '[options]',
  description: `Runs one episode of the reference agent on a Harbor-layout task (instruction.md, task.toml, tests/test.sh,
environment/, solution/solve.sh) in a fresh temporary sandbox, then runs the task's verifier.
Writes trajectory.json (ATIF), result.json and verifier/ into the output directory.

The model comes from the model section of .self-harness.yml (when present) and the env:
SELF_HARNESS_MODEL / SELF_HARNESS_AGENT_MODEL (name), SELF_HARNESS_MODEL_BASE_URL / OPENAI_BASE_URL, OPENAI_API_KEY.`,
  options: {
    'task-dir': { type: 'string', value: 'DIR', help: 'the task (default: $SELF_HARNESS_TASK_DIR)' },
    out: { type: 'string', value: 'DIR', help: 'where artifacts go (default: $SELF_HARNESS_OUT, else .self-harness/agent/<task>/<attempt>)' },
    attempt: { type: 'string', value: 'N', help: '0-based attempt number (default: $SELF_HARNESS_ATTEMPT or 0)' },
    harness: { type: 'string', value: 'DIR', help: "the agent's harness directory (default: harness/ in the current directory)" },
    simulated: {
      type: 'boolean',
      default: false,
      help: 'use the SIMULATED agent (no model; for the offline demo). Chosen automatically when no\nmodel endpoint is configured (model.base-url, OPENAI_BASE_URL or the model.api-key-env key).',
    },
    'keep-sandbox': { type: 'boolean', default: false, help: 'leave the sandbox directory in place and print its path' },
    json: { type: 'boolean', default: false, help: 'print the episode summary as one JSON line on stdout' },
  },
  exit: ['0 the episode ran (pass or fail is in result.json)', '130 / 143 stopped by SIGINT / SIGTERM (the sandbox is removed)'],
} as const satisfies CommandSpec;

export async function main(args: string[]): Promise<number> {
  const parsed = parseOrHelp(spec, args);
  if (!parsed) return 0;
  const { values } = parsed;
  const env = process.env;
  const taskDir = values['task-dir'] ?? env.SELF_HARNESS_TASK_DIR;
  if (!taskDir) throw new UserError('no task given: pass --task-dir DIR or run under `self-harness run`, which sets SELF_HARNESS_TASK_DIR.');
  const attemptText = values.attempt ?? env.SELF_HARNESS_ATTEMPT ?? '0';
  const attempt = Number(attemptText);
  if (!Number.isInteger(attempt) || attempt < 0) throw new UserError(`--attempt / SELF_HARNESS_ATTEMPT: expected a whole number >= 0, got "${attemptText}".`);
  const taskId = path.basename(path.resolve(taskDir));
  const outDir = path.resolve(values.out ?? env.SELF_HARNESS_OUT ?? path.join('.self-harness', 'agent', taskId, String(attempt)));
  const harnessDir = path.resolve(values.harness ?? 'harness');

  const config = readConfig(values.config);
  // modelSettings reads only the model section.
  const settings = modelSettings(config as Config, env);
  let mode: 'model' | 'simulated' = values.simulated ? 'simulated' : 'model';
  if (mode === 'model' && !modelConfigured(settings)) {
    mode = 'simulated';
    console.error(
      `self-harness agent: no model endpoint configured (${config.model['api-key-env']}, OPENAI_BASE_URL or model.base-url); running the SIMULATED demo agent instead.`,
    );
  }
  // Stopped at the runner's deadline: leave no sandbox behind (the runner records the timeout).
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      removeActiveSandboxes();
      process.exit(signal === 'SIGTERM' ? 143 : 130);
    });
  }
  const summary = await runEpisode({
    taskDir,
    outDir,
    attempt,
    harnessDir,
    harnessHash: env.SELF_HARNESS_HARNESS,
    episodeId: env.SELF_HARNESS_EPISODE,
    mode,
    endpoint:
      mode === 'model'
        ? { ...settings, name: env.SELF_HARNESS_AGENT_MODEL || config.suite?.model || settings.name, apiKeyEnv: config.model['api-key-env'] }
        : undefined,
    env,
    keepSandbox: values['keep-sandbox'],
  });
  if (values.json) {
    console.log(
      JSON.stringify({
        task: summary.taskId,
        agent: summary.agent,
        reward: summary.reward,
        passed: summary.passed,
        error: summary.error,
        steps: summary.steps,
        out: outDir,
        sandbox: summary.sandbox,
      } satisfies AgentJson),
    );
  } else {
    const label = summary.agent === 'self-harness-simulated-agent' ? 'simulated agent' : 'agent';
    console.error(
      `self-harness ${label}: ${summary.taskId} attempt ${attempt}: ${summary.passed ? 'passed' : 'failed'} (reward ${summary.reward})${summary.error ? `, ${summary.error.type}: ${summary.error.message}` : ''}; artifacts in ${outDir}${summary.sandbox ? `; sandbox kept at ${summary.sandbox}` : ''}`,
    );
  }
  return 0;
}

/** The config when one is given or present in the current directory; otherwise only the model defaults matter here. */
function readConfig(configPath: string | undefined): Pick<Config, 'model'> & { suite?: Config['suite'] } {
  if (configPath || existsSync(DEFAULT_CONFIG_FILE)) return loadConfig(configPath).config;
  return { model: ModelSchema.parse({}) };
}
