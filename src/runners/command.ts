// Runs one episode as a shell command (the episode protocol, docs/episode-protocol.md): env in,
// exit code or $SELF_HARNESS_OUT/result.json out, whole process tree killed at the deadline.
import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { EpisodeError, EpisodeRequest, EpisodeResult, EpisodeRunner, Usage } from '../domain/types.js';
import { childEnded, superviseTree } from './supervise.js';
import { runCommandError } from './run-command-error.js';

export const RESULT_FILE = 'result.json';
/** Signals an agent does not send itself: an episode ended by one was killed from outside. */
const OUTSIDE_SIGNALS = new Set(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP']);

function signalName(number: number): string | undefined {
  return Object.entries(osConstants.signals).find(([, value]) => value === number)?.[0];
}
const DEFAULT_OUTPUT_CAP = 4 * 1024 * 1024;
const STDERR_TAIL = 600;

const ResultFileSchema = z
  .looseObject({
    reward: z.number().min(0).max(1).optional(),
    passed: z.boolean().optional(),
    error: z.looseObject({ type: z.string(), message: z.string(), infrastructure: z.boolean().optional() }).optional(),
    usage: z
      .looseObject({
        input_tokens: z.number().min(0).optional(),
        output_tokens: z.number().min(0).optional(),
        cost_usd: z.number().min(0).optional(),
      })
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (value.reward === undefined && value.passed === undefined && !value.error?.infrastructure) {
      ctx.addIssue({ code: 'custom', path: ['reward'], message: 'required: a number from 0 to 1 (or "passed": true|false)' });
    }
  });

export type ResultFile = z.output<typeof ResultFileSchema>;

export interface CommandRunnerOptions {
  /** The shell command (`suite.run`), run with /bin/sh -c. */
  command: string;
  /** Added to the inherited environment (`suite.env`). */
  env?: Record<string, string>;
  /** The agent's model label, part of the cache key. */
  model?: string;
  /** The config file suite.run comes from, named in the fix of a run-command config error (default .self-harness.yml). */
  configFile?: string;
  /** Time between SIGTERM and SIGKILL when an episode is killed (default 5000). */
  killGraceMs?: number;
  /** Bytes of stdout and of stderr kept per episode (default 4 MiB each). */
  outputCapBytes?: number;
}

/** Reads `<outDir>/result.json`: undefined when absent, a string when malformed (what and where). */
export async function readResultFile(outDir: string): Promise<ResultFile | string | undefined> {
  const file = path.join(outDir, RESULT_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `${file}: could not be read (${(error as Error).message})`;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return `${file}: not valid JSON (${(error as Error).message}); write {"reward": 0..1} or remove the file and use the exit code`;
  }
  const parsed = ResultFileSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || '(top level)';
  return `${file}: field "${field}": ${issue.message}; see docs/episode-protocol.md for the result.json format`;
}

function usageOf(result: ResultFile): Usage | undefined {
  if (!result.usage) return undefined;
  const usage: Usage = {};
  if (result.usage.input_tokens !== undefined) usage.inputTokens = result.usage.input_tokens;
  if (result.usage.output_tokens !== undefined) usage.outputTokens = result.usage.output_tokens;
  if (result.usage.cost_usd !== undefined) usage.costUsd = result.usage.cost_usd;
  return usage;
}

/** Copies a stream into a file up to `cap` bytes, noting what was dropped; keeps a short tail in memory. */
class CappedCapture {
  private written = 0;
  private dropped = 0;
  private tail = '';
  private readonly file: WriteStream;
  readonly done: Promise<void>;

  constructor(
    stream: Readable,
    filePath: string,
    private readonly cap: number,
  ) {
    this.file = createWriteStream(filePath);
    this.file.on('error', () => {});
    this.done = new Promise((resolve) => {
      stream.on('data', (chunk: Buffer) => this.take(chunk));
      stream.on('close', () => resolve());
      stream.on('error', () => resolve());
    });
  }

  private take(chunk: Buffer): void {
    this.tail = (this.tail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    const room = this.cap - this.written;
    if (room >= chunk.length) {
      this.file.write(chunk);
      this.written += chunk.length;
    } else {
      if (room > 0) this.file.write(chunk.subarray(0, room));
      this.written += Math.max(room, 0);
      this.dropped += chunk.length - Math.max(room, 0);
    }
  }

  lastText(): string {
    return this.tail.trim();
  }

  async close(): Promise<void> {
    if (this.dropped > 0) this.file.write(`\n[self-harness: output truncated at ${this.cap} bytes; ${this.dropped} more bytes were dropped]\n`);
    await new Promise<void>((resolve) => this.file.end(resolve));
  }
}

export class CommandRunner implements EpisodeRunner {
  readonly name = 'command';
  readonly model: string;
  readonly runCommand: string;
  private readonly env: Record<string, string>;
  private readonly killGraceMs: number;
  private readonly configFile: string;
  private readonly outputCap: number;

  constructor(options: CommandRunnerOptions) {
    this.runCommand = options.command;
    this.model = options.model ?? '';
    this.env = options.env ?? {};
    this.killGraceMs = options.killGraceMs ?? 5_000;
    this.configFile = options.configFile ?? '.self-harness.yml';
    this.outputCap = options.outputCapBytes ?? DEFAULT_OUTPUT_CAP;
  }

  async run(request: EpisodeRequest): Promise<EpisodeResult> {
    const { task, attempt, harness, outDir, timeoutMs, signal } = request;
    await mkdir(outDir, { recursive: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...this.env,
      SELF_HARNESS_TASK: task.id,
      SELF_HARNESS_ATTEMPT: String(attempt),
      SELF_HARNESS_OUT: outDir,
      SELF_HARNESS_HARNESS: harness.hash,
    };
    if (task.dir) env.SELF_HARNESS_TASK_DIR = task.dir;
    else delete env.SELF_HARNESS_TASK_DIR;
    if (request.episodeId) env.SELF_HARNESS_EPISODE = request.episodeId;
    else delete env.SELF_HARNESS_EPISODE;

    const child = spawn('/bin/sh', ['-c', this.runCommand], {
      cwd: harness.root,
      env,
      detached: true, // own process group, so the whole tree can be killed
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exit = childEnded(child);
    const stdout = new CappedCapture(child.stdout, path.join(outDir, 'stdout.txt'), this.outputCap);
    const stderr = new CappedCapture(child.stderr, path.join(outDir, 'stderr.txt'), this.outputCap);

    const { end: ended, timedOut, aborted } = await superviseTree(child.pid, exit, { timeoutMs, killGraceMs: this.killGraceMs, signal });
    // A descendant that escaped the kill may still hold the pipes open; stop waiting for it after a moment.
    let pipeTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([stdout.done, stderr.done]),
      new Promise((r) => {
        pipeTimer = setTimeout(r, 2_000);
      }),
    ]);
    clearTimeout(pipeTimer);
    child.stdout.destroy();
    child.stderr.destroy();
    await Promise.all([stdout.close(), stderr.close()]);

    const exitCode = ended.code;
    const infra = (type: string, message: string): EpisodeResult => ({
      outcome: 'infra-error',
      reward: 0,
      exitCode,
      error: { type, message, infrastructure: true },
    });
    if (ended.spawnError) return infra('spawn-failed', `could not start "${this.runCommand}" in ${harness.root}: ${ended.spawnError.message}`);
    if (aborted) return infra('aborted', 'the run was stopped before the episode finished');

    const result = await readResultFile(outDir);
    if (timedOut) {
      return {
        outcome: 'timeout',
        reward: 0,
        exitCode,
        error: { type: 'timeout', message: `killed after the ${Math.round(timeoutMs / 1000)} s timeout (suite.timeout-seconds)` },
        ...(result && typeof result !== 'string' && usageOf(result) ? { usage: usageOf(result) } : {}),
      };
    }
    if (typeof result === 'string') return infra('malformed-result', result);
    if (result) {
      const usage = usageOf(result);
      const reward = result.reward ?? (result.passed ? 1 : 0);
      const error: EpisodeError | undefined = result.error;
      if (error?.infrastructure) return { outcome: 'infra-error', reward, exitCode, error, ...(usage ? { usage } : {}) };
      const passed = result.passed ?? reward >= 1;
      return { outcome: passed ? 'pass' : 'fail', reward, exitCode, ...(error ? { error } : {}), ...(usage ? { usage } : {}) };
    }
    if (exitCode === 0) return { outcome: 'pass', reward: 1, exitCode };
    const tail = stderr.lastText();
    const detail = tail ? `; stderr ends: ${tail}` : '';
    const configError = runCommandError(exitCode, tail, this.runCommand, this.configFile);
    if (configError) return { outcome: 'infra-error', reward: 0, exitCode, error: configError };
    // Killed from outside (the OOM killer, an operator, a shutdown) is not the agent failing: an infrastructure error,
    // retried like one. The shell reports a child killed by signal N as exit 128+N.
    const outsideSignal = exitCode === null ? ended.signal : exitCode > 128 ? signalName(exitCode - 128) : undefined;
    if (outsideSignal && OUTSIDE_SIGNALS.has(outsideSignal)) {
      const how = exitCode === null ? `killed by ${outsideSignal}` : `exited with code ${exitCode} (a process killed by ${outsideSignal})`;
      const why = outsideSignal === 'SIGKILL' ? 'the kernel OOM killer or another process ended it' : 'something outside the agent stopped it';
      return infra('killed', `${how}: ${why}, not the agent; counted as an infrastructure error and retried${detail}`);
    }
    if (exitCode === null)
      return { outcome: 'fail', reward: 0, exitCode, error: { type: 'signal', message: `killed by ${ended.signal ?? 'a signal'}${detail}` } };
    return { outcome: 'fail', reward: 0, exitCode, error: { type: 'exit-code', message: `exited with code ${exitCode}${detail}` } };
  }
}
