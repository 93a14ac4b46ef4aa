// Progress of an episode run on stderr: one redrawn bar on a TTY, one plain line per finished episode elsewhere (CI, pipes).
import type { Logger, ValidationProgress } from '../domain/types.js';
import type { PoolProgress } from '../flows/episode-pool.js';
import { formatDuration } from '../report/run-summary.js';
import { lineLogger } from './logger.js';

export interface ProgressReporter {
  onProgress(progress: PoolProgress): void;
  /** Warnings and notes that must not be drawn over by the bar. */
  logger: Logger;
  /** Ends the bar line. */
  done(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Draw a bar; default: the stream is a TTY and CI is not set. */
  tty?: boolean;
  /** Print nothing but warnings (e.g. with --json the caller may still want progress; this silences it). */
  quiet?: boolean;
}

const BAR_WIDTH = 24;

/** `[12/48] pass task-id#0 3.2s` (plus tries and the error type when there is something to say). */
export function progressLine(progress: PoolProgress): string {
  const record = progress.last!;
  const width = String(progress.total).length;
  const notes: string[] = [];
  if (record.tries > 1) notes.push(`${record.tries} tries`);
  if (record.outcome !== 'pass' && record.error) notes.push(record.error.type);
  return `[${String(progress.done).padStart(width)}/${progress.total}] ${record.outcome} ${record.key.taskId}#${record.key.attempt} ${formatDuration(record.durationMs)}${notes.length ? ` (${notes.join(', ')})` : ''}`;
}

export function progressBar(progress: PoolProgress, elapsedMs: number): string {
  const fraction = progress.total > 0 ? progress.done / progress.total : 1;
  const filled = Math.round(fraction * BAR_WIDTH);
  const ran = progress.done - progress.cached;
  const remaining = progress.total - progress.done;
  const eta = ran > 0 && remaining > 0 ? ` eta ${formatDuration((elapsedMs / ran) * remaining)}` : '';
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${progress.done}/${progress.total} ` +
    `pass ${progress.passed} fail ${progress.failed} infra ${progress.infra} running ${progress.running}` +
    `${progress.cached ? ` cached ${progress.cached}` : ''}${eta}`
  );
}

export function createProgress(options: ProgressOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? (Boolean(stream.isTTY) && !process.env.CI);
  const started = Date.now();
  let drawn = false;
  let lastDraw = 0;
  let announced = false;
  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  const print = (line: string) => {
    clear();
    stream.write(`${line}\n`);
  };
  return {
    onProgress(progress) {
      if (options.quiet) return;
      if (!announced) {
        announced = true;
        const toRun = progress.total - progress.cached;
        print(progress.cached > 0 ? `${progress.total} episodes: ${progress.cached} already recorded, ${toRun} to run` : `${progress.total} episodes to run`);
      }
      if (tty) {
        const now = Date.now();
        if (now - lastDraw < 80 && progress.done < progress.total) return;
        lastDraw = now;
        clear();
        stream.write(progressBar(progress, now - started).slice(0, Math.max(20, (stream.columns ?? 120) - 1)));
        drawn = true;
      } else if (progress.last) {
        print(progressLine(progress));
      }
    },
    logger: lineLogger(print),
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

const signedNumber = (n: number) => (n > 0 ? `+${n}` : String(n));

/**
 * `candidate c1, train split: 24/96 episodes, net +7 (promote at +11, reject at -9), eta <= 1m 20s`: the episodes
 * are of the most the phase can take (the sequential test usually stops earlier, so the eta is an upper bound).
 */
export function validationLine(update: ValidationProgress, elapsedMs?: number): string {
  const name = update.candidate.replace(/[\x00-\x1f\x7f]/g, ' ');
  const left = update.episodesMax - update.episodesDone;
  const eta =
    elapsedMs !== undefined && elapsedMs > 0 && update.episodesDone > 0 && left > 0
      ? `, eta <= ${formatDuration((elapsedMs / update.episodesDone) * left)}`
      : '';
  return (
    `candidate ${name}, ${update.phase}: ${update.episodesDone}/${update.episodesMax} episodes, net ${signedNumber(update.net)} ` +
    `(${update.passWord} at ${signedNumber(update.passAt)}, ${update.failWord} at ${signedNumber(update.failAt)})${eta}`
  );
}

/**
 * The logger evolve and validate use: notes and warnings as lines on stderr, and each candidate's validation as one
 * live line on a TTY (redrawn after every look, kept when the next candidate starts) or a plain line per look elsewhere.
 */
export function createValidationProgress(options: Omit<ProgressOptions, 'quiet'> & { now?: () => number } = {}): Logger & { done(): void } {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? (Boolean(stream.isTTY) && !process.env.CI);
  const now = options.now ?? Date.now;
  let current: { key: string; line: string; started: number } | undefined;
  // A phase starts about when the last thing before it was said: its first look comes only after a batch ran.
  let lastEvent = now();
  let drawn = false;
  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  const draw = () => {
    if (!current) return;
    stream.write(current.line.slice(0, Math.max(20, (stream.columns ?? 160) - 1)));
    drawn = true;
  };
  const print = (line: string) => {
    lastEvent = now();
    clear();
    stream.write(`${line}\n`);
    if (tty) draw();
  };
  const base = lineLogger(print);
  return {
    ...base,
    progress(update) {
      const key = `${update.candidate}\n${update.phase}`;
      if (current?.key !== key) {
        // The previous candidate's (or phase's) last state stays on screen as its own line.
        if (drawn) stream.write('\n');
        drawn = false;
        current = { key, line: '', started: lastEvent };
      }
      lastEvent = now();
      current.line = validationLine(update, lastEvent - current.started);
      if (tty) {
        clear();
        draw();
      } else stream.write(`${current.line}\n`);
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
      current = undefined;
    },
  };
}
