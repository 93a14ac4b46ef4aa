// Cold start of the bundled action where users meet it on every PR: an event it ignores and a PR touching no harness
// file (a completed success check against the REST double), each as time beyond a bare `node -e ''`. Goal: <= 300 ms.
// Run: npx tsx bench/cold-start.ts [runs]   (bundles src/index.ts into a temp dir; dist/ is never touched)
import path from 'node:path';
import { execa } from 'execa';
import { bundleAction, createWorld, examplePayload, node24, runAction, type World } from '../test/action/fixture.js';
import { removeDir } from '../test/helpers/git.js';
import { repoRoot } from '../test/helpers/cli.js';

const runs = Number(process.argv[2] ?? 7);
const GOAL_MS = 300;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function docsPull(world: World) {
  const baseSha = world.bareGit('rev-parse', 'refs/heads/main');
  const headSha = world.pushBranch('docs', { 'README.md': '# docs only\n' });
  world.github.addPull({
    number: 9,
    head: { ref: 'docs', sha: headSha, repoFullName: 'octo-org/agent' },
    base: { ref: 'main', sha: baseSha },
    files: ['README.md'],
  });
  // The workspace as actions/checkout leaves it for a pull_request (both commits present: no fetch on the no-op path).
  world.git('fetch', '-q', world.bare, 'docs');
  const payload = examplePayload('pull_request', 'synchronize');
  Object.assign(payload.pull_request, { number: 9 });
  payload.pull_request.head = { ...payload.pull_request.head, ref: 'docs', sha: headSha, repo: { ...payload.repository } };
  payload.pull_request.base = { ...payload.pull_request.base, ref: 'main', sha: baseSha, repo: { ...payload.repository } };
  return payload;
}

const bundle = await bundleAction(path.join(repoRoot, 'src', 'index.ts'));
const world = await createWorld();
try {
  const pushPayload = examplePayload('push');
  const pullPayload = docsPull(world);
  const bare: number[] = [];
  const ignored: number[] = [];
  const noHarness: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    bare.push(await timed(() => execa(node24, ['-e', ''])));
    ignored.push(
      await timed(async () => {
        const run = await runAction(bundle, world, { name: 'push', payload: pushPayload });
        if (run.exitCode !== 0 || !run.stdout.includes('nothing to do')) throw new Error(`ignored event failed:\n${run.stdout}${run.stderr}`);
      }),
    );
    noHarness.push(
      await timed(async () => {
        const run = await runAction(bundle, world, { name: 'pull_request', payload: pullPayload, ref: 'refs/pull/9/merge' });
        if (run.exitCode !== 0 || run.calls.length > 0) throw new Error(`no-harness PR failed:\n${run.stdout}${run.stderr}`);
      }),
    );
  }
  const checks = world.github.state.checkRuns;
  if (checks.length !== runs || checks.some((c) => c.conclusion !== 'success')) throw new Error('expected one success check per no-harness run');
  if (world.github.violations.length > 0) throw new Error(`OpenAPI violations: ${world.github.violations.join('; ')}`);
  // The minimum is the cost itself; the median shows what a busy machine adds.
  const row = (label: string, times: number[]) => ({ label, min: Math.min(...times) - Math.min(...bare), median: median(times) - median(bare) });
  const rows = [row('ignored event (push)', ignored), row('PR touching no harness file', noHarness)];
  console.log(
    `cold start of the bundled action under Node 24, ${runs} runs; bare node -e '': min ${Math.min(...bare).toFixed(0)} ms, median ${median(bare).toFixed(0)} ms`,
  );
  console.log("time beyond bare node (runAction's temp files and env included):");
  for (const r of rows) console.log(`  ${r.label.padEnd(30)} min ${r.min.toFixed(0).padStart(5)} ms   median ${r.median.toFixed(0).padStart(5)} ms`);
  const worst = Math.max(...rows.map((r) => r.min));
  console.log(
    worst <= GOAL_MS ? `within the ${GOAL_MS} ms goal (by the minimum)` : `OVER the ${GOAL_MS} ms goal by ${(worst - GOAL_MS).toFixed(0)} ms (by the minimum)`,
  );
} finally {
  await world.close();
  removeDir(path.dirname(bundle));
}
