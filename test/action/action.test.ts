// Black-box tests of the action as GitHub runs it: `node index.js` under Node 24 with the runner's env, against a
// REST double that validates every request with GitHub's OpenAPI description and a real git remote over HTTP.
// The core flows are small stand-ins (stand-in-flows.ts) so these tests pin the GitHub plumbing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseFiles, bundleAction, createWorld, examplePayload, runAction, TOKEN, type World } from './fixture.js';
import { removeDir } from '../helpers/git.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let bundle: string;
let world: World | undefined;

beforeAll(async () => {
  bundle = await bundleAction(path.join(here, 'stand-in-entry.ts'));
});

afterAll(() => {
  if (bundle) removeDir(path.dirname(bundle));
});

afterEach(async () => {
  if (world) {
    expect(world.github.violations).toEqual([]);
    await world.close();
  }
  world = undefined;
});

const BOT_EMAIL = '41898282+github-actions[bot]@users.noreply.github.com';

function schedulePayload() {
  const payload = examplePayload('workflow_dispatch');
  delete payload.inputs;
  return { schedule: '17 3 * * 1', repository: payload.repository, sender: payload.sender };
}

function pullPayload(w: World, pull: { number: number; headRef: string; headSha: string; baseSha: string }) {
  const payload = examplePayload('pull_request', 'synchronize');
  payload.number = pull.number;
  payload.pull_request.number = pull.number;
  payload.pull_request.head.ref = pull.headRef;
  payload.pull_request.head.sha = pull.headSha;
  payload.pull_request.head.repo = { ...payload.repository };
  payload.pull_request.base.ref = 'main';
  payload.pull_request.base.sha = pull.baseSha;
  payload.pull_request.base.repo = { ...payload.repository };
  return payload;
}

function commentPayload(issueNumber: number, commentId: number, login: string, body: string) {
  const payload = examplePayload('issue_comment', 'created');
  payload.issue.number = issueNumber;
  payload.issue.pull_request = { url: `http://api.test/repos/octo-org/agent/pulls/${issueNumber}` };
  payload.comment.id = commentId;
  payload.comment.body = body;
  payload.comment.user.login = login;
  // Deliberately "OWNER": the action must not trust author_association.
  payload.comment.author_association = 'OWNER';
  return payload;
}

/**
 * The workflow commands a runner would execute from this stdout: `::name args::value` lines, except while commands
 * are stopped by `::stop-commands::TOKEN` until `::TOKEN::`.
 */
function workflowCommands(stdout: string): { name: string; value: string }[] {
  const commands: { name: string; value: string }[] = [];
  let stopped: string | undefined;
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trimStart();
    if (stopped) {
      if (line === `::${stopped}::`) stopped = undefined;
      continue;
    }
    const m = /^::([A-Za-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'stop-commands') stopped = m[2];
    else commands.push({ name: m[1]!, value: m[2]! });
  }
  return commands;
}

/** The pull_request event GitHub sends for the bot's PR after the bot pushed (with an App token; never with GITHUB_TOKEN). */
function botPullPayload(w: World, number: number) {
  const pull = w.github.state.pulls.find((p) => p.number === number)!;
  return pullPayload(w, {
    number,
    headRef: pull.head.ref,
    headSha: w.bareGit('rev-parse', `refs/heads/${pull.head.ref}`),
    baseSha: w.bareGit('rev-parse', 'refs/heads/main'),
  });
}

function mergeGroupPayload(headSha: string, baseSha: string) {
  const payload = examplePayload('merge_group', 'checks_requested');
  payload.merge_group.head_sha = headSha;
  payload.merge_group.base_sha = baseSha;
  payload.merge_group.head_ref = 'refs/heads/gh-readonly-queue/main/pr-7-' + baseSha;
  payload.merge_group.base_ref = 'refs/heads/main';
  return payload;
}

/** Opens PR #7 from `feature` changing the harness; returns the SHAs. */
function openFeaturePull(w: World, harnessText: string, extraFiles: Record<string, string> = {}) {
  const baseSha = w.bareGit('rev-parse', 'refs/heads/main');
  const headSha = w.pushBranch('feature', { 'harness/prompt.md': harnessText, ...extraFiles });
  w.github.addPull({
    number: 7,
    head: { ref: 'feature', sha: headSha, repoFullName: 'octo-org/agent' },
    base: { ref: 'main', sha: baseSha },
    files: ['harness/prompt.md', ...Object.keys(extraFiles)],
  });
  return { baseSha, headSha };
}

describe('schedule and workflow_dispatch: evolve and the bot PR', () => {
  it('opens a labelled PR from self-harness/main with a bot commit, pushing with a per-command token', async () => {
    world = await createWorld();
    // actions/checkout (persist-credentials: true) leaves a header for the host in .git/config; ours must win.
    world.git('config', `http.${world.gitHttp.url}/.extraheader`, `AUTHORIZATION: basic ${Buffer.from('x-access-token:stale').toString('base64')}`);
    const run = await runAction(bundle, world, { name: 'schedule', payload: schedulePayload() });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ decision: 'promote', 'pr-number': '1', 'pr-url': 'https://github.test/octo-org/agent/pull/1' });
    expect(run.outputs['report-path']).toMatch(/evolve\.json$/);

    const [pull] = world.github.state.pulls;
    expect(world.github.state.pulls).toHaveLength(1);
    expect(pull).toMatchObject({ head: { ref: 'self-harness/main' }, base: { ref: 'main' }, labels: ['self-harness'] });
    expect(pull!.body).toContain('<!-- self-harness:bot-pr -->');
    expect(pull!.body).toContain('Always check the exit code');

    const tip = world.bareGit('rev-parse', 'refs/heads/self-harness/main');
    expect(world.bareGit('log', '-1', '--format=%ae', tip)).toBe(BOT_EMAIL);
    expect(world.bareGit('rev-parse', `${tip}^`)).toBe(world.bareGit('rev-parse', 'refs/heads/main'));
    expect(world.bareGit('show', `${tip}:harness/prompt.md`)).toContain('Always check the exit code');
    // main untouched; the token never lands in the workspace's git config; the push carried it.
    expect(world.bareGit('log', '--format=%s', 'refs/heads/main')).toBe('initial');
    expect(readFileSync(path.join(world.workspace, '.git', 'config'), 'utf8')).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));
    expect(world.gitHttp.requests.some((r) => r.url.includes('git-receive-pack') && r.authorization)).toBe(true);
    expect(run.summary).toContain('self-harness evolve: promote');
    expect(run.stdout).toContain('::warning::actions/checkout persisted a token in .git/config');
    expect(run.calls).toEqual([expect.objectContaining({ kind: 'evolve', rounds: 3 })]);
    // The bot's head carries its own completed check: pushes made with GITHUB_TOKEN start no workflow to post one.
    expect(world.github.state.checkRuns).toEqual([
      expect.objectContaining({ name: 'self-harness / regression-validation', head_sha: tip, status: 'completed', conclusion: 'success' }),
    ]);
    const check = world.github.state.checkRuns[0]!;
    expect(check.output.title).toBe('+25.0 pts [95% CI +5.0, +45.0], 0 regressions, 8 episodes');
    expect(check.output.summary).toContain('self-harness evolve: promote');
    expect(check.output.summary).toContain('Per-task results, train split (4 tasks, 1 with a different pass rate)');
    expect(check.output.summary).toContain('| `t2` | 0/1 | 1/1 | +100.0 pts | ✅ fixed |');
    expect(check.annotations).toEqual([
      expect.objectContaining({
        path: 'harness/prompt.md',
        annotation_level: 'notice',
        title: 'self-harness: promote (+25.0 pts on train)',
        message: expect.stringContaining('train pass rate 50.0% → 75.0% over 4 tasks (paired +25.0 pts [95% CI +5.0, +45.0]); fixed: t2; regressed: none.'),
      }),
    ]);
    expect(run.outputs['check-run-id']).toBe(String(check.id));
    expect(run.outputs['check-run-url']).toBe(`https://github.test/octo-org/agent/runs/${check.id}`);
    expect(run.outputs['train-delta']).toBe('25.0');
  });

  it('shows the pass rate of each version promoted by earlier runs, from the committed history, in the PR body', async () => {
    const promoted = (id: string, at: string, before: number, after: number) =>
      JSON.stringify({
        id,
        round: 1,
        parentHash: 'p',
        weaknessId: 'w',
        mechanism: 'm',
        summary: 's',
        diff: '',
        decision: 'promote',
        reason: 'r',
        numbers: { train_baseline_rate: before, train_candidate_rate: after },
        at,
        proposer: 'patterns',
      });
    world = await createWorld({
      files: {
        ...baseFiles,
        '.self-harness/history.jsonl':
          [promoted('c-1', '2026-11-02T03:00:00Z', 0.3, 0.45), promoted('c-2', '2026-11-09T03:00:00Z', 0.45, 0.6)].join('\n') + '\n',
      },
    });
    const run = await runAction(bundle, world, { name: 'schedule', payload: schedulePayload() });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const body = world.github.state.pulls[0]!.body;
    expect(body).toContain('### Pass rate across runs');
    expect(body).toContain('x-axis ["start", "2026-11-02", "2026-11-09"]');
    expect(body).toContain('line [30.0, 45.0, 60.0]');
  });

  it('evolves from the tip of the base input and opens the PR into it; an unknown base fails the step naming it', async () => {
    world = await createWorld();
    const devTip = world.pushBranch('dev', { 'README.md': '# agent (dev)\n' });
    const run = await runAction(bundle, world, { name: 'schedule', payload: schedulePayload() }, { base: 'dev' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(world.github.state.pulls).toEqual([
      expect.objectContaining({ head: expect.objectContaining({ ref: 'self-harness/dev' }), base: expect.objectContaining({ ref: 'dev' }) }),
    ]);
    const tip = world.bareGit('rev-parse', 'refs/heads/self-harness/dev');
    expect(world.bareGit('rev-parse', `${tip}^`)).toBe(devTip);
    expect(run.calls).toEqual([expect.objectContaining({ kind: 'evolve', base: devTip })]);

    const missing = await runAction(bundle, world, { name: 'schedule', payload: schedulePayload() }, { base: 'no-such-branch' });
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stdout).toContain('input "base": the repository has no branch "no-such-branch"');
  });

  it('opens the bot PR with the title, draft state, commit message and annotation cap the workflow asks for', async () => {
    world = await createWorld();
    const inputs = {
      title: 'Harness: weekly improvement',
      draft: 'true',
      'commit-message': 'harness: weekly improvement\n\nFrom the scheduled run.',
      'max-annotations': '0',
      reviewers: 'ada, grace',
      'team-reviewers': 'harness-reviewers',
    };
    const run = await runAction(bundle, world, { name: 'schedule', payload: schedulePayload() }, inputs);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(world.bareGit('log', '-1', '--format=%B', 'refs/heads/self-harness/main').trim()).toBe('harness: weekly improvement\n\nFrom the scheduled run.');
    expect(world.github.state.checkRuns[0]!.annotations ?? []).toEqual([]);
    expect(world.github.state.pulls[0]!.title).toBe('Harness: weekly improvement');
    const create = world.github.requests.find((r) => r.method === 'POST' && /\/pulls$/.test(r.path));
    expect(create?.body).toMatchObject({ title: 'Harness: weekly improvement', draft: true });
    expect(world.github.state.pulls[0]).toMatchObject({ requestedReviewers: ['ada', 'grace'], requestedTeams: ['harness-reviewers'] });
    expect(world.github.violations).toEqual([]);
  });

  it("the pull_request run GitHub starts for the bot's push (App token) keeps the posted verdict instead of validating again", async () => {
    world = await createWorld();
    const evolved = await runAction(bundle, world, { name: 'schedule', payload: schedulePayload() });
    expect(evolved.exitCode, evolved.stdout + evolved.stderr).toBe(0);
    const synchronize = await runAction(bundle, world, { name: 'pull_request', payload: botPullPayload(world, 1) });
    expect(synchronize.exitCode, synchronize.stdout + synchronize.stderr).toBe(0);
    expect(synchronize.calls).toEqual([]);
    expect(synchronize.stdout).toMatch(/already carries a completed "self-harness \/ regression-validation" check \(success\)/);
    expect(world.github.state.checkRuns).toHaveLength(1);
    // A person pushing to the bot branch gets the new head validated as usual.
    const theirs = world.pushBranch(
      'self-harness/main',
      { 'harness/prompt.md': '# Agent prompt\n\nREGRESS\n' },
      { from: 'origin/self-harness/main', author: { name: 'Alice', email: 'alice@example.com' } },
    );
    const pushed = await runAction(bundle, world, { name: 'pull_request', payload: botPullPayload(world, 1) });
    expect(pushed.exitCode, pushed.stdout + pushed.stderr).toBe(0);
    expect(pushed.calls).toEqual([expect.objectContaining({ kind: 'validate', head: theirs })]);
    expect(world.github.state.checkRuns.at(-1)).toMatchObject({ head_sha: theirs, conclusion: 'failure' });
  });

  it('a second run updates the same PR instead of opening a duplicate', async () => {
    world = await createWorld();
    const first = await runAction(bundle, world, { name: 'schedule', payload: schedulePayload() }, {}, { STANDIN_TAG: 'first' });
    expect(first.exitCode, first.stdout).toBe(0);
    expect(first.stdout).not.toContain('persisted a token');
    const second = await runAction(
      bundle,
      world,
      { name: 'workflow_dispatch', payload: examplePayload('workflow_dispatch') },
      { rounds: '2' },
      { STANDIN_TAG: 'second' },
    );
    expect(second.exitCode, second.stdout).toBe(0);
    expect(second.outputs['pr-number']).toBe('1');
    expect(world.github.state.pulls).toHaveLength(1);
    expect(world.github.state.pulls[0]!.body).toContain('(second)');
    expect(world.github.requests.filter((r) => r.operationId === 'pulls/create')).toHaveLength(1);
    expect(world.github.requests.filter((r) => r.operationId === 'pulls/update')).toHaveLength(1);
    expect(world.bareGit('show', 'refs/heads/self-harness/main:harness/prompt.md')).toContain('(second)');
    expect(second.calls[0]).toMatchObject({ rounds: 2 });
    // Each pushed head has its completed check; the PR's current head is the second one.
    const tip = world.bareGit('rev-parse', 'refs/heads/self-harness/main');
    expect(world.github.state.checkRuns.map((c) => [c.head_sha === tip, c.conclusion])).toEqual([
      [false, 'success'],
      [true, 'success'],
    ]);
    // A third run producing the same change pushes nothing and keeps the check it finds on the head.
    const third = await runAction(bundle, world, { name: 'schedule', payload: schedulePayload() }, {}, { STANDIN_TAG: 'second' });
    expect(third.exitCode, third.stdout).toBe(0);
    expect(world.bareGit('rev-parse', 'refs/heads/self-harness/main')).toBe(tip);
    expect(world.github.state.checkRuns).toHaveLength(2);
    expect(third.outputs['check-run-id']).toBe(String(world.github.state.checkRuns[1]!.id));
  });

  it("renders a model's diagnosis inert: no mention, no HTML, no image, no escaped fence", async () => {
    world = await createWorld();
    const diagnosis = 'cc @acme/security-team <img src=https://evil.test/p.png> ![x](https://evil.test/t.png) see #12 ``` </details> <script>x</script>';
    const run = await runAction(bundle, world, { name: 'schedule', payload: schedulePayload() }, {}, { STANDIN_DIAGNOSIS: diagnosis });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const texts = { body: world.github.state.pulls[0]!.body!, summary: world.github.state.checkRuns[0]!.output.summary!, job: run.summary };
    for (const [where, text] of Object.entries(texts)) {
      expect(text, where).not.toMatch(/@acme/);
      expect(text, where).toContain('@\u200bacme/security-team');
      expect(text, where).not.toMatch(/<img|<script|!\[x\]\(/);
      expect(text, where).toContain('&lt;img src=');
      expect(text, where).not.toMatch(/(^|[^\\])#12/);
      // No fence can open inside prose: every ``` left starts a line (the renderer's own fences).
      expect(
        text.split('\n').filter((line) => line.includes('```') && !line.startsWith('```')),
        where,
      ).toEqual([]);
      expect(text, where).not.toContain('</details> &lt;script');
      // The renderer's own diff fence still closes: the diff is code, the text after it is not.
      expect(text, where).toContain('```diff');
    }
    // The body's own collapsed sections close on lines of their own; the diagnosis's `</details>` never closes one.
    expect(texts.body.split('\n').filter((line) => line.includes('</details>') && line !== '</details>')).toEqual([]);
  });

  it('puts the CLI it ships on PATH for episodes and later steps, with no package install', async () => {
    world = await createWorld();
    const cli = path.join(path.dirname(bundle), 'cli.js');
    writeFileSync(cli, 'console.log(`shipped cli ${process.argv.slice(2).join(" ")}`);\n');
    try {
      const run = await runAction(bundle, world, { name: 'schedule', payload: schedulePayload() }, {}, { STANDIN_RUN_CLI: '1' });
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(run.calls[0]).toEqual({ kind: 'cli', output: 'shipped cli --version' });
    } finally {
      rmSync(cli);
    }
  });

  it('episode output printed to the log cannot issue workflow commands', async () => {
    world = await createWorld();
    const output = '::add-mask::ghp_notasecret\n::warning file=run.js::forged warning\n  ::set-output name=decision::promote\n::error::forged error';
    const run = await runAction(bundle, world, { name: 'schedule', payload: schedulePayload() }, {}, { STANDIN_EPISODE_OUTPUT: output });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('::add-mask::ghp_notasecret');
    const commands = workflowCommands(run.stdout);
    expect(commands.filter((c) => /notasecret|forged|set-output/.test(c.value + c.name))).toEqual([]);
    expect(commands.map((c) => c.name)).toContain('group');
  });

  it("leaves a person's commit on the bot branch alone and pushes to a new branch", async () => {
    world = await createWorld();
    const theirs = world.pushBranch(
      'self-harness/main',
      { 'harness/prompt.md': '# tweaked by hand\n' },
      { author: { name: 'Alice', email: 'alice@example.com' } },
    );
    const run = await runAction(bundle, world, { name: 'schedule', payload: schedulePayload() });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(world.bareGit('rev-parse', 'refs/heads/self-harness/main')).toBe(theirs);
    const branches = world.bareGit('for-each-ref', '--format=%(refname:short)', 'refs/heads/self-harness/').split('\n');
    const diverted = branches.find((b) => /^self-harness\/main-[0-9a-f]{7}$/.test(b));
    expect(diverted).toBeDefined();
    expect(world.github.state.pulls).toHaveLength(1);
    expect(world.github.state.pulls[0]!.head.ref).toBe(diverted);
    expect(world.github.state.pulls[0]!.body).toMatch(/has commits pushed by someone else .*Alice/);
  });

  it('refuses to push a promoted change that touches files outside the harness surface', async () => {
    world = await createWorld();
    const run = await runAction(bundle, world, { name: 'schedule', payload: schedulePayload() }, {}, { STANDIN_OUTSIDE: '1' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/::error::refusing to push: .*outside the harness surface/);
    expect(run.stdout).toContain('run.js');
    expect(world.bareGit('for-each-ref', 'refs/heads/self-harness/')).toBe('');
    expect(world.github.state.pulls).toHaveLength(0);
  });

  it('opens no PR when evolution promotes nothing', async () => {
    world = await createWorld();
    const run = await runAction(bundle, world, { name: 'schedule', payload: schedulePayload() }, {}, { STANDIN_EVOLVE: 'inconclusive' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ decision: 'inconclusive', 'pr-number': '' });
    expect(world.github.state.pulls).toHaveLength(0);
    expect(world.bareGit('for-each-ref', 'refs/heads/self-harness/')).toBe('');
  });

  it('survives 5xx and secondary rate limits, and finds the PR on 422 "already exists"', async () => {
    world = await createWorld();
    world.github.fail('5xx', 2, { method: 'GET', path: /\/pulls$/ });
    world.github.fail('secondary-rate-limit', 1, { method: 'POST', path: /\/labels$/ });
    world.github.fail('already-exists', 1, { method: 'POST', path: /\/pulls$/ });
    const run = await runAction(bundle, world, { name: 'schedule', payload: schedulePayload() });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(world.github.state.pulls).toHaveLength(1);
    expect(world.github.state.pulls[0]!.body).toContain('<!-- self-harness:bot-pr -->');
    expect(world.github.state.pulls[0]!.labels).toEqual(['self-harness']);
    const statuses = world.github.requests.map((r) => r.status);
    expect(statuses).toContain(502);
    expect(statuses).toContain(403);
    expect(run.outputs['pr-number']).toBe('1');
  });
});

describe('pull_request: the regression-validation check run', () => {
  it('posts success on the PR head SHA (not the merge commit) with notices on the changed lines', async () => {
    world = await createWorld();
    const { baseSha, headSha } = openFeaturePull(world, '# Agent prompt\n\nSolve the task.\nAlways check the exit code.\n');
    world.git('fetch', '-q', world.bare, 'feature');
    world.git('-c', 'user.name=GitHub', '-c', 'user.email=noreply@github.com', 'merge', '-q', '--no-ff', '-m', 'Merge feature into main', 'FETCH_HEAD');
    const mergeSha = world.git('rev-parse', 'HEAD');
    const run = await runAction(bundle, world, {
      name: 'pull_request',
      payload: pullPayload(world, { number: 7, headRef: 'feature', headSha, baseSha }),
      sha: mergeSha,
      ref: 'refs/pull/7/merge',
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const [check] = world.github.state.checkRuns;
    expect(world.github.state.checkRuns).toHaveLength(1);
    expect(check).toMatchObject({ name: 'self-harness / regression-validation', head_sha: headSha, status: 'completed', conclusion: 'success' });
    expect(check!.head_sha).not.toBe(mergeSha);
    expect(check!.annotations).toEqual([expect.objectContaining({ path: 'harness/prompt.md', start_line: 4, end_line: 4, annotation_level: 'notice' })]);
    expect(run.outputs).toMatchObject({ decision: 'promote', 'check-run-id': String(check!.id) });
    expect(run.calls).toEqual([{ kind: 'validate', base: baseSha, head: headSha, maxAttempts: 8 }]);
  });

  it('judges a PR by the config of its merge base, so the PR cannot move its edit out of the gate', async () => {
    world = await createWorld();
    const loosened = '.self-harness.yml';
    const { baseSha, headSha } = openFeaturePull(world, '# Agent prompt\n\nREGRESS\n', {
      [loosened]: 'harness:\n  include: ["nothing/**"]\nsuite:\n  tasks: "tasks/*"\n  run: "node run.js"\n',
    });
    world.git('fetch', '-q', world.bare, 'feature');
    world.git('-c', 'user.name=GitHub', '-c', 'user.email=noreply@github.com', 'merge', '-q', '--no-ff', '-m', 'Merge feature into main', 'FETCH_HEAD');
    const run = await runAction(bundle, world, {
      name: 'pull_request',
      payload: pullPayload(world, { number: 7, headRef: 'feature', headSha, baseSha }),
      sha: world.git('rev-parse', 'HEAD'),
      ref: 'refs/pull/7/merge',
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('::warning::This pull request changes .self-harness.yml; the gate uses the config of the merge base');
    expect(world.github.state.checkRuns).toEqual([expect.objectContaining({ head_sha: headSha, conclusion: 'failure' })]);
  });

  it('posts failure for a rejected change and uses the configured check name', async () => {
    world = await createWorld();
    const { baseSha, headSha } = openFeaturePull(world, '# Agent prompt\n\nREGRESS\n');
    const run = await runAction(
      bundle,
      world,
      { name: 'pull_request', payload: pullPayload(world, { number: 7, headRef: 'feature', headSha, baseSha }) },
      { 'check-name': 'harness gate' },
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(world.github.state.checkRuns).toEqual([expect.objectContaining({ name: 'harness gate', head_sha: headSha, conclusion: 'failure' })]);
  });

  it('fails an inconclusive validation by default, saying what evidence is missing and the comment that gets it', async () => {
    world = await createWorld();
    const { baseSha, headSha } = openFeaturePull(world, '# Agent prompt\n\nMaybe check things.\n');
    const run = await runAction(bundle, world, { name: 'pull_request', payload: pullPayload(world, { number: 7, headRef: 'feature', headSha, baseSha }) });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const [check] = world.github.state.checkRuns;
    expect(check).toMatchObject({ head_sha: headSha, conclusion: 'failure' });
    expect(check!.output.summary).toMatch(/Not enough evidence.*4 paired train tasks with 1 attempt per task and side/);
    expect(check!.output.summary).toContain('/self-harness validate attempts=16');
    const neutral = await runAction(
      bundle,
      world,
      { name: 'pull_request', payload: pullPayload(world, { number: 7, headRef: 'feature', headSha, baseSha }) },
      { 'inconclusive-conclusion': 'neutral' },
    );
    expect(neutral.exitCode).toBe(0);
    expect(world.github.state.checkRuns.at(-1)).toMatchObject({ head_sha: headSha, conclusion: 'neutral' });
  });

  it('validates a PR editing harness/prompt.md when harness.include says "harness/" (one surface rule for gate and evolve)', async () => {
    world = await createWorld({
      files: { ...baseFiles, '.self-harness.yml': 'harness:\n  include: ["harness/"]\nsuite:\n  tasks: "tasks/*"\n  run: "node run.js"\n' },
    });
    const { baseSha, headSha } = openFeaturePull(world, '# Agent prompt\n\nAlways check the exit code.\n');
    const run = await runAction(bundle, world, { name: 'pull_request', payload: pullPayload(world, { number: 7, headRef: 'feature', headSha, baseSha }) });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.calls).toEqual([expect.objectContaining({ kind: 'validate', head: headSha })]);
    expect(world.github.state.checkRuns).toEqual([
      expect.objectContaining({ head_sha: headSha, conclusion: 'success', annotations: [expect.objectContaining({ path: 'harness/prompt.md' })] }),
    ]);
  });

  it('validates a merge group head and passes one that touches no harness file', async () => {
    world = await createWorld();
    const baseSha = world.bareGit('rev-parse', 'refs/heads/main');
    const queued = world.pushBranch('gh-readonly-queue/main/pr-7', { 'harness/prompt.md': '# Agent prompt\n\nREGRESS\n' });
    const run = await runAction(bundle, world, {
      name: 'merge_group',
      payload: mergeGroupPayload(queued, baseSha),
      sha: queued,
      ref: 'refs/heads/gh-readonly-queue/main/pr-7',
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.calls).toEqual([expect.objectContaining({ kind: 'validate', base: baseSha, head: queued })]);
    expect(world.github.state.checkRuns).toEqual([expect.objectContaining({ head_sha: queued, status: 'completed', conclusion: 'failure' })]);
    const docs = world.pushBranch('gh-readonly-queue/main/pr-8', { 'README.md': '# only docs\n' });
    const second = await runAction(bundle, world, {
      name: 'merge_group',
      payload: mergeGroupPayload(docs, baseSha),
      sha: docs,
      ref: 'refs/heads/gh-readonly-queue/main/pr-8',
    });
    expect(second.exitCode, second.stdout + second.stderr).toBe(0);
    expect(second.calls).toEqual([]);
    expect(world.github.state.checkRuns.at(-1)).toMatchObject({
      head_sha: docs,
      status: 'completed',
      conclusion: 'success',
      output: { title: 'No harness files changed' },
    });
  });

  it('completes a success check without running anything when no harness file changed', async () => {
    world = await createWorld();
    const baseSha = world.bareGit('rev-parse', 'refs/heads/main');
    const headSha = world.pushBranch('docs', { 'README.md': '# docs only\n' });
    world.github.addPull({
      number: 9,
      head: { ref: 'docs', sha: headSha, repoFullName: 'octo-org/agent' },
      base: { ref: 'main', sha: baseSha },
      files: ['README.md'],
    });
    const run = await runAction(bundle, world, { name: 'pull_request', payload: pullPayload(world, { number: 9, headRef: 'docs', headSha, baseSha }) });
    expect(run.exitCode).toBe(0);
    expect(run.calls).toEqual([]);
    expect(world.github.state.checkRuns).toEqual([expect.objectContaining({ head_sha: headSha, status: 'completed', conclusion: 'success' })]);
  });

  it('warns instead of failing when the token may not create check runs (fork PRs), keeping the job summary', async () => {
    world = await createWorld();
    const { baseSha, headSha } = openFeaturePull(world, '# Agent prompt\n\nAlways check the exit code.\n');
    world.github.fail('forbidden', 1, { method: 'POST', path: /\/check-runs$/ });
    const run = await runAction(bundle, world, { name: 'pull_request', payload: pullPayload(world, { number: 7, headRef: 'feature', headSha, baseSha }) });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/::warning::Cannot create the check run .*checks: write/);
    expect(world.github.state.checkRuns).toEqual([]);
    expect(run.outputs).toMatchObject({ decision: 'promote', 'check-run-id': '' });
    expect(run.summary).toContain('stand-in validation');
  });

  it('truncates an oversized summary safely instead of having it rejected', async () => {
    world = await createWorld();
    const { baseSha, headSha } = openFeaturePull(world, '# Agent prompt\n\nAlways check the exit code.\n');
    const run = await runAction(
      bundle,
      world,
      { name: 'pull_request', payload: pullPayload(world, { number: 7, headRef: 'feature', headSha, baseSha }) },
      {},
      { STANDIN_HUGE: '1' },
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const summary = world.github.state.checkRuns[0]!.output.summary!;
    expect(Buffer.byteLength(summary, 'utf8')).toBeLessThanOrEqual(65_535);
    expect(Buffer.byteLength(summary, 'utf8')).toBeGreaterThan(60_000);
    expect(summary).toMatch(/```\n\n---\n> ✂️ Summary truncated/);
    expect(summary).toContain('https://github.test/octo-org/agent/actions/runs/4242');
  });
});

describe('issue_comment: commands', () => {
  it('refuses a read-only commenter even with author_association OWNER, and runs nothing', async () => {
    world = await createWorld({ permissions: { mallory: 'read' } });
    openFeaturePull(world, '# Agent prompt\n\nAlways check the exit code.\n');
    const comment = world.github.addComment({ id: 501, issue_number: 7, body: '/self-harness validate', user: 'mallory' });
    const run = await runAction(bundle, world, { name: 'issue_comment', payload: commentPayload(7, comment.id, 'mallory', comment.body) });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.decision).toBe('refused');
    expect(run.calls).toEqual([]);
    expect(world.github.state.checkRuns).toEqual([]);
    expect(world.github.state.reactions).toEqual([{ commentId: 501, content: '-1' }]);
    expect(world.github.state.comments.at(-1)!.body).toMatch(/refused.*write, maintain or admin.*"read"/);
  });

  it("refuses a maintainer's command on a fork PR: the fork's code would run next to a write token", async () => {
    world = await createWorld({ permissions: { maya: 'maintain' } });
    const baseSha = world.bareGit('rev-parse', 'refs/heads/main');
    const headSha = world.pushBranch('feature', { 'harness/prompt.md': '# Agent prompt\n\nAlways check the exit code.\n' });
    world.github.addPull({
      number: 7,
      head: { ref: 'feature', sha: headSha, repoFullName: 'mallory/agent' },
      base: { ref: 'main', sha: baseSha },
      files: ['harness/prompt.md'],
    });
    const comment = world.github.addComment({ id: 509, issue_number: 7, body: '/self-harness validate', user: 'maya' });
    const run = await runAction(bundle, world, { name: 'issue_comment', payload: commentPayload(7, comment.id, 'maya', comment.body) });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.decision).toBe('refused');
    expect(run.calls).toEqual([]);
    expect(world.github.state.checkRuns).toEqual([]);
    expect(world.github.state.comments.at(-1)!.body).toMatch(/pull requests from forks/);
  });

  it('runs validate for a maintainer on the pinned head, reacts and replies', async () => {
    world = await createWorld({ permissions: { maya: 'maintain' } });
    const { headSha } = openFeaturePull(world, '# Agent prompt\n\nAlways check the exit code.\n');
    const comment = world.github.addComment({ id: 502, issue_number: 7, body: '/self-harness validate\nplease', user: 'maya' });
    const run = await runAction(bundle, world, { name: 'issue_comment', payload: commentPayload(7, comment.id, 'maya', comment.body) });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.calls).toEqual([expect.objectContaining({ kind: 'validate', head: headSha })]);
    expect(world.github.state.checkRuns).toEqual([expect.objectContaining({ head_sha: headSha, conclusion: 'success' })]);
    expect(world.github.state.reactions.map((r) => r.content)).toEqual(['eyes', 'rocket']);
    expect(world.github.state.comments.at(-1)!.body).toMatch(/self-harness validate: \*\*promote\*\*/);
  });

  it('runs evolve with rounds and focus on the PR head and opens a PR into the PR branch', async () => {
    world = await createWorld({ permissions: { ada: 'admin' } });
    const { headSha } = openFeaturePull(world, '# Agent prompt\n\nSolve it.\n');
    const comment = world.github.addComment({ id: 503, issue_number: 7, body: '/self-harness evolve rounds=2 focus=timeouts in the build step', user: 'ada' });
    const run = await runAction(bundle, world, { name: 'issue_comment', payload: commentPayload(7, comment.id, 'ada', comment.body) });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.calls).toEqual([expect.objectContaining({ kind: 'evolve', base: headSha, rounds: 2, focus: 'timeouts in the build step' })]);
    const botPull = world.github.state.pulls.find((p) => p.head.ref === 'self-harness/feature');
    expect(botPull).toMatchObject({ base: { ref: 'feature' } });
    expect(world.bareGit('rev-parse', 'refs/heads/self-harness/feature^')).toBe(headSha);
    expect(world.github.state.comments.at(-1)!.body).toContain(`**promoted** a harness change — see #${botPull!.number}`);
  });

  it('refuses when the PR head moves while the command runs, and withholds the verdict', async () => {
    world = await createWorld({ permissions: { maya: 'write' } });
    const { headSha } = openFeaturePull(world, '# Agent prompt\n\nAlways check the exit code.\n');
    const comment = world.github.addComment({ id: 504, issue_number: 7, body: '/self-harness validate', user: 'maya' });
    let reads = 0;
    world.github.onRequest = (request, state) => {
      // The author pushes right after the command pinned the head.
      if (request.operationId === 'pulls/get' && ++reads === 1)
        setImmediate(() => {
          state.pulls[0]!.head.sha = 'c'.repeat(40);
        });
    };
    const run = await runAction(bundle, world, { name: 'issue_comment', payload: commentPayload(7, comment.id, 'maya', comment.body) });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.decision).toBe('refused');
    expect(run.calls).toEqual([expect.objectContaining({ kind: 'validate', head: headSha })]);
    expect(world.github.state.checkRuns).toEqual([expect.objectContaining({ head_sha: headSha, conclusion: 'cancelled' })]);
    expect(world.github.state.comments.at(-1)!.body).toMatch(/head moved from `[0-9a-f]{12}` to `cccccccccccc`/);
    expect(world.github.state.reactions.map((r) => r.content)).toEqual(['eyes', '-1']);
  });

  it('does not push an evolved change when the PR head moved meanwhile', async () => {
    world = await createWorld({ permissions: { ada: 'admin' } });
    openFeaturePull(world, '# Agent prompt\n\nSolve it.\n');
    const comment = world.github.addComment({ id: 508, issue_number: 7, body: '/self-harness evolve', user: 'ada' });
    let reads = 0;
    world.github.onRequest = (request, state) => {
      if (request.operationId === 'pulls/get' && ++reads === 1)
        setImmediate(() => {
          state.pulls[0]!.head.sha = 'd'.repeat(40);
        });
    };
    const run = await runAction(bundle, world, { name: 'issue_comment', payload: commentPayload(7, comment.id, 'ada', comment.body) });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.decision).toBe('refused');
    expect(world.bareGit('for-each-ref', 'refs/heads/self-harness/')).toBe('');
    expect(world.github.state.pulls).toHaveLength(1);
    expect(world.github.state.comments.at(-1)!.body).toMatch(/head moved/);
  });

  it('tells the commenter and fails the step when the work itself fails, never leaving the check spinning', async () => {
    world = await createWorld({ permissions: { maya: 'write' } });
    const { headSha } = openFeaturePull(world, '# Agent prompt\n\nAlways check the exit code.\n');
    const comment = world.github.addComment({ id: 509, issue_number: 7, body: '/self-harness validate', user: 'maya' });
    const run = await runAction(
      bundle,
      world,
      { name: 'issue_comment', payload: commentPayload(7, comment.id, 'maya', comment.body) },
      {},
      { STANDIN_FAIL: '1' },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::stand-in: the suite could not start');
    expect(world.github.state.checkRuns).toEqual([expect.objectContaining({ head_sha: headSha, status: 'completed', conclusion: 'failure' })]);
    expect(world.github.state.reactions.map((r) => r.content)).toEqual(['eyes', 'confused']);
    expect(world.github.state.comments.at(-1)!.body).toContain('self-harness validate failed: stand-in: the suite could not start');
  });

  it('answers a malformed command from a writer with the usage', async () => {
    world = await createWorld({ permissions: { maya: 'write' } });
    openFeaturePull(world, '# x\n');
    const comment = world.github.addComment({ id: 505, issue_number: 7, body: '/self-harness evolve rounds=many', user: 'maya' });
    const run = await runAction(bundle, world, { name: 'issue_comment', payload: commentPayload(7, comment.id, 'maya', comment.body) });
    expect(run.exitCode).toBe(0);
    expect(run.calls).toEqual([]);
    expect(world.github.state.comments.at(-1)!.body).toMatch(/unknown argument "rounds=many".*Usage/);
  });

  it('ignores edited comments and comments not addressed to it', async () => {
    world = await createWorld({ permissions: { maya: 'write' } });
    const edited = commentPayload(7, 506, 'maya', '/self-harness validate');
    edited.action = 'edited';
    const run = await runAction(bundle, world, { name: 'issue_comment', payload: edited });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('nothing to do');
    const chatter = await runAction(bundle, world, { name: 'issue_comment', payload: commentPayload(7, 507, 'maya', 'LGTM /self-harness validate') });
    expect(chatter.exitCode).toBe(0);
    expect(world.github.requests).toEqual([]);
  });
});

describe('inputs and events', () => {
  it('fails the step with the input name, value and what is allowed', async () => {
    world = await createWorld();
    const run = await runAction(bundle, world, { name: 'schedule', payload: schedulePayload() }, { mode: 'sometimes' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::input "mode": got "sometimes"; expected one of auto, evolve, validate');
    expect(world.github.requests).toEqual([]);
  });

  it('fails the step with a readable error when the event file is not JSON', async () => {
    world = await createWorld();
    const broken = path.join(world.root, 'broken-event.json');
    writeFileSync(broken, '{"action": "opened", ');
    const run = await runAction(bundle, world, { name: 'pull_request', payload: {} }, {}, { GITHUB_EVENT_PATH: broken });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`::error::GITHUB_EVENT_PATH ${broken}: cannot read the event payload`);
    expect(world.github.requests).toEqual([]);
  });

  it('does nothing on events it does not handle', async () => {
    world = await createWorld();
    const run = await runAction(bundle, world, { name: 'push', payload: examplePayload('push') });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.decision).toBe('none');
    expect(world.github.requests).toEqual([]);
  });
});
