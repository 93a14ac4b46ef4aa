// The `artifacts` input as GitHub runs it: on workflow_run, the bundled action (stand-in flows for evolve, the real
// import) imports a downloaded Harbor job into the ledger before evolving; a pattern that matches nothing fails.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleAction, createWorld, examplePayload, runAction, type World } from './fixture.js';
import { removeDir } from '../helpers/git.js';
import { repoRoot } from '../helpers/cli.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const published = path.join(repoRoot, 'test', 'fixtures', 'published', 'harbor');
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

/** Where actions/download-artifact would have put the other workflow's Harbor jobs. */
function downloadJobs(w: World): void {
  cpSync(path.join(published, 'thinharness-dna-insert-fail', 'job'), path.join(w.workspace, 'downloaded', 'harbor-jobs', 'job-fail'), { recursive: true });
  cpSync(path.join(published, 'pi-configure-git-webserver-runtime-error', 'job'), path.join(w.workspace, 'downloaded', 'harbor-jobs', 'job-infra'), {
    recursive: true,
  });
}

function ledger(w: World): any[] {
  return readFileSync(path.join(w.workspace, '.self-harness', 'episodes.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('the artifacts input', () => {
  it('workflow_run: imports the downloaded Harbor jobs into the ledger (one episode per trial), then evolves', async () => {
    world = await createWorld();
    downloadJobs(world);
    const payload = examplePayload('workflow_run', 'completed');
    const run = await runAction(bundle, world, { name: 'workflow_run', payload }, { artifacts: 'downloaded/harbor-jobs/*' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Imported 2 episode\(s\) from 2 artifact path\(s\) \(1 fail, 1 infra-error\); 0 already in the ledger/);
    // The triggering run's head commit is not in this checkout: named, and the checkout's commit is used instead.
    expect(run.stdout).toContain(`ran on ${payload.workflow_run.head_sha.slice(0, 12)}, which this checkout does not have`);
    const records = ledger(world);
    expect(records.map((r) => [r.key.taskId, r.outcome, r.runner]).sort()).toEqual([
      ['configure-git-webserver', 'infra-error', 'import:harbor'],
      ['dna-insert', 'fail', 'import:harbor'],
    ]);
    expect(records.every((r) => String(r.key.stream).startsWith('import:'))).toBe(true);
    expect(run.calls.filter((c) => c.kind === 'evolve')).toHaveLength(1);

    // A rerun of the same workflow_run imports nothing twice.
    const again = await runAction(bundle, world, { name: 'workflow_run', payload }, { artifacts: 'downloaded/harbor-jobs/*' });
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Imported 0 episode\(s\) from 2 artifact path\(s\); 2 already in the ledger/);
    expect(ledger(world)).toHaveLength(2);
  });

  it('fails before evolving when a pattern matches nothing, naming the pattern and the likely cause', async () => {
    world = await createWorld();
    const run = await runAction(
      bundle,
      world,
      { name: 'workflow_run', payload: examplePayload('workflow_run', 'completed') },
      { artifacts: 'downloaded/missing/*' },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('input "artifacts": "downloaded/missing/*" matches nothing under');
    expect(run.stdout).toContain("actions/download-artifact's `path:`");
    expect(run.calls.filter((c) => c.kind === 'evolve')).toEqual([]);
  });
});
