import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCli, spawnCli } from '../helpers/cli.js';
import { git, makeRepo, tempDir } from '../helpers/git.js';
import { ledgerLines } from '../runners/helpers.js';
import { main as runMain } from '../../src/cli/run.js';
import { UserError } from '../../src/domain/types.js';

const AGENT = [
  'echo "$SELF_HARNESS_TASK#$SELF_HARNESS_ATTEMPT" >> "$START_LOG"',
  'cat agent/version > "$SELF_HARNESS_OUT/version"',
  'pwd > "$SELF_HARNESS_OUT/cwd"',
  'echo "$SELF_HARNESS_TASK_DIR" > "$SELF_HARNESS_OUT/task-dir"',
  'sleep "${EPISODE_SLEEP:-0}"',
  'grep -q pass "$SELF_HARNESS_TASK_DIR/expect"',
].join('\n');

function project(options: { tasks?: number; sub?: string; concurrency?: number } = {}) {
  const sub = options.sub ? `${options.sub}/` : '';
  const files: Record<string, string> = {
    '.gitignore': '.self-harness/\n',
    [`${sub}.self-harness.yml`]: [
      'harness:',
      "  include: ['agent/**']",
      'suite:',
      "  tasks: 'tasks/*'",
      "  run: 'sh agent/run.sh'",
      `  concurrency: ${options.concurrency ?? 2}`,
      '  holdout: 0.34',
      '  seed: fixed',
      '  infra-retries: 1',
    ].join('\n'),
    [`${sub}agent/run.sh`]: AGENT,
    [`${sub}agent/version`]: 'v1\n',
  };
  for (let i = 1; i <= (options.tasks ?? 4); i++) files[`${sub}tasks/t${i}/expect`] = i % 3 === 0 ? 'fail\n' : 'pass\n';
  const repo = makeRepo(files, 'sh-run-');
  const root = path.join(repo, options.sub ?? '');
  const log = path.join(tempDir(), 'starts.log');
  return { repo, root, config: path.join(root, '.self-harness.yml'), stateDir: path.join(root, '.self-harness'), log };
}

const starts = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);

describe('self-harness run', () => {
  it('runs every episode, prints progress lines and a table per split, and a re-run hits the cache', async () => {
    const p = project({ tasks: 6 });
    const first = await runCli(['run', '--config', p.config], { env: { START_LOG: p.log } });
    expect(first.exitCode, String(first.all)).toBe(0);
    expect(first.stderr).toMatch(/^\[1\/6\] (pass|fail) t\d#0 \d+/m);
    expect(first.stderr).toMatch(/\[6\/6\] /);
    expect(first.stdout).toMatch(/^train\s+\d\/\d/m);
    expect(first.stdout).toMatch(/^holdout\s+\d\/\d/m);
    expect(first.stdout).toMatch(/^all\s+4\/6\s+66\.7% \[/m);
    expect(starts(p.log)).toHaveLength(6);
    expect(ledgerLines(p.stateDir)).toHaveLength(6);

    const second = await runCli(['run', '--config', p.config, '--json'], { env: { START_LOG: p.log } });
    expect(second.exitCode, String(second.all)).toBe(0);
    const summary = JSON.parse(String(second.stdout));
    expect(summary.episodes).toEqual({ total: 6, run: 0, cached: 6 });
    expect(summary.splits.all).toMatchObject({ passed: 4, total: 6 });
    expect(summary.splits.train.total + summary.splits.holdout.total).toBe(6);
    expect(starts(p.log)).toHaveLength(6);
    expect(ledgerLines(p.stateDir)).toHaveLength(6);

    const third = await runCli(['run', '--config', p.config, '--no-cache', '--tasks', 't1,t2', '--json'], { env: { START_LOG: p.log } });
    expect(JSON.parse(String(third.stdout)).episodes).toEqual({ total: 2, run: 2, cached: 0 });
    expect(starts(p.log)).toHaveLength(8);
    expect(ledgerLines(p.stateDir)).toHaveLength(8);
  });

  it('resumes after being SIGKILLed: finished episodes are not run again', async () => {
    const p = project({ tasks: 6 });
    const child = spawnCli(['run', '--config', p.config, '--attempts', '2'], { env: { START_LOG: p.log, EPISODE_SLEEP: '0.4' } });
    const deadline = Date.now() + 30_000;
    while (ledgerLines(p.stateDir).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await child;
    const finished = ledgerLines(p.stateDir).map((line) => JSON.parse(line));
    expect(finished.length).toBeGreaterThanOrEqual(3);
    expect(finished.length).toBeLessThan(12);
    await new Promise((r) => setTimeout(r, 500)); // let the orphaned episodes of the killed run end

    const again = await runCli(['run', '--config', p.config, '--attempts', '2', '--json'], { env: { START_LOG: p.log, EPISODE_SLEEP: '0' } });
    expect(again.exitCode, String(again.all)).toBe(0);
    const summary = JSON.parse(String(again.stdout));
    expect(summary.episodes.total).toBe(12);
    expect(summary.episodes.cached).toBe(finished.length);
    const log = starts(p.log);
    for (const record of finished) {
      expect(log.filter((line) => line === `${record.key.taskId}#${record.key.attempt}`)).toHaveLength(1);
    }
    expect(new Set(log).size).toBe(12);
    // Re-run are only the episodes in flight at the kill: per slot (concurrency 2) one running and at most one
    // finished whose ledger append (batched, in the background) had not landed yet.
    expect(log.length - 12).toBeLessThanOrEqual(4);
    expect(new Set(ledgerLines(p.stateDir).map((line) => JSON.parse(line).id)).size).toBe(12);
  });

  it('stops cleanly on SIGINT: running episodes are ended and not recorded, exit 130', async () => {
    const p = project({ tasks: 4 });
    const marker = `${Date.now() % 100000}${Math.floor(Math.random() * 1e6)}`;
    writeFileSync(path.join(p.root, 'agent', 'run.sh'), `echo "$SELF_HARNESS_TASK" >> "$START_LOG"; [ "$SELF_HARNESS_TASK" = t1 ] || sleep 1000.${marker}\n`);
    const child = spawnCli(['run', '--config', p.config], { env: { START_LOG: p.log } });
    const deadline = Date.now() + 30_000;
    // Interrupted once t1 is recorded and both slots hold a sleeper: conditions, not a pause, however slow the machine.
    const ready = () => starts(p.log).length >= 3 && ledgerLines(p.stateDir).length >= 1;
    while (!ready() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, String(result.all)).toBe(130);
    expect(result.stderr).toContain('run the same command again to resume');
    expect(ledgerLines(p.stateDir).map((line) => JSON.parse(line).key.taskId)).toEqual(['t1']);
    let leftovers = '';
    try {
      leftovers = execFileSync('pgrep', ['-f', `sleep 1000.${marker}`], { encoding: 'utf8' });
    } catch {
      /* none */
    }
    expect(leftovers).toBe('');
  });

  it('--ref runs the harness of another git ref in a worktree without touching the working copy', async () => {
    const p = project({ tasks: 2, sub: 'proj' });
    writeFileSync(path.join(p.root, 'agent', 'version'), 'v2-uncommitted\n');
    const statusBefore = git(p.repo, 'status', '--porcelain');
    const head = git(p.repo, 'rev-parse', 'HEAD');

    const atRef = await runCli(['run', '--config', p.config, '--ref', 'main', '--json'], { env: { START_LOG: p.log } });
    expect(atRef.exitCode, String(atRef.all)).toBe(0);
    const refSummary = JSON.parse(String(atRef.stdout));
    expect(refSummary.harness.commit).toBe(head);
    const artifacts = path.join(p.stateDir, refSummary.records[0].artifacts);
    expect(readFileSync(path.join(artifacts, 'version'), 'utf8')).toBe('v1\n');
    const cwd = readFileSync(path.join(artifacts, 'cwd'), 'utf8').trim();
    // The episode ran in its own copy of that version (a worktree of the same commit), not in the version's worktree.
    expect(cwd).toMatch(/episode-checkouts\/[^/]+\/proj$/);
    // Tasks are not part of the harness: they come from the working copy.
    expect(readFileSync(path.join(artifacts, 'task-dir'), 'utf8').trim()).toBe(path.join(p.root, 'tasks', 't1'));

    expect(readFileSync(path.join(p.root, 'agent', 'version'), 'utf8')).toBe('v2-uncommitted\n');
    expect(git(p.repo, 'status', '--porcelain')).toBe(statusBefore);
    expect(git(p.repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(p.repo, 'branch', '--show-current')).toBe('main');

    const working = await runCli(['run', '--config', p.config, '--json'], { env: { START_LOG: p.log } });
    const workingSummary = JSON.parse(String(working.stdout));
    expect(workingSummary.harness.hash).not.toBe(refSummary.harness.hash);
    expect(workingSummary.episodes.run).toBe(2);
    expect(readFileSync(path.join(p.stateDir, workingSummary.records[0].artifacts, 'version'), 'utf8')).toBe('v2-uncommitted\n');
  });

  it('plain run judges the working copy, uncommitted edits included, in a private snapshot: an episode never writes into the checkout', async () => {
    const p = project({ tasks: 2 });
    // An uncommitted run script that scribbles over the checkout it runs in, and a new untracked helper it needs.
    writeFileSync(path.join(p.root, 'agent', 'helper.sh'), 'echo helped > helped.txt\n');
    writeFileSync(
      path.join(p.root, 'agent', 'run.sh'),
      'sh agent/helper.sh; echo "# scribbled" >> .self-harness.yml; cat agent/version > "$SELF_HARNESS_OUT/version"; echo "$PWD" > "$SELF_HARNESS_OUT/cwd"; grep -q pass "$SELF_HARNESS_TASK_DIR/expect"\n',
    );
    const statusBefore = git(p.repo, 'status', '--porcelain');
    const result = await runCli(['run', '--config', p.config, '--json'], { env: { START_LOG: p.log } });
    expect(result.exitCode, String(result.all)).toBe(0);
    const summary = JSON.parse(String(result.stdout));
    expect(summary.episodes.run).toBe(2);
    const cwd = readFileSync(path.join(p.stateDir, summary.records[0].artifacts, 'cwd'), 'utf8').trim();
    expect(cwd.startsWith(path.join(p.stateDir, 'episode-checkouts'))).toBe(true);
    expect(readFileSync(path.join(p.stateDir, summary.records[0].artifacts, 'version'), 'utf8')).toBe('v1\n');
    // The checkout is exactly as it was: the config not scribbled on, no helper output, the same status.
    expect(readFileSync(p.config, 'utf8')).not.toContain('scribbled');
    expect(existsSync(path.join(p.root, 'helped.txt'))).toBe(false);
    expect(git(p.repo, 'status', '--porcelain')).toBe(statusBefore);
    // The snapshot is gone after the run.
    expect(git(p.repo, 'worktree', 'list').split('\n')).toHaveLength(1);
  });

  it('reports infra errors apart from agent failures and exits 0', async () => {
    const p = project({ tasks: 3 });
    writeFileSync(
      path.join(p.root, 'agent', 'run.sh'),
      'if [ "$SELF_HARNESS_TASK" = t2 ]; then kill -9 $$; else grep -q pass "$SELF_HARNESS_TASK_DIR/expect"; fi\n',
    );
    const result = await runCli(['run', '--config', p.config]);
    expect(result.exitCode, String(result.all)).toBe(0);
    expect(result.stdout).toMatch(/^all\s+1\/2\s+50\.0% \[[^\]]+\]\s+1\s+0/m);
    expect(result.stdout).toContain('1 episode(s) could not be judged');
    expect(result.stdout).toContain('t2#0: killed');
    expect(result.stderr).toContain('retry 1 of 1');
    // --json records say why a failed or infra-error episode ended, like import's added[].error.
    const json = JSON.parse(String((await runCli(['run', '--config', p.config, '--json'])).stdout));
    const byOutcome = Object.fromEntries(json.records.map((r: { outcome: string; error?: unknown }) => [r.outcome, r.error]));
    expect(byOutcome.pass).toBeUndefined();
    expect(byOutcome.fail).toMatchObject({ type: 'exit-code', message: 'exited with code 1' });
    expect(byOutcome['infra-error']).toMatchObject({ type: 'killed', infrastructure: true });
  });

  it('exits 1 when every episode was an infrastructure error: nothing could be judged', async () => {
    const p = project({ tasks: 2 });
    writeFileSync(path.join(p.root, 'agent', 'run.sh'), 'kill -9 $$\n');
    const result = await runCli(['run', '--config', p.config]);
    expect(result.exitCode, String(result.all)).toBe(1);
    expect(result.stdout).toContain('2 episode(s) could not be judged');
    expect(result.stderr).toMatch(/nothing could be judged: all 2 episode\(s\) were infrastructure errors \(e\.g\. killed/);
    expect(result.stdout).toMatch(/^all\s+0\/0\s+no judged episodes\s+2\s/m);
    const json = await runCli(['run', '--config', p.config, '--json']);
    expect(json.exitCode, String(json.all)).toBe(1);
    const summary = JSON.parse(String(json.stdout));
    expect(summary.episodes.total).toBe(2);
    // No judged episode: no rate and no interval (a 0% rate would read as "every episode failed").
    expect(summary.splits.all).toMatchObject({ passed: 0, total: 0, infra: 2, rate: null, ci: null });
    for (const record of summary.records) {
      expect(record.outcome).toBe('infra-error');
      expect(record.error).toMatchObject({ type: 'killed', infrastructure: true, message: expect.stringContaining('SIGKILL') });
    }
  });

  it('exits 2 with a readable line for usage and config errors', async () => {
    const p = project({ tasks: 2 });
    const usage = await runCli(['run', '--config', p.config, '--split', 'both']);
    expect(usage.exitCode, String(usage.all)).toBe(2);
    expect(usage.stderr).toMatch(/^self-harness run: --split: expected train, holdout or all, got "both"/);
    const missing = await runCli(['run', '--config', path.join(p.root, 'missing.yml')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('config file not found');
    // The rest in-process: the same main(), thrown UserErrors become exit 2 in src/cli.ts.
    for (const [args, message] of [
      [['--attempts', '0'], '--attempts: expected a positive integer'],
      [['--tasks', 'nope'], 'unknown task id "nope"'],
      [['--bogus'], 'unknown option --bogus.'],
      [['--atempts', '2'], 'unknown option --atempts (did you mean --attempts?)'],
      [['--ref', 'no-such-branch'], 'no-such-branch'],
    ] as const) {
      const error = await runMain(['--config', p.config, ...args]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, args.join(' ')).toBeInstanceOf(UserError);
      expect((error as Error).message).toContain(message);
    }
  });
});
