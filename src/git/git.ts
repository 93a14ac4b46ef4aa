// Thin wrapper over the git binary: never prompts, never stores credentials, errors name the command.
import { execa } from 'execa';
import { UserError } from '../domain/types.js';

export class GitError extends Error {
  override readonly name = 'GitError';
  constructor(
    readonly args: string[],
    readonly exitCode: number | undefined,
    readonly stderr: string,
    readonly cwd: string = '',
  ) {
    const detail = stderr.trim().split('\n').slice(0, 5).join(' | ') || 'no error output';
    const status = exitCode === undefined ? 'could not start' : `exit ${exitCode}`;
    super(`git ${args.join(' ')} failed (${status})${cwd ? ` in ${cwd}` : ''}: ${detail}`);
  }
}

// Variables a surrounding git hook may set; they would redirect our commands away from `cwd`.
const INHERITED_GIT_VARS = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_PREFIX', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY'];

/** Runs git in `cwd`; returns stdout without the trailing newline; throws GitError on failure. */
export async function git(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string }): Promise<string> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of INHERITED_GIT_VARS) delete env[name];
  Object.assign(env, { GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never', GIT_ASKPASS: env.GIT_ASKPASS ?? '' }, options.env ?? {});
  // Never run repository hooks or an fsmonitor: episodes run in worktrees of this repository and could have planted
  // them, and some git calls carry a token in their environment.
  const result = await execa('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', ...args], {
    cwd: options.cwd,
    env,
    extendEnv: false,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : undefined,
    reject: false,
    stripFinalNewline: true,
  });
  if (result.failed) {
    const spawnFailed = result.exitCode === undefined;
    const stderr = spawnFailed
      ? `${result.shortMessage ?? ''}${(result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ? ' (is git installed and on PATH?)' : ''}`
      : String(result.stderr ?? '');
    throw new GitError(args, result.exitCode, stderr, options.cwd);
  }
  return String(result.stdout ?? '').trim();
}

/** The full commit sha of `ref` in `repo`; UserError when it does not name a commit. */
export async function resolveRef(repo: string, ref: string): Promise<string> {
  if (ref.trim() === '' || ref.startsWith('-')) throw new UserError(`"${ref}" is not a git ref; give a branch, tag or commit.`);
  try {
    return await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd: repo });
  } catch (error) {
    if (!(error instanceof GitError) || error.exitCode === undefined) throw error;
    const shallow = await git(['rev-parse', '--is-shallow-repository'], { cwd: repo }).catch(() => 'false');
    const hint =
      shallow === 'true'
        ? ' The clone is shallow: fetch more history (actions/checkout with fetch-depth: 0, or git fetch --unshallow).'
        : ' Fetch it first (git fetch origin <ref>) or check the spelling.';
    throw new UserError(`git ref "${ref}" is not a commit in ${repo}.${hint}`);
  }
}

/** The absolute top-level directory of the git repository containing `dir`; UserError outside a repository. */
export async function repoTopLevel(dir: string): Promise<string> {
  try {
    return await git(['rev-parse', '--show-toplevel'], { cwd: dir });
  } catch (error) {
    if (error instanceof GitError && error.exitCode !== undefined) {
      throw new UserError(`${dir} is not inside a git repository; run self-harness from a git checkout (git init, or actions/checkout in CI).`);
    }
    throw error;
  }
}
