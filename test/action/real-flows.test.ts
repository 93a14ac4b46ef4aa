// Black-box tests of the production bundle (src/index.ts, the real evolve and validate flows) on a tiny suite:
// an agent script whose pass chance depends on the harness text, a loopback model proposing the edit,
// the REST double and a git http-backend remote.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleAction, createWorld, examplePayload, runAction, suiteFiles, type World } from './fixture.js';
import { removeDir } from '../helpers/git.js';
import { startModelServer, type ModelServer } from '../helpers/model-server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let bundle: string;
let world: World | undefined;
let model: ModelServer | undefined;

beforeAll(async () => {
  bundle = await bundleAction(path.join(here, '..', '..', 'src', 'index.ts'));
});

afterAll(() => {
  if (bundle) removeDir(path.dirname(bundle));
});

afterEach(async () => {
  if (world) {
    expect(world.github.violations).toEqual([]);
    await world.close();
  }
  await model?.close();
  world = undefined;
  model = undefined;
});

/** A proposer model that always suggests adding the helpful line. */
function verifyingModel(): Promise<ModelServer> {
  return startModelServer((body) => {
    const text = (body?.messages ?? []).map((m: { content?: string }) => m.content ?? '').join('\n');
    const weaknessId = /\bw-[0-9a-f]{10}\b/.exec(text)?.[0] ?? 'w-0000000000';
    return {
      content: JSON.stringify({
        decision: 'propose',
        weakness_id: weaknessId,
        mechanism: 'prompt_instruction',
        summary: 'verify before finishing',
        rationale: 'The traces show completion claimed before the verifier failed.',
        predicted_fixes: [],
        edits: [
          {
            kind: 'replace',
            file: 'harness/prompt.md',
            search: 'Do the task, then call finish.',
            replace: 'Do the task, then call finish.\nVERIFY your output before you call finish.',
          },
        ],
      }),
    };
  });
}

function pullPayload(pull: { headSha: string; baseSha: string }) {
  const payload = examplePayload('pull_request', 'opened');
  payload.number = 5;
  payload.pull_request.number = 5;
  payload.pull_request.head.ref = 'feature';
  payload.pull_request.head.sha = pull.headSha;
  payload.pull_request.head.repo = { ...payload.repository };
  payload.pull_request.base.ref = 'main';
  payload.pull_request.base.sha = pull.baseSha;
  payload.pull_request.base.repo = { ...payload.repository };
  return payload;
}

describe('the production action with the real flows', () => {
  it('schedule: evolves with the model, pushes the bot branch and opens the PR with the report', async () => {
    world = await createWorld({ files: suiteFiles });
    model = await verifyingModel();
    const dispatch = examplePayload('workflow_dispatch');
    const run = await runAction(
      bundle,
      world,
      { name: 'workflow_dispatch', payload: dispatch },
      { 'model-base-url': model.url, 'model-api-key': 'sk-test', model: 'test-model' },
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.decision).toBe('promote');
    expect(model.requests.length).toBeGreaterThan(0);
    // The model key went to the model endpoint only; the GitHub token never did.
    expect(model.requests.every((r) => r.headers.authorization === 'Bearer sk-test')).toBe(true);
    expect(model.requests.some((r) => r.raw.includes('ghs_'))).toBe(false);
    const pull = world.github.state.pulls[0]!;
    expect(pull).toMatchObject({ head: { ref: 'self-harness/main' }, base: { ref: 'main' } });
    expect(pull.body).toMatch(/^\*\*What changed\*\*: /m);
    expect(pull.body).toContain('| train (screening) |');
    expect(pull.body).toContain('git fetch origin self-harness/main');
    expect(world.bareGit('show', 'refs/heads/self-harness/main:harness/prompt.md')).toContain('VERIFY your output');
    expect(world.bareGit('log', '-1', '--format=%an', 'refs/heads/self-harness/main')).toBe('github-actions[bot]');
    // The bot's head carries the completed check with the validation this run computed.
    const tip = world.bareGit('rev-parse', 'refs/heads/self-harness/main');
    expect(world.github.state.checkRuns).toEqual([expect.objectContaining({ head_sha: tip, status: 'completed', conclusion: 'success' })]);
    expect(world.github.state.checkRuns[0]!.output.summary).toContain('### Validation');
  });

  it('pull_request: a helpful harness change gets a success check, a harmful one a failure', async () => {
    world = await createWorld({ files: suiteFiles });
    const baseSha = world.bareGit('rev-parse', 'refs/heads/main');
    const good = world.pushBranch('feature', { 'harness/prompt.md': '# System prompt\n\nVERIFY before you finish.\n' });
    world.github.addPull({
      number: 5,
      head: { ref: 'feature', sha: good, repoFullName: 'octo-org/agent' },
      base: { ref: 'main', sha: baseSha },
      files: ['harness/prompt.md'],
    });
    const first = await runAction(bundle, world, { name: 'pull_request', payload: pullPayload({ headSha: good, baseSha }) });
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    expect(world.github.state.checkRuns.at(-1)).toMatchObject({ head_sha: good, conclusion: 'success' });
    // A person's PR is asked "is it not worse?": a helpful change passes.
    expect(world.github.state.checkRuns.at(-1)!.output.summary).toMatch(/✅ \*\*Pass\*\*: not worse/);

    const bad = world.pushBranch('feature', { 'harness/prompt.md': '# System prompt\n\nBREAK things.\n' });
    world.github.state.pulls[0]!.head.sha = bad;
    const second = await runAction(bundle, world, { name: 'pull_request', payload: pullPayload({ headSha: bad, baseSha }) });
    expect(second.exitCode, second.stdout + second.stderr).toBe(0);
    expect(world.github.state.checkRuns.at(-1)).toMatchObject({ head_sha: bad, conclusion: 'failure' });
    expect(second.outputs.decision).toBe('reject');
  });
});
