// Runs one shell command in its own process group, with a deadline and head+tail output capping.
import { spawn } from 'node:child_process';

export interface ShellResult {
  /** null when killed (timeout) or when it died by a signal. */
  exitCode: number | null;
  timedOut: boolean;
  /** stdout and stderr interleaved, capped to head+tail with a marker in between. */
  output: string;
  /** Bytes left out of `output` by the cap. */
  omittedBytes: number;
  durationMs: number;
}

export interface ShellOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Total bytes kept: half from the start, half from the end (default 10,000). */
  maxOutputBytes?: number;
  /** Collects the command's process group id, so the owner can kill what it leaves running. */
  processGroups?: Set<number>;
  /** Text written to the command's stdin (default: no stdin). */
  stdin?: string;
}

/** Keeps the first and last `max / 2` bytes of a stream. */
export class HeadTailBuffer {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  total = 0;
  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    const headRoom = Math.ceil(this.max / 2) - this.headBytes;
    if (headRoom > 0) {
      const part = chunk.subarray(0, headRoom);
      this.head.push(part);
      this.headBytes += part.length;
      chunk = chunk.subarray(part.length);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    const keep = Math.floor(this.max / 2);
    while (this.tail.length > 1 && this.tailBytes - this.tail[0]!.length >= keep) {
      this.tailBytes -= this.tail.shift()!.length;
    }
  }

  text(): { text: string; omitted: number } {
    const head = Buffer.concat(this.head).toString('utf8');
    let tail = Buffer.concat(this.tail);
    const keep = Math.floor(this.max / 2);
    if (tail.length > keep) tail = tail.subarray(tail.length - keep);
    const omitted = this.total - this.headBytes - tail.length;
    if (omitted <= 0) return { text: head + tail.toString('utf8'), omitted: 0 };
    return { text: `${head}\n[... output limited to ${this.max} bytes; ${omitted} interior bytes omitted ...]\n${tail.toString('utf8')}`, omitted };
  }
}

/** Kills the process groups in `groups` (commands and anything they left running in the background). */
export function killProcessGroups(groups: Set<number>): void {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  groups.clear();
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function runShell(command: string, options: ShellOptions): Promise<ShellResult> {
  const started = Date.now();
  const buffer = new HeadTailBuffer(options.maxOutputBytes ?? 10_000);
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (options.stdin !== undefined) child.stdin!.end(options.stdin);
    if (child.pid) options.processGroups?.add(child.pid);
    let timedOut = false;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 500).unref();
    }, options.timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => buffer.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => buffer.push(chunk));
    let done = false;
    const finish = (exitCode: number | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // A group with members left (e.g. `cmd &`) stays tracked until the owner kills it at the end of the episode.
      if (child.pid && !groupAlive(child.pid)) options.processGroups?.delete(child.pid);
      child.stdout!.destroy();
      child.stderr!.destroy();
      // Background children of a finished command must not outlive the episode's output pipes.
      if (timedOut) killGroup('SIGKILL');
      const { text, omitted } = buffer.text();
      resolve({ exitCode: timedOut ? null : exitCode, timedOut, output: text, omittedBytes: omitted, durationMs: Date.now() - started });
    };
    child.on('error', (error) => {
      buffer.push(Buffer.from(`${error.message}\n`));
      finish(127);
    });
    child.on('close', (code) => finish(code));
    // A background child (`cmd &`) may keep the pipes open after the shell exits: do not wait for it.
    child.on('exit', (code) => setTimeout(() => finish(code), 200).unref());
  });
}
