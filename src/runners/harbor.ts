// Runs one episode as one Harbor trial: `harbor run` for a single task and attempt, the harness under test
// injected as configured, the job written inside the episode's artifact dir (so the miner reads the trial),
// and the trial's result.json mapped to an EpisodeResult.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/schema.js';
import type { EpisodeRequest, EpisodeResult, EpisodeRunner } from '../domain/types.js';
import { buildInvocation, harborSettings, invocationTemplate, HARBOR_VERSION, type HarborSettings } from './harbor-invocation.js';
import { findTrialResults, mapTrialResult, readTrialResult } from './harbor-trial.js';
import { childEnded, superviseTree, type ChildEnd } from './supervise.js';

export { HARBOR_VERSION } from './harbor-invocation.js';

export interface HarborRunnerOptions {
  /** Added to the inherited environment (`suite.env`). */
  env?: Record<string, string>;
  /** Cache-key model label when suite.harbor.model is not set (`suite.model`). */
  model?: string;
  /** Time between SIGTERM and SIGKILL when an episode is killed (default 10 s: Harbor tears down its sandbox). */
  killGraceMs?: number;
}

const TAIL_BYTES = 600;

/** The runner `suite.runner: harbor` asks for. Throws a UserError when suite.harbor is incomplete. */
export function createHarborRunner(config: Config, root: string): EpisodeRunner {
  return new HarborRunner(harborSettings(config, root), { env: config.suite.env, model: config.suite.model });
}

export class HarborRunner implements EpisodeRunner {
  readonly name = 'harbor';
  readonly model: string;
  readonly runCommand: string;
  private readonly env: Record<string, string>;
  private readonly killGraceMs: number;

  constructor(
    private readonly settings: HarborSettings,
    options: HarborRunnerOptions = {},
  ) {
    this.model = settings.model ?? options.model ?? '';
    this.runCommand = invocationTemplate(settings);
    this.env = options.env ?? {};
    this.killGraceMs = options.killGraceMs ?? 10_000;
  }

  async run(request: EpisodeRequest): Promise<EpisodeResult> {
    const { task, attempt, harness, outDir, timeoutMs, signal } = request;
    await mkdir(outDir, { recursive: true });
    const inherited = { ...process.env, ...this.env };
    const invocation = buildInvocation(
      this.settings,
      { taskId: task.id, ...(task.dir ? { taskDir: task.dir } : {}), attempt, harnessRoot: harness.root, outDir },
      inherited.PYTHONPATH,
    );
    const infra = (type: string, message: string, exitCode: number | null = null): EpisodeResult => ({
      outcome: 'infra-error',
      reward: 0,
      exitCode,
      error: { type, message, infrastructure: true },
    });
    if (invocation.injected !== undefined && !existsSync(invocation.injected)) {
      return infra(
        'inject-path-missing',
        `suite.harbor.inject-path: ${path.relative(harness.root, invocation.injected) || '.'} does not exist in harness ${harness.label} (${harness.root}); the harness file handed to Harbor must exist in every version.`,
      );
    }

    const stdoutFile = path.join(outDir, 'stdout.txt');
    const stderrFile = path.join(outDir, 'stderr.txt');
    const out = await open(stdoutFile, 'w');
    const err = await open(stderrFile, 'w');
    let ended: Promise<ChildEnd>;
    let pid: number | undefined;
    try {
      const child = spawn(invocation.executable, invocation.args, {
        cwd: harness.root,
        env: {
          ...inherited,
          ...invocation.env,
          SELF_HARNESS_TASK: task.id,
          SELF_HARNESS_ATTEMPT: String(attempt),
          SELF_HARNESS_OUT: outDir,
          SELF_HARNESS_HARNESS: harness.hash,
        },
        detached: true, // own process group: the whole tree (Harbor, docker clients) is ended together
        stdio: ['ignore', out.fd, err.fd],
      });
      pid = child.pid;
      // Listeners before any await: a spawn error is emitted on the next tick.
      ended = childEnded(child);
    } finally {
      await out.close();
      await err.close();
    }
    const { end: exit, timedOut, aborted } = await superviseTree(pid, ended, { timeoutMs, killGraceMs: this.killGraceMs, signal });

    const exitCode = exit.code;
    if (exit.spawnError) {
      const missing = (exit.spawnError as NodeJS.ErrnoException).code === 'ENOENT';
      return infra(
        'harbor-not-started',
        missing
          ? `"${invocation.executable}" was not found on PATH; install Harbor ${HARBOR_VERSION} (e.g. \`uv tool install harbor==${HARBOR_VERSION}\`) or set suite.harbor.executable`
          : `could not start "${invocation.executable}": ${exit.spawnError.message}`,
      );
    }
    if (aborted) return infra('aborted', 'the run was stopped before the episode finished', exitCode);

    const trials = await findTrialResults(path.join(outDir, 'jobs'));
    const trial = trials[0] ? await readTrialResult(trials[0]) : undefined;
    if (timedOut) {
      // A trial Harbor finished before the deadline (e.g. teardown hung) still counts; otherwise it is the agent's timeout.
      if (trial && typeof trial !== 'string') return mapTrialResult(trial, exitCode);
      return {
        outcome: 'timeout',
        reward: 0,
        exitCode,
        error: {
          type: 'timeout',
          message: `harbor was killed after the ${Math.round(timeoutMs / 1000)} s timeout (suite.timeout-seconds) before the trial finished`,
        },
      };
    }
    if (typeof trial === 'string') return infra('malformed-trial-result', trial, exitCode);
    if (trial) return mapTrialResult(trial, exitCode);
    const tail = await fileTail(stderrFile);
    const detail = tail ? `; stderr ends: ${tail}` : '';
    if (exitCode === 0) {
      return infra(
        'harbor-no-trial',
        `harbor exited 0 but wrote no trial result under ${invocation.jobDir}; check that Harbor knows task "${task.id}"${detail}`,
        exitCode,
      );
    }
    return infra(
      'harbor-failed',
      `harbor ${exitCode === null ? `was killed by ${exit.signal ?? 'a signal'}` : `exited with code ${exitCode}`} before writing a trial result${detail}`,
      exitCode,
    );
  }
}

async function fileTail(file: string): Promise<string> {
  const info = await stat(file).catch(() => undefined);
  if (!info || info.size === 0) return '';
  const handle = await open(file, 'r');
  try {
    const length = Math.min(info.size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, info.size - length);
    return buffer.toString('utf8').trim();
  } finally {
    await handle.close();
  }
}
