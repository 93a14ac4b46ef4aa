// The bot branch algorithm, pure git: one branch per target, credentials injected per command (never written to
// .git/config), never the default branch, and a person's commits on the bot branch are never overwritten.
import { git } from '../git/git.js';
import { UserError } from '../domain/types.js';

export interface BotIdentity {
  name: string;
  email: string;
}

/** The identity GITHUB_TOKEN pushes appear as; also what the bot authors its commits with. */
export const DEFAULT_BOT_IDENTITY: BotIdentity = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
};

export function botBranchName(prefix: string, target: string): string {
  return `${prefix}${target}`;
}

export interface RemoteCommit {
  sha: string;
  authorEmail: string;
  authorName: string;
  /** A rebase or amend by a person keeps the bot as author but makes them the committer. */
  committerEmail?: string;
}

export interface PushFacts {
  /** The bot branch for this target. */
  branch: string;
  defaultBranch: string;
  newCommit: string;
  /** Tip of the bot branch on the remote; undefined when it does not exist. */
  remoteTip?: string;
  /** remoteTip is an ancestor of newCommit (a plain fast-forward). */
  remoteTipIsAncestor: boolean;
  /** The remote tip already holds this exact change (same tree, same parent): nothing to push. */
  remoteTipSameChange?: boolean;
  /** Commits on the remote bot branch that are neither in the base nor ours to replace. */
  remoteOnlyCommits: RemoteCommit[];
  bot: BotIdentity;
}

export type PushPlan =
  | { kind: 'unchanged'; branch: string; tip: string }
  | { kind: 'create'; branch: string }
  | { kind: 'update'; branch: string; lease: string }
  | { kind: 'divert'; branch: string; blockedBranch: string; foreign: RemoteCommit[] };

export function assertNotDefaultBranch(branch: string, defaultBranch: string): void {
  const name = branch.replace(/^refs\/heads\//, '');
  if (name === defaultBranch || name === 'HEAD' || name === '') {
    throw new UserError(
      `refusing to push to "${branch}": self-harness never pushes to the default branch (${defaultBranch}); changes go to a bot branch and a pull request.`,
    );
  }
}

/** Decides where and how to push. Pure. */
export function decidePush(facts: PushFacts): PushPlan {
  assertNotDefaultBranch(facts.branch, facts.defaultBranch);
  if (facts.remoteTip === undefined) return { kind: 'create', branch: facts.branch };
  if (facts.remoteTipSameChange) return { kind: 'unchanged', branch: facts.branch, tip: facts.remoteTip };
  if (facts.remoteTipIsAncestor) return { kind: 'update', branch: facts.branch, lease: facts.remoteTip };
  const isBot = (email: string | undefined) => email === undefined || email.toLowerCase() === facts.bot.email.toLowerCase();
  const foreign = facts.remoteOnlyCommits.filter((c) => !isBot(c.authorEmail) || !isBot(c.committerEmail));
  if (foreign.length === 0) return { kind: 'update', branch: facts.branch, lease: facts.remoteTip };
  const diverted = `${facts.branch}-${facts.newCommit.slice(0, 7)}`;
  assertNotDefaultBranch(diverted, facts.defaultBranch);
  return { kind: 'divert', branch: diverted, blockedBranch: facts.branch, foreign };
}

export function basicCredential(token: string): string {
  return Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64');
}

/**
 * Env that gives one git command the token as an HTTP header, for the remote's host only, without touching
 * any config file. A header persisted by actions/checkout for the same host is reset first.
 */
export function credentialEnv(token: string, remoteUrl: string): Record<string, string> {
  const entries: [string, string][] = [];
  const header = `AUTHORIZATION: basic ${basicCredential(token)}`;
  let origin: string | undefined;
  try {
    const url = new URL(remoteUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') origin = `${url.protocol}//${url.host}/`;
  } catch {
    origin = undefined;
  }
  if (origin) {
    entries.push([`http.${origin}.extraheader`, ''], [`http.${origin}.extraheader`, header]);
  }
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

export interface PushOptions {
  cwd: string;
  remote?: string;
  token: string;
  branch: string;
  defaultBranch: string;
  newCommit: string;
  /** The commit the change was made on; remote commits reachable from it are not "on the bot branch". */
  baseCommit: string;
  bot?: BotIdentity;
}

export interface PushOutcome {
  plan: PushPlan;
  /** The branch actually pushed. */
  branch: string;
}

const TIP_REF = 'refs/self-harness/remote-tip';

export async function pushBotBranch(options: PushOptions): Promise<PushOutcome> {
  const remote = options.remote ?? 'origin';
  const bot = options.bot ?? DEFAULT_BOT_IDENTITY;
  assertNotDefaultBranch(options.branch, options.defaultBranch);
  const remoteUrl = await git(['remote', 'get-url', remote], { cwd: options.cwd });
  const env = credentialEnv(options.token, remoteUrl);
  const ref = `refs/heads/${options.branch}`;
  const listed = await git(['ls-remote', '--end-of-options', remote, ref], { cwd: options.cwd, env });
  const remoteTip = listed
    .split('\n')
    .map((line) => line.split('\t'))
    .find(([, name]) => name === ref)?.[0];

  let remoteTipIsAncestor = false;
  let remoteTipSameChange = false;
  let remoteOnlyCommits: RemoteCommit[] = [];
  if (remoteTip) {
    await git(['fetch', '--no-tags', '--quiet', remote, `+${ref}:${TIP_REF}`], { cwd: options.cwd, env });
    remoteTipIsAncestor = await git(['merge-base', '--is-ancestor', remoteTip, options.newCommit], { cwd: options.cwd }).then(
      () => true,
      () => false,
    );
    const [tipTree, newTree, tipParents] = await Promise.all([
      git(['rev-parse', `${remoteTip}^{tree}`], { cwd: options.cwd }),
      git(['rev-parse', `${options.newCommit}^{tree}`], { cwd: options.cwd }),
      git(['rev-list', '--parents', '-n', '1', remoteTip], { cwd: options.cwd }),
    ]);
    remoteTipSameChange = tipTree === newTree && tipParents.split(' ').slice(1).join(' ') === options.baseCommit;
    const log = await git(['log', '--format=%H%x00%ae%x00%an%x00%ce', remoteTip, '--not', options.baseCommit, '--'], { cwd: options.cwd });
    remoteOnlyCommits = log
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [sha = '', authorEmail = '', authorName = '', committerEmail = ''] = line.split('\0');
        return { sha, authorEmail, authorName, committerEmail };
      });
  }

  const plan = decidePush({
    branch: options.branch,
    defaultBranch: options.defaultBranch,
    newCommit: options.newCommit,
    remoteTip,
    remoteTipIsAncestor,
    remoteTipSameChange,
    remoteOnlyCommits,
    bot,
  });
  if (plan.kind === 'unchanged') {
    await git(['update-ref', '-d', TIP_REF], { cwd: options.cwd }).catch(() => undefined);
    return { plan, branch: plan.branch };
  }
  const target = `refs/heads/${plan.branch}`;
  const lease = plan.kind === 'update' ? `${target}:${plan.lease}` : `${target}:`;
  await git(['push', '--no-verify', '--quiet', `--force-with-lease=${lease}`, remote, `${options.newCommit}:${target}`], { cwd: options.cwd, env });
  await git(['update-ref', '-d', TIP_REF], { cwd: options.cwd }).catch(() => undefined);
  return { plan, branch: plan.branch };
}

const BASE_TIP_REF = 'refs/self-harness/base-tip';

/**
 * The tip of `branch` on the remote, fetched into the checkout (the `base` input: a bot PR into another branch than
 * the one the workflow ran on). A UserError naming the branch when the remote has none of that name.
 */
export async function fetchBranchTip(cwd: string, token: string, branch: string, remote = 'origin'): Promise<string> {
  const remoteUrl = await git(['remote', 'get-url', remote], { cwd });
  const env = credentialEnv(token, remoteUrl);
  const ref = `refs/heads/${branch}`;
  const listed = await git(['ls-remote', '--end-of-options', remote, ref], { cwd, env });
  const tip = listed
    .split('\n')
    .map((line) => line.split('\t'))
    .find(([, name]) => name === ref)?.[0];
  if (!tip)
    throw new UserError(
      `input "base": the repository has no branch "${branch}". Name an existing branch, or leave base empty for the branch the workflow runs on.`,
    );
  await git(['fetch', '--no-tags', '--quiet', remote, `+${ref}:${BASE_TIP_REF}`], { cwd, env });
  return tip;
}

/** Fetches commits by SHA (PR head/base) when the checkout does not have them yet. */
export async function ensureCommits(cwd: string, token: string, shas: string[], remote = 'origin'): Promise<void> {
  // One `cat-file --batch-check` for all of them (this runs on every PR, also when nothing is to be validated).
  const answers = (await git(['cat-file', '--batch-check=%(objecttype)'], { cwd, input: shas.map((sha) => `${sha}^{commit}`).join('\n') + '\n' })).split('\n');
  const missing = shas.filter((_, i) => answers[i]?.trim() !== 'commit');
  if (missing.length === 0) return;
  const remoteUrl = await git(['remote', 'get-url', remote], { cwd });
  await git(['fetch', '--no-tags', '--quiet', remote, ...missing], { cwd, env: credentialEnv(token, remoteUrl) });
}
