// The `harbor run` command line for one episode: pure, so the flags and the injection of the harness
// under test are easy to check. Long flags only (short ones changed between Harbor releases).
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { UserError } from '../domain/types.js';

/** The Harbor release whose `harbor run` flags and trial layout this runner was written against. */
export const HARBOR_VERSION = '0.13.1';

export type InjectMode = 'agent-import-path' | 'prompt-template' | 'instruction-file' | 'none';

export interface HarborSettings {
  executable: string;
  /** Registry dataset `name@version`; tasks are picked with --include-task-name. */
  dataset?: string;
  /** Absolute directory of local Harbor tasks. */
  path?: string;
  agent?: string;
  agentImportPath?: string;
  model?: string;
  env: string;
  nConcurrent: number;
  inject: InjectMode;
  /** Relative to the harness version's root (posix separators). */
  injectPath?: string;
  extraArgs: string[];
}

export interface EpisodeTarget {
  taskId: string;
  taskDir?: string;
  attempt: number;
  /** Root of the harness version under test (its checkout). */
  harnessRoot: string;
  outDir: string;
}

export interface HarborInvocation {
  executable: string;
  args: string[];
  /** Variables added to the environment (PYTHONPATH for agent-import-path injection). */
  env: Record<string, string>;
  /** `<outDir>/jobs/<jobName>`: where Harbor writes the job and its trial. */
  jobDir: string;
  /** The file or directory handed to Harbor by `inject`, absolute; absent for `none`. */
  injected?: string;
}

/** Reads and checks `suite.harbor`; `root` is the repository root (relative `path` is resolved from it). */
export function harborSettings(config: Config, root: string): HarborSettings {
  const harbor = config.suite.harbor;
  if (!harbor) throw new UserError('suite.runner is "harbor": add a suite.harbor section (dataset or path, agent or agent-import-path, model).');
  const where = 'suite.harbor';
  if (harbor.dataset && harbor.path) throw new UserError(`${where}: set dataset or path, not both.`);
  if (!harbor.dataset && !harbor.path && !config.suite.tasks && !config.suite['tasks-file']) {
    throw new UserError(
      `${where}: say which tasks Harbor runs: set path (a directory of Harbor tasks) or dataset (e.g. terminal-bench/terminal-bench-2 with suite.tasks-file listing task names).`,
    );
  }
  if (!harbor.agent && !harbor['agent-import-path']) {
    throw new UserError(`${where}: set agent (a built-in Harbor agent such as terminus-2) or agent-import-path (module:Class of your agent).`);
  }
  if (harbor.agent && harbor['agent-import-path']) throw new UserError(`${where}: set agent or agent-import-path, not both.`);
  const inject = harbor.inject;
  if (inject === 'agent-import-path' && !harbor['agent-import-path']) {
    throw new UserError(`${where}.inject is "agent-import-path": set ${where}.agent-import-path (module:Class found under inject-path).`);
  }
  if ((inject === 'prompt-template' || inject === 'instruction-file') && !harbor['inject-path']) {
    throw new UserError(`${where}.inject is "${inject}": set ${where}.inject-path to the harness file handed to Harbor (relative to the repository root).`);
  }
  let injectPath: string | undefined;
  if (harbor['inject-path'] !== undefined && inject !== 'none') {
    const normal = path.posix.normalize(harbor['inject-path'].replace(/\\/g, '/'));
    if (path.posix.isAbsolute(normal) || normal === '..' || normal.startsWith('../')) {
      throw new UserError(`${where}.inject-path: "${harbor['inject-path']}" must be a path inside the repository (relative, no "..").`);
    }
    injectPath = normal;
  }
  for (const [i, arg] of harbor['extra-args'].entries()) {
    if (RESERVED.has(arg.split('=')[0]!)) {
      throw new UserError(`${where}.extra-args[${i}]: "${arg}" is set by self-harness for every episode; remove it (use the suite.harbor fields instead).`);
    }
  }
  return {
    executable: harbor.executable,
    ...(harbor.dataset ? { dataset: harbor.dataset } : {}),
    ...(harbor.path ? { path: path.resolve(root, harbor.path) } : {}),
    ...(harbor.agent ? { agent: harbor.agent } : {}),
    ...(harbor['agent-import-path'] ? { agentImportPath: harbor['agent-import-path'] } : {}),
    ...(harbor.model ? { model: harbor.model } : {}),
    env: harbor.env,
    nConcurrent: harbor['n-concurrent'] ?? 1,
    inject,
    ...(injectPath !== undefined ? { injectPath } : {}),
    extraArgs: harbor['extra-args'],
  };
}

/** Flags self-harness sets per episode; extra-args must not repeat them. */
const RESERVED = new Set([
  '--path',
  '-p',
  '--dataset',
  '-d',
  '--include-task-name',
  '-i',
  '--task-name',
  '--n-attempts',
  '-k',
  '--jobs-dir',
  '-o',
  '--job-name',
  '--config',
  '-c',
]);

/** Harbor's job name for an episode: a readable, file-safe label. */
export function jobName(taskId: string, attempt: number): string {
  return `${taskId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80)}-attempt-${attempt}`;
}

/** The command line for one episode. */
export function buildInvocation(settings: HarborSettings, target: EpisodeTarget, inheritedPythonPath?: string): HarborInvocation {
  const args = ['run'];
  if (settings.dataset) args.push('--dataset', settings.dataset, '--include-task-name', target.taskId);
  else if (target.taskDir) args.push('--path', target.taskDir);
  else if (settings.path) args.push('--path', settings.path, '--include-task-name', target.taskId);
  else
    throw new UserError(
      `task "${target.taskId}" has no directory and suite.harbor has neither path nor dataset; set suite.harbor.dataset for a tasks-file suite.`,
    );

  const env: Record<string, string> = {};
  // join, not resolve: the harness root is absolute, and the cache-key template passes a placeholder.
  let injected = settings.injectPath !== undefined && settings.inject !== 'none' ? path.join(target.harnessRoot, settings.injectPath) : undefined;
  if (settings.inject === 'agent-import-path') {
    injected ??= target.harnessRoot;
    env.PYTHONPATH = inheritedPythonPath ? `${injected}${path.delimiter}${inheritedPythonPath}` : injected;
    args.push('--agent-import-path', settings.agentImportPath!);
  } else if (settings.agent) args.push('--agent', settings.agent);
  else args.push('--agent-import-path', settings.agentImportPath!);
  if (settings.model) args.push('--model', settings.model);
  if (settings.inject === 'prompt-template') args.push('--agent-kwarg', `prompt_template_path=${injected!}`);
  if (settings.inject === 'instruction-file') args.push('--extra-instruction-path', injected!);

  const name = jobName(target.taskId, target.attempt);
  const jobsDir = path.join(target.outDir, 'jobs');
  args.push(
    '--env',
    settings.env,
    '--n-attempts',
    '1',
    '--n-concurrent',
    String(settings.nConcurrent),
    '--jobs-dir',
    jobsDir,
    '--job-name',
    name,
    '--yes',
    ...settings.extraArgs,
  );
  return {
    executable: settings.executable,
    args,
    env,
    jobDir: path.join(jobsDir, name),
    ...(injected !== undefined ? { injected } : {}),
  };
}

/**
 * The invocation with per-episode values as placeholders: the runner's cache-key `runCommand`.
 * Two configs that run Harbor the same way give the same text; paths of one machine never enter it.
 */
export function invocationTemplate(settings: HarborSettings): string {
  const placeholderPath = settings.path ? '<task-dir>' : undefined;
  const template = buildInvocation(
    { ...settings, ...(settings.path ? { path: '<tasks>' } : {}) },
    { taskId: '<task>', ...(placeholderPath ? { taskDir: placeholderPath } : {}), attempt: 0, harnessRoot: '<harness>', outDir: '<out>' },
  );
  const args = template.args.map((arg) => (arg === jobName('<task>', 0) ? '<job>' : arg));
  const env = Object.entries(template.env).map(([key, value]) => `${key}=${value}`);
  return [...env, settings.executable, ...args].map(quote).join(' ');
}

function quote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./<>-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
