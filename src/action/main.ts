// The action's top level: read settings and context once, route the event, run one job. Never throws.
import * as core from '@actions/core';
import { loadConfig } from '../config/load.js';
import { UserError, type ChatModel } from '../domain/types.js';
import { selectModel } from '../llm/select.js';
import { createGitHub, timeUnitFromEnv } from '../github/client.js';
import { basicCredential } from '../github/branch.js';
import { git } from '../git/git.js';
import { parseSettings, envInputReader, type ActionSettings } from './settings.js';
import { readRunContext } from './context.js';
import { routeEvent } from './route.js';
import { actionLogger, defaultBranchOf, stateDirOf, type Flows, type JobEnv, type OutputName } from './job.js';
import { runEvolveJob } from './evolve-job.js';
import { runValidateJob } from './validate-job.js';
import { runCommentJob } from './comment-job.js';
import type { Config } from '../config/schema.js';

// Secrets the agent's episodes (child processes) must never inherit: the write token and the model key arrive as inputs.
const SCRUBBED_ENV = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_URL', 'GITHUB_TOKEN', 'GH_TOKEN'];

function scrubSecrets(env: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(env)) {
    if (name.startsWith('INPUT_') || SCRUBBED_ENV.includes(name)) delete env[name];
  }
}

/** Episodes run the agent's code in the workspace: a token persisted by actions/checkout would be readable there. */
async function warnOnPersistedCredentials(workspace: string): Promise<void> {
  const persisted = await git(['config', '--local', '--name-only', '--get-regexp', '^http\\..*\\.extraheader$'], { cwd: workspace }).catch(() => '');
  if (persisted.trim() !== '') {
    core.warning('actions/checkout persisted a token in .git/config (persist-credentials defaults to true); the agent\'s episodes run in this checkout and could read it. Set `persist-credentials: false` on actions/checkout: self-harness passes its token to git per command.');
  }
}

function chatModel(settings: ActionSettings, config: Config, env: NodeJS.ProcessEnv): ChatModel | undefined {
  const overrides = { name: settings.model, baseUrl: settings.modelBaseUrl, apiKey: settings.modelApiKey };
  const { model, offlineReason } = selectModel(config, { env, overrides, howToConfigure: 'model-api-key / model-base-url' });
  if (!model) core.info(`${offlineReason}: proposing from the pattern library only.`);
  return model;
}

export async function run(flows: Flows, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const setOutput = (name: OutputName, value: string | number) => core.setOutput(name, String(value));
  try {
    const ctx = readRunContext(env);
    const settings = parseSettings(envInputReader(env), ctx.workspace);
    core.setSecret(settings.githubToken);
    core.setSecret(basicCredential(settings.githubToken));
    if (settings.modelApiKey) core.setSecret(settings.modelApiKey);
    scrubSecrets(env);
    for (const name of ['decision', 'pr-number', 'pr-url', 'check-run-id', 'report-path'] as const) setOutput(name, name === 'decision' ? 'none' : '');

    const route = routeEvent(ctx.eventName, ctx.payload, settings.mode, settings.commandPrefix);
    if (route.kind === 'ignore') {
      core.info(`self-harness: nothing to do (${route.why}).`);
      return;
    }

    const loaded = loadConfig(settings.configPath, ctx.workspace);
    await warnOnPersistedCredentials(ctx.workspace);
    const github = createGitHub({
      token: settings.githubToken,
      baseUrl: ctx.apiUrl,
      timeUnitMs: timeUnitFromEnv(env),
      // Octokit logs every request at info level: keep that for debug logging (ACTIONS_STEP_DEBUG).
      log: { debug: (m) => core.debug(m), info: (m) => core.debug(m), warn: (m) => core.warning(m), error: (m) => core.error(m) },
    });
    const job: JobEnv = {
      settings,
      ctx,
      github,
      repo: { owner: ctx.owner, repo: ctx.repo },
      loaded,
      stateDir: stateDirOf(loaded),
      flows,
      model: route.kind === 'validate-pr' ? undefined : chatModel(settings, loaded.config, env),
      logger: actionLogger,
      setOutput,
    };

    switch (route.kind) {
      case 'evolve': {
        const defaultBranch = await defaultBranchOf(job);
        const onBranch = ctx.ref.startsWith('refs/heads/') ? ctx.ref.slice('refs/heads/'.length) : defaultBranch;
        if (!ctx.sha) throw new UserError('GITHUB_SHA is not set; cannot tell which commit to evolve from.');
        await runEvolveJob(job, { baseSha: ctx.sha, target: onBranch, trigger: route.why });
        return;
      }
      case 'validate-pr':
        await runValidateJob(job, { pull: route.pull });
        return;
      case 'comment':
        await runCommentJob(job, route);
        return;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof UserError) && error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(message);
  }
}
