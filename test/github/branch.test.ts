import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { credentialEnv, decidePush, DEFAULT_BOT_IDENTITY, pushBotBranch, type PushFacts } from '../../src/github/branch.js';
import { UserError } from '../../src/domain/types.js';
import { git, gitEnv, makeRepo, tempDir } from '../helpers/git.js';
import { startGitHttp, type GitHttpServer } from '../helpers/git-http.js';

const bot = DEFAULT_BOT_IDENTITY;
const facts = (extra: Partial<PushFacts>): PushFacts => ({
  branch: 'self-harness/main',
  defaultBranch: 'main',
  newCommit: 'abcdef1234567890abcdef1234567890abcdef12',
  remoteTipIsAncestor: false,
  remoteOnlyCommits: [],
  bot,
  ...extra,
});

describe('decidePush', () => {
  it('creates a missing branch and fast-forwards an ancestor', () => {
    expect(decidePush(facts({}))).toEqual({ kind: 'create', branch: 'self-harness/main' });
    expect(decidePush(facts({ remoteTip: 'r1', remoteTipIsAncestor: true }))).toEqual({ kind: 'update', branch: 'self-harness/main', lease: 'r1' });
  });

  it("replaces the bot's own earlier commits with a lease on the remote tip", () => {
    const own = [{ sha: 'r1', authorEmail: bot.email.toUpperCase(), authorName: bot.name }];
    expect(decidePush(facts({ remoteTip: 'r1', remoteOnlyCommits: own }))).toEqual({ kind: 'update', branch: 'self-harness/main', lease: 'r1' });
  });

  it('diverts to <branch>-<short sha> when a person pushed to the bot branch', () => {
    const commits = [
      { sha: 'r2', authorEmail: 'alice@example.com', authorName: 'Alice' },
      { sha: 'r1', authorEmail: bot.email, authorName: bot.name },
    ];
    expect(decidePush(facts({ remoteTip: 'r2', remoteOnlyCommits: commits }))).toEqual({
      kind: 'divert',
      branch: 'self-harness/main-abcdef1',
      blockedBranch: 'self-harness/main',
      foreign: [commits[0]],
    });
  });

  it('pushes nothing when the remote tip already holds the same change on the same base', () => {
    expect(decidePush(facts({ remoteTip: 'r1', remoteTipSameChange: true }))).toEqual({ kind: 'unchanged', branch: 'self-harness/main', tip: 'r1' });
  });

  it('treats a bot-authored commit re-committed by a person (rebase, amend) as theirs', () => {
    const rebased = [{ sha: 'r1', authorEmail: bot.email, authorName: bot.name, committerEmail: 'alice@example.com' }];
    expect(decidePush(facts({ remoteTip: 'r1', remoteOnlyCommits: rebased })).kind).toBe('divert');
  });

  it('refuses the default branch whatever the facts', () => {
    expect(() => decidePush(facts({ branch: 'main' }))).toThrow(UserError);
    expect(() => decidePush(facts({ branch: 'refs/heads/main', remoteTip: 'x', remoteTipIsAncestor: true }))).toThrow(/never pushes to the default branch/);
  });
});

describe('credentialEnv', () => {
  it('resets any persisted header for the host and sets ours, through env only', () => {
    const env = credentialEnv('tok', 'https://github.com/o/r.git');
    expect(env).toEqual({
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'http.https://github.com/.extraheader',
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: 'http.https://github.com/.extraheader',
      GIT_CONFIG_VALUE_1: `AUTHORIZATION: basic ${Buffer.from('x-access-token:tok').toString('base64')}`,
    });
  });
});

describe('pushBotBranch against a token-protected HTTP remote', () => {
  let server: GitHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function setup() {
    const seed = makeRepo({ 'harness/p.md': 'v0\n' });
    const root = tempDir('sh-branch-remote-');
    const bare = path.join(root, 'r.git');
    git(root, 'clone', '-q', '--bare', seed, bare);
    git(bare, 'config', 'http.receivepack', 'true');
    server = await startGitHttp(root, { token: 'tok' });
    const work = tempDir('sh-branch-work-');
    git(work, 'init', '-q');
    git(work, 'remote', 'add', 'origin', `${server.url}/r.git`);
    git(work, 'fetch', '-q', bare, '+refs/heads/main:refs/remotes/origin/main');
    const base = git(work, 'rev-parse', 'origin/main');
    const commit = (text: string, email = bot.email) => {
      const blob = execaSync(work, ['hash-object', '-w', '--stdin'], text);
      const newTree = execaSync(work, ['mktree'], `100644 blob ${blob}\tp.md\n`);
      return execaSync(work, ['commit-tree', newTree, '-p', base, '-m', text], '', { GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_EMAIL: email });
    };
    return { bare, work, base, commit };
  }

  function execaSync(cwd: string, args: string[], input = '', env: Record<string, string> = {}): string {
    return execFileSync('git', args, { cwd, input, encoding: 'utf8', env: { ...process.env, ...gitEnv, ...env } }).trim();
  }

  it('creates, then replaces its own commit, without writing the token to .git/config', async () => {
    const { bare, work, base, commit } = await setup();
    const first = commit('one');
    const a = await pushBotBranch({ cwd: work, token: 'tok', branch: 'self-harness/main', defaultBranch: 'main', newCommit: first, baseCommit: base });
    expect(a.plan.kind).toBe('create');
    const second = commit('two');
    const b = await pushBotBranch({ cwd: work, token: 'tok', branch: 'self-harness/main', defaultBranch: 'main', newCommit: second, baseCommit: base });
    expect(b.plan).toEqual({ kind: 'update', branch: 'self-harness/main', lease: first });
    expect(git(bare, 'rev-parse', 'refs/heads/self-harness/main')).toBe(second);
    expect(readFileSync(path.join(work, '.git', 'config'), 'utf8')).not.toMatch(/extraheader|basic/i);
    expect(server!.requests.every((r) => r.authorization)).toBe(true);
    // The same change again (a re-run finding the same edit): nothing pushed, the branch keeps its commit.
    const again = commit('two');
    const c = await pushBotBranch({ cwd: work, token: 'tok', branch: 'self-harness/main', defaultBranch: 'main', newCommit: again, baseCommit: base });
    expect(c.plan).toEqual({ kind: 'unchanged', branch: 'self-harness/main', tip: second });
    expect(git(bare, 'rev-parse', 'refs/heads/self-harness/main')).toBe(second);
  });

  it("does not overwrite a person's commit: pushes to a new branch", async () => {
    const { bare, work, base, commit } = await setup();
    const theirs = commit('by hand', 'alice@example.com');
    git(work, 'push', '-q', bare, `${theirs}:refs/heads/self-harness/main`);
    const ours = commit('bot');
    const outcome = await pushBotBranch({ cwd: work, token: 'tok', branch: 'self-harness/main', defaultBranch: 'main', newCommit: ours, baseCommit: base });
    expect(outcome.plan.kind).toBe('divert');
    expect(outcome.branch).toBe(`self-harness/main-${ours.slice(0, 7)}`);
    expect(git(bare, 'rev-parse', 'refs/heads/self-harness/main')).toBe(theirs);
    expect(git(bare, 'rev-parse', `refs/heads/${outcome.branch}`)).toBe(ours);
  });

  it('refuses to push to the default branch before touching the remote', async () => {
    const { work, base, commit } = await setup();
    const before = server!.requests.length;
    await expect(pushBotBranch({ cwd: work, token: 'tok', branch: 'main', defaultBranch: 'main', newCommit: commit('x'), baseCommit: base })).rejects.toThrow(
      /never pushes to the default branch/,
    );
    expect(server!.requests.length).toBe(before);
  });

  it("fails with git's message when the token is wrong", async () => {
    const { work, base, commit } = await setup();
    await expect(
      pushBotBranch({ cwd: work, token: 'wrong', branch: 'self-harness/main', defaultBranch: 'main', newCommit: commit('x'), baseCommit: base }),
    ).rejects.toThrow(/git ls-remote .* failed/);
  });
});
