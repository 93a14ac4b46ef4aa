import { describe, it, expect, afterEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { CommandRunner } from '../../src/runners/command.js';
import { tempDir } from '../helpers/git.js';
import { pollUntil } from '../helpers/poll.js';
import { harness, sleepMarker, task } from './helpers.js';

function alive(pattern: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

const markers: string[] = [];
afterEach(() => {
  // A failed assertion must not leave sleepers behind: end exactly the processes carrying this test's markers.
  for (const marker of markers.splice(0))
    for (const pid of alive(`sleep ${marker}`)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
});
function marked(): string {
  const marker = sleepMarker();
  markers.push(marker);
  return marker;
}

async function runOnce(command: string, options: { timeoutMs?: number; killGraceMs?: number; outputCapBytes?: number; env?: Record<string, string> } = {}) {
  const runner = new CommandRunner({ command, killGraceMs: options.killGraceMs ?? 300, outputCapBytes: options.outputCapBytes, env: options.env });
  const outDir = path.join(tempDir('sh-out-'), 'ep');
  const version = harness();
  const result = await runner.run({ task: task('t1', '/tmp/task-dir-t1'), attempt: 2, harness: version, outDir, timeoutMs: options.timeoutMs ?? 20_000 });
  return { result, outDir, version };
}

describe('CommandRunner', () => {
  it('passes on exit 0 and hands the episode its environment and cwd', async () => {
    const { result, outDir, version } = await runOnce(
      'echo "$SELF_HARNESS_TASK|$SELF_HARNESS_TASK_DIR|$SELF_HARNESS_ATTEMPT|$SELF_HARNESS_OUT|$SELF_HARNESS_HARNESS|$EXTRA|$(pwd)"',
      { env: { EXTRA: 'from-suite-env' } },
    );
    expect(result).toMatchObject({ outcome: 'pass', reward: 1, exitCode: 0 });
    const line = readFileSync(path.join(outDir, 'stdout.txt'), 'utf8').trim();
    expect(line).toBe(`t1|/tmp/task-dir-t1|2|${outDir}|h0|from-suite-env|${version.root}`);
  });

  it('fails on a non-zero exit and quotes the end of stderr', async () => {
    const { result, outDir } = await runOnce('echo "assertion failed: 2 != 3" >&2; exit 3');
    expect(result.outcome).toBe('fail');
    expect(result.exitCode).toBe(3);
    expect(result.error?.message).toContain('exited with code 3');
    expect(result.error?.message).toContain('assertion failed');
    expect(readFileSync(path.join(outDir, 'stderr.txt'), 'utf8')).toContain('assertion failed');
  });

  it('takes reward, passed, error and usage from result.json over the exit code', async () => {
    const partial = await runOnce(
      `echo '{"reward":0.5,"usage":{"input_tokens":120,"output_tokens":30,"cost_usd":0.01}}' > "$SELF_HARNESS_OUT/result.json"; exit 0`,
    );
    expect(partial.result).toMatchObject({ outcome: 'fail', reward: 0.5, usage: { inputTokens: 120, outputTokens: 30, costUsd: 0.01 } });
    const full = await runOnce(`echo '{"reward":1}' > "$SELF_HARNESS_OUT/result.json"; exit 7`);
    expect(full.result).toMatchObject({ outcome: 'pass', reward: 1, exitCode: 7 });
    const lenient = await runOnce(`echo '{"reward":0.6,"passed":true,"error":{"type":"x","message":"m"}}' > "$SELF_HARNESS_OUT/result.json"`);
    expect(lenient.result).toMatchObject({ outcome: 'pass', reward: 0.6, error: { type: 'x', message: 'm' } });
  });

  it('reports a malformed result.json as an infrastructure error naming the file and the field', async () => {
    const badField = await runOnce(`echo '{"reward":2}' > "$SELF_HARNESS_OUT/result.json"`);
    expect(badField.result.outcome).toBe('infra-error');
    expect(badField.result.error?.type).toBe('malformed-result');
    expect(badField.result.error?.message).toContain(path.join(badField.outDir, 'result.json'));
    expect(badField.result.error?.message).toContain('field "reward"');
    const missing = await runOnce(`echo '{"usage":{}}' > "$SELF_HARNESS_OUT/result.json"`);
    expect(missing.result.error?.message).toContain('field "reward"');
    const wrongType = await runOnce(`echo '{"reward":1,"usage":{"input_tokens":"many"}}' > "$SELF_HARNESS_OUT/result.json"`);
    expect(wrongType.result.error?.message).toContain('field "usage.input_tokens"');
    const notJson = await runOnce(`echo '{"reward":' > "$SELF_HARNESS_OUT/result.json"`);
    expect(notJson.result.outcome).toBe('infra-error');
    expect(notJson.result.error?.message).toMatch(/result\.json: not valid JSON/);
  });

  it('treats error.infrastructure in result.json as an infrastructure error', async () => {
    const { result } = await runOnce(
      `echo '{"reward":0,"error":{"type":"SandboxDown","message":"no sandbox","infrastructure":true}}' > "$SELF_HARNESS_OUT/result.json"; exit 1`,
    );
    expect(result).toMatchObject({ outcome: 'infra-error', error: { type: 'SandboxDown', infrastructure: true } });
  });

  it('reports a command that cannot start as an infrastructure error', async () => {
    const { result } = await runOnce('./no-such-agent --go');
    expect(result.outcome).toBe('infra-error');
    expect(result.error?.type).toBe('command-not-started');
    expect(result.error?.message).toContain('no-such-agent');
    const runner = new CommandRunner({ command: 'true' });
    const missingCwd = await runner.run({
      task: task('t'),
      attempt: 0,
      harness: harness('/nonexistent/dir/xyz'),
      outDir: path.join(tempDir(), 'o'),
      timeoutMs: 5000,
    });
    expect(missingCwd.outcome).toBe('infra-error');
    expect(missingCwd.error?.type).toBe('spawn-failed');
  });

  it('calls an episode killed from outside (SIGKILL, as the OOM killer does) an infrastructure error, not a failure', async () => {
    const direct = await runOnce('echo started >&2; kill -9 $$');
    expect(direct.result).toMatchObject({ outcome: 'infra-error', exitCode: null, error: { type: 'killed', infrastructure: true } });
    expect(direct.result.error!.message).toMatch(/^killed by SIGKILL: the kernel OOM killer or another process ended it, not the agent/);
    // A child killed by SIGKILL, reported by the shell as exit 137.
    const child = await runOnce("sh -c 'kill -9 $$'; exit $?");
    expect(child.result).toMatchObject({ outcome: 'infra-error', exitCode: 137, error: { type: 'killed' } });
    expect(child.result.error!.message).toMatch(/exited with code 137 \(a process killed by SIGKILL\)/);
    // A crash the agent caused is still its failure.
    expect((await runOnce('kill -SEGV $$')).result).toMatchObject({ outcome: 'fail', error: { type: 'signal' } });
  });

  it('kills the whole process tree at the timeout, including background and setsid children', async () => {
    const marker = marked();
    // The sleepers run for 1000 s: had the runner waited for them, the test would run out of time (no clock needed).
    const { result } = await runOnce(`sleep ${marker} & setsid sleep ${marker} & sleep ${marker}`, { timeoutMs: 400 });
    expect(result.outcome).toBe('timeout');
    expect(result.error?.type).toBe('timeout');
    expect(await pollUntil(() => alive(`sleep ${marker}`).length === 0)).toBe(true);
  });

  it('sends SIGKILL after the grace period to a child that ignores SIGTERM, even after it left the group and its parent died', async () => {
    const marker = marked();
    const dir = tempDir('sh-term-');
    const [ready, termed] = [path.join(dir, 'ready'), path.join(dir, 'termed')];
    // The child notes each SIGTERM it shrugs off (short sleeps, so the trap runs) and would otherwise live 1000 s: it
    // got SIGTERM first, and only SIGKILL ended it. The tree is stopped once the trap is set (no clock needed).
    const stubborn = `setsid sh -c 'trap "echo term >> ${termed}" TERM; touch ${ready}; i=0; while [ $i -lt 20000 ]; do sleep 0.05; i=$((i+1)); done; : ${marker}'`;
    const runner = new CommandRunner({ command: `${stubborn} & sleep ${marker} & sleep ${marker}`, killGraceMs: 3000 });
    const controller = new AbortController();
    void pollUntil(() => existsSync(ready)).then(() => controller.abort());
    const outDir = path.join(dir, 'o');
    const result = await runner.run({ task: task('t'), attempt: 0, harness: harness(), outDir, timeoutMs: 600_000, signal: controller.signal });
    expect(result.error?.type).toBe('aborted');
    expect(await pollUntil(() => alive(marker).length === 0)).toBe(true);
    expect(readFileSync(termed, 'utf8')).toContain('term');
  });

  it('ends background processes an episode leaves behind when it exits', async () => {
    const marker = marked();
    const { result } = await runOnce(`sleep ${marker} & echo done`);
    expect(result.outcome).toBe('pass');
    expect(await pollUntil(() => alive(`sleep ${marker}`).length === 0)).toBe(true);
  });

  it('caps stdout and notes the truncation', async () => {
    const { result, outDir } = await runOnce(`head -c 300000 /dev/zero | tr '\\0' 'x'`, { outputCapBytes: 100_000 });
    expect(result.outcome).toBe('pass');
    const text = readFileSync(path.join(outDir, 'stdout.txt'), 'utf8');
    expect(text.startsWith('x'.repeat(100_000))).toBe(true);
    expect(text).toContain('output truncated at 100000 bytes; 200000 more bytes were dropped');
  });

  it('keeps files the command writes into its artifact directory', async () => {
    const { outDir } = await runOnce(`mkdir -p "$SELF_HARNESS_OUT/agent" && echo '{"steps":[]}' > "$SELF_HARNESS_OUT/agent/trajectory.json"`);
    expect(readFileSync(path.join(outDir, 'agent', 'trajectory.json'), 'utf8')).toContain('steps');
  });

  it('stops and reports an infrastructure error when aborted', async () => {
    const marker = marked();
    const runner = new CommandRunner({ command: `sleep ${marker}`, killGraceMs: 200 });
    const controller = new AbortController();
    const outDir = path.join(tempDir(), 'o');
    mkdirSync(outDir);
    writeFileSync(path.join(outDir, 'x'), '');
    // Aborted once the episode is running (its sleeper is up), however long that takes to happen.
    void pollUntil(() => alive(`sleep ${marker}`).length > 0).then(() => controller.abort());
    const result = await runner.run({ task: task('t'), attempt: 0, harness: harness(), outDir, timeoutMs: 600_000, signal: controller.signal });
    expect(result.error?.type).toBe('aborted');
    expect(await pollUntil(() => alive(`sleep ${marker}`).length === 0)).toBe(true);
  });
});
