// Ctrl-C in `evolve`: a message, the running episodes ended and unrecorded, no worktree left behind, exit 130, and
// the same command resumes from the recorded episodes. Real processes, real git, a loopback model server.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnCli } from '../helpers/cli.js';
import { git, makeRepo, removeDir, tempDir } from '../helpers/git.js';
import { startModelServer, type ModelServer } from '../helpers/model-server.js';
import { suiteFiles } from '../e2e/fixture-suite.js';

let repo = '';
let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (repo) removeDir(repo);
  repo = '';
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Running (a zombie waiting to be reaped by an init that may never reap it is not running). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z /.test(stat);
}

describe('evolve interrupted', () => {
  it('stops on SIGINT with a message, ends the episodes, removes every candidate worktree and exits 130', async () => {
    const files = suiteFiles();
    // The candidate's prompt makes the agent hang (until killed), after saying which process it is.
    files['agent.mjs'] = files['agent.mjs'].replace(
      'const task = process.env.SELF_HARNESS_TASK;',
      "const task = process.env.SELF_HARNESS_TASK;\nif (prompt.includes('SLOW')) { writeFileSync(process.env.SLOW_MARKS + '/' + process.pid, ''); await new Promise((r) => setTimeout(r, 120000)); }",
    );
    repo = makeRepo({ ...files, '.github/workflows/ci.yml': 'name: ci\non: push\njobs: {}\n' }, 'sh-int-');
    const marks = tempDir('sh-marks-');
    server = await startModelServer((body) => {
      const text = (body?.messages ?? []).map((m: { content?: string }) => m.content ?? '').join('\n');
      const weaknessId = /\bw-[0-9a-f]{10}\b/.exec(text)?.[0] ?? 'w-0000000000';
      return {
        content: JSON.stringify({
          decision: 'propose',
          weakness_id: weaknessId,
          mechanism: 'prompt_instruction',
          summary: 'go slow',
          rationale: 'r',
          predicted_fixes: [],
          edits: [{ kind: 'replace', file: 'harness/prompt.md', search: 'Do the task, then call finish.', replace: 'Do the task, then call finish. SLOW' }],
        }),
      };
    });
    const env = { OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: server.url, SELF_HARNESS_MODEL: 'test-model', SLOW_MARKS: marks };
    // No forced SIGKILL 5 s after our SIGINT (execa's default): on a loaded machine the cleanup may take longer.
    const child = spawnCli(['evolve'], { cwd: repo, env, forceKillAfterDelay: false });
    // Wait (polling, bounded by the test timeout) until candidate episodes are running.
    while (readdirSync(marks).length === 0 && child.exitCode === null) await sleep(50);
    const agents = readdirSync(marks).map(Number);
    expect(agents.length, 'no candidate episode started').toBeGreaterThan(0);
    const worktreesDuring = git(repo, 'worktree', 'list', '--porcelain')
      .split('\n')
      .filter((l) => l.startsWith('worktree ')).length;
    expect(worktreesDuring).toBeGreaterThan(1);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, `signal ${result.signal ?? 'none'}: ${String(result.all)}`).toBe(130);
    expect(String(result.stderr)).toContain('SIGINT: stopping; ending the running episodes and removing the candidate worktrees');
    expect(String(result.stderr)).toContain('run the same command again to resume');
    // No worktree but the user's own, and no agent left running.
    expect(
      git(repo, 'worktree', 'list', '--porcelain')
        .split('\n')
        .filter((l) => l.startsWith('worktree ')),
    ).toEqual([`worktree ${git(repo, 'rev-parse', '--show-toplevel')}`]);
    for (const pid of agents) expect(alive(pid), `agent ${pid}`).toBe(false);
    // The stopped episodes were not recorded; the finished ones are, so a re-run resumes from them.
    const ledger = readFileSync(path.join(repo, '.self-harness', 'episodes.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { outcome: string; error?: { type: string } });
    expect(ledger.length).toBeGreaterThan(0);
    expect(ledger.filter((r) => r.error?.type === 'aborted')).toEqual([]);
    expect(existsSync(path.join(repo, '.self-harness', 'candidates')) ? readdirSync(path.join(repo, '.self-harness', 'candidates')) : []).toEqual([]);
    expect(git(repo, 'status', '--porcelain', '--untracked-files=no')).toBe('');
  }, 120_000);
});
