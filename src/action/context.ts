// The run's context: @actions/github's `context` (event name and payload, repository, SHA, ref, API and server URLs)
// plus the few runner paths it does not carry, read once into a plain value.
import type { context as actionsContext } from '@actions/github';
import { UserError } from '../domain/types.js';

export interface RunContext {
  eventName: string;
  /** The webhook payload of the triggering event (untrusted text inside). */
  payload: Record<string, any>;
  owner: string;
  repo: string;
  sha: string;
  ref: string;
  workspace: string;
  apiUrl: string;
  serverUrl: string;
  /** Link to this workflow run (for "full report" links), when the runner gave its id. */
  runUrl?: string;
  runnerTemp: string;
}

type GitHubContext = typeof actionsContext;

function missing(name: string): UserError {
  return new UserError(`environment variable ${name} is not set; this entry point runs inside a GitHub Actions job (use the CLI elsewhere).`);
}

/**
 * Loads @actions/github (its `context` reads GITHUB_* and the event file when first imported) and reads the run
 * context; a malformed event file becomes a UserError instead of a crash before `run()` can report it.
 */
export async function loadRunContext(env: NodeJS.ProcessEnv): Promise<RunContext> {
  let context: GitHubContext;
  try {
    ({ context } = await import('@actions/github'));
  } catch (error) {
    throw new UserError(`GITHUB_EVENT_PATH ${env.GITHUB_EVENT_PATH ?? ''}: cannot read the event payload (${(error as Error).message}).`);
  }
  return runContextFrom(context, env);
}

export function runContextFrom(context: GitHubContext, env: NodeJS.ProcessEnv): RunContext {
  if (!context.eventName) throw missing('GITHUB_EVENT_NAME');
  if (!env.GITHUB_REPOSITORY) throw missing('GITHUB_REPOSITORY');
  const { owner, repo } = context.repo;
  if (!owner || !repo) throw new UserError(`GITHUB_REPOSITORY: expected "owner/name", got ${JSON.stringify(env.GITHUB_REPOSITORY)}.`);
  if (!env.GITHUB_WORKSPACE) throw missing('GITHUB_WORKSPACE');
  const serverUrl = (context.serverUrl || 'https://github.com').replace(/\/+$/, '');
  return {
    eventName: context.eventName,
    payload: context.payload as Record<string, any>,
    owner,
    repo,
    sha: context.sha ?? '',
    ref: context.ref ?? '',
    workspace: env.GITHUB_WORKSPACE,
    apiUrl: (context.apiUrl || 'https://api.github.com').replace(/\/+$/, ''),
    serverUrl,
    runUrl: Number.isFinite(context.runId) ? `${serverUrl}/${owner}/${repo}/actions/runs/${context.runId}` : undefined,
    runnerTemp: env.RUNNER_TEMP || env.TMPDIR || '/tmp',
  };
}
