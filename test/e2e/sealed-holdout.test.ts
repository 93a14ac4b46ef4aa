// The held-out split is sealed end to end: a held-out id planted in a harness file never reaches the model.
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeRepo, removeDir } from '../helpers/git.js';
import { startModelServer, type ModelServer } from '../helpers/model-server.js';
import { suiteFiles } from './fixture-suite.js';

let repo = '';
let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (repo) removeDir(repo);
  repo = '';
});

describe('the sealed held-out split', () => {
  it('leaves a harness file naming a held-out id out of the surface, says why, and never sends the id', async () => {
    const files = suiteFiles({ diagnose: true });
    files['.self-harness.yml'] = files['.self-harness.yml']!.replace('  seed: "e2e"\n', '  seed: "e2e"\n  holdout-tasks: ["t16"]\n');
    files['harness/notes.md'] = 'Hard cases seen so far: t16 needs the verifier output.\n';
    repo = makeRepo(files, 'sh-sealed-');
    server = await startModelServer(() => ({ content: '{"decision":"decline","weakness_id":"w-0000000000","reason":"no"}' }));
    const result = await runCli(['evolve', '--json'], {
      cwd: repo,
      env: { OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: server.url, SELF_HARNESS_MODEL: 'test-model' },
    });
    expect(String(result.all)).toMatch(/harness\/notes\.md names held-out task id "t16"; it is left out of the harness surface/);
    // The rest of the harness still goes to the proposer; the planted id never does.
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.some((r) => r.raw.includes('You are a careful agent'))).toBe(true);
    for (const request of server.requests) expect(request.raw).not.toMatch(/\bt16\b/);
  });
});
