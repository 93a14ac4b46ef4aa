// The run's context as the runner sets it (GITHUB_* env and the event payload file), read once into a plain value.
import { readFileSync } from 'node:fs';
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

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new UserError(`environment variable ${name} is not set; this entry point runs inside a GitHub Actions job (use the CLI elsewhere).`);
  return value;
}

export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  const eventName = required(env, 'GITHUB_EVENT_NAME');
  const eventPath = env.GITHUB_EVENT_PATH;
  let payload: Record<string, any> = {};
  if (eventPath) {
    try {
      payload = JSON.parse(readFileSync(eventPath, 'utf8'));
    } catch (error) {
      throw new UserError(`GITHUB_EVENT_PATH ${eventPath}: cannot read the event payload (${(error as Error).message}).`);
    }
  }
  const repository = required(env, 'GITHUB_REPOSITORY');
  const [owner, repo] = repository.split('/');
  if (!owner || !repo) throw new UserError(`GITHUB_REPOSITORY: expected "owner/name", got ${JSON.stringify(repository)}.`);
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const runId = env.GITHUB_RUN_ID;
  return {
    eventName,
    payload,
    owner,
    repo,
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    workspace: required(env, 'GITHUB_WORKSPACE'),
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    serverUrl,
    runUrl: runId ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` : undefined,
    runnerTemp: env.RUNNER_TEMP || env.TMPDIR || '/tmp',
  };
}
