// The action's top level: read settings and context once, route the event, run one job. Never throws.
// Only what routing needs is loaded up front: an ignored event never loads the config, Octokit or the flows
// (`dispatch.ts` is imported once there is a job, so a split bundle keeps it out of the entry chunk).
import * as core from '@actions/core';
import { UserError } from '../domain/types.js';
import { parseSettings, envInputReader } from './settings.js';
import { loadRunContext } from './context.js';
import { routeEvent } from './route.js';
import type { Flows, OutputName } from './job.js';

// Secrets the agent's episodes (child processes) must never inherit: the write token and the model key arrive as inputs.
const SCRUBBED_ENV = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_URL', 'GITHUB_TOKEN', 'GH_TOKEN'];

function scrubSecrets(env: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(env)) {
    if (name.startsWith('INPUT_') || SCRUBBED_ENV.includes(name)) delete env[name];
  }
}

export async function run(flows: Flows, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const setOutput = (name: OutputName, value: string | number) => core.setOutput(name, String(value));
  try {
    const ctx = await loadRunContext(env);
    const settings = parseSettings(envInputReader(env), ctx.workspace);
    core.setSecret(settings.githubToken);
    if (settings.modelApiKey) core.setSecret(settings.modelApiKey);
    scrubSecrets(env);
    for (const name of ['decision', 'pr-number', 'pr-url', 'check-run-id', 'check-run-url', 'train-delta', 'report-path'] as const)
      setOutput(name, name === 'decision' ? 'none' : '');

    const route = routeEvent(ctx.eventName, ctx.payload, settings.mode, settings.commandPrefix);
    if (route.kind === 'ignore') {
      core.info(`self-harness: nothing to do (${route.why}).`);
      return;
    }
    const { dispatch } = await import('./dispatch.js');
    await dispatch({ ctx, settings, route, flows, env, setOutput });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof UserError) && error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(message);
  }
}
