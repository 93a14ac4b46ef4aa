// Runs the job a routed event asks for: loads the config, builds the GitHub client and the model, then one job.
// Imported lazily by main.ts, so events the action ignores never load any of this; evolve and comment jobs are
// imported when routed to, so the PR gate's no-op path loads only what it needs.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { loadConfig } from '../config/load.js';
import type { LoadedConfig } from '../config/schema.js';
import { UserError, type ChatModel } from '../domain/types.js';
import { selectModel } from '../llm/select.js';
import { createGitHub, timeUnitFromEnv } from '../github/client.js';
import { basicCredential, fetchBranchTip } from '../github/branch.js';
import { git } from '../git/git.js';
import type { ActionSettings } from './settings.js';
import type { RunContext } from './context.js';
import type { Route } from './route.js';
import { actionLogger, defaultBranchOf, stateDirOf, type Flows, type JobEnv, type OutputName } from './job.js';
import { runValidateJob } from './validate-job.js';

/** Episodes run the agent's code in the workspace: a token persisted by actions/checkout would be readable there. */
async function warnOnPersistedCredentials(workspace: string): Promise<void> {
  const persisted = await git(['config', '--local', '--name-only', '--get-regexp', '^http\\..*\\.extraheader$'], { cwd: workspace }).catch(() => '');
  if (persisted.trim() !== '') {
    core.warning(
      "actions/checkout persisted a token in .git/config (persist-credentials defaults to true); the agent's episodes run in this checkout and could read it. Set `persist-credentials: false` on actions/checkout: self-harness passes its token to git per command.",
    );
  }
}

function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Puts the CLI this action ships (dist/cli.js beside dist/index.js) on PATH as `self-harness`, for episodes that run
 * it (the reference agent) and for the job's later steps: no package has to be installed from a registry.
 */
function exposeShippedCli(runnerTemp: string): void {
  const entry = process.argv[1];
  if (!entry) return;
  const cli = path.join(path.dirname(path.resolve(entry)), 'cli.js');
  if (!existsSync(cli)) return;
  const bin = path.join(runnerTemp, 'self-harness-bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'self-harness'), `#!/bin/sh\nexec ${shQuote(process.execPath)} ${shQuote(cli)} "$@"\n`, { mode: 0o755 });
  core.addPath(bin);
  core.debug(`self-harness CLI on PATH: ${bin}/self-harness -> ${cli}`);
}

async function chatModel(settings: ActionSettings, loaded: LoadedConfig, env: NodeJS.ProcessEnv): Promise<ChatModel | undefined> {
  const overrides = { name: settings.model, baseUrl: settings.modelBaseUrl, apiKey: settings.modelApiKey };
  const { model, offlineReason } = await selectModel(loaded, { env, overrides, howToConfigure: 'model-api-key / model-base-url' });
  if (!model) core.info(`${offlineReason}: proposing from the pattern library only.`);
  return model;
}

export interface DispatchInput {
  ctx: RunContext;
  settings: ActionSettings;
  route: Exclude<Route, { kind: 'ignore' }>;
  flows: Flows;
  env: NodeJS.ProcessEnv;
  setOutput(name: OutputName, value: string | number): void;
}

export async function dispatch({ ctx, settings, route, flows, env, setOutput }: DispatchInput): Promise<void> {
  core.setSecret(basicCredential(settings.githubToken));
  exposeShippedCli(ctx.runnerTemp);
  const loaded = loadConfig(settings.configPath, ctx.workspace);
  await warnOnPersistedCredentials(ctx.workspace);
  const github = createGitHub({
    token: settings.githubToken,
    baseUrl: ctx.apiUrl,
    timeUnitMs: timeUnitFromEnv(env),
    // Octokit logs every request at info level: keep that for debug logging (ACTIONS_STEP_DEBUG).
    log: { debug: (m) => core.debug(m), info: (m) => core.debug(m), warn: (m) => core.warning(m), error: (m) => core.error(m) },
  });
  const validating = route.kind === 'validate-pr' || route.kind === 'validate-merge-group';
  const job: JobEnv = {
    settings,
    ctx,
    github,
    repo: { owner: ctx.owner, repo: ctx.repo },
    loaded,
    stateDir: stateDirOf(loaded),
    flows,
    model: validating ? undefined : await chatModel(settings, loaded, env),
    logger: actionLogger,
    setOutput,
  };

  switch (route.kind) {
    case 'evolve': {
      const defaultBranch = await defaultBranchOf(job);
      const onBranch = ctx.ref.startsWith('refs/heads/') ? ctx.ref.slice('refs/heads/'.length) : defaultBranch;
      if (!ctx.sha) throw new UserError('GITHUB_SHA is not set; cannot tell which commit to evolve from.');
      // The `base` input: evolve from that branch's tip and open the PR into it.
      const target = settings.base ?? onBranch;
      const baseSha = target === onBranch ? ctx.sha : await fetchBranchTip(ctx.workspace, settings.githubToken, target);
      const { runEvolveJob } = await import('./evolve-job.js');
      await runEvolveJob(job, { baseSha, target, trigger: route.why });
      return;
    }
    case 'validate-pr': {
      const { pull } = route;
      await runValidateJob(job, {
        target: {
          headSha: pull.headSha,
          baseSha: pull.baseSha,
          label: `pull request #${pull.number}`,
          reuseVerdictOnBotBranch: !pull.fromFork && pull.headRef.startsWith(settings.branchPrefix),
        },
      });
      return;
    }
    case 'validate-merge-group':
      await runValidateJob(job, { target: { headSha: route.group.headSha, baseSha: route.group.baseSha, label: `merge group ${route.group.headRef}` } });
      return;
    case 'comment': {
      const { runCommentJob } = await import('./comment-job.js');
      await runCommentJob(job, route);
      return;
    }
  }
}
