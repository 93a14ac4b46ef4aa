// The episode store: an append-only JSONL ledger of finished episodes plus one artifact directory per episode.
// Appends are single writes under a cross-process lock; readers skip a torn last line, so a SIGKILL never corrupts it.
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { jsonLinesOfFile } from './jsonl.js';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { silentLogger, type EpisodeRecord, type Logger } from '../domain/types.js';

export const LEDGER_FILE = 'episodes.jsonl';
export const ARTIFACTS_DIR = 'episodes';
/** Under ARTIFACTS_DIR: the directories of tries in progress (a dot name, so trace walks never enter it). */
export const TRIES_DIR = '.tries';
let tryCounter = 0;

/** A state-directory write failure as one line: what could not be written, the error code and its meaning. */
export function writeProblem(error: unknown, what: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const meaning: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EROFS: 'read-only file system',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EIO: 'input/output error',
    EMFILE: 'too many open files',
    ENOENT: 'a directory is missing',
  };
  const reason = code ? `${code}${meaning[code] ? ` (${meaning[code]})` : ''}` : ((error as Error)?.message ?? String(error));
  return `could not write ${what}: ${reason}`;
}

const UsageSchema = z.looseObject({
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  costUsd: z.number().optional(),
});

/** Shape check of a ledger line; extra fields are kept so newer writers stay readable. */
export const EpisodeRecordSchema = z.looseObject({
  id: z.string().min(1),
  key: z.looseObject({
    harnessHash: z.string(),
    taskId: z.string(),
    taskHash: z.string(),
    attempt: z.number().int().min(0),
    runCommand: z.string(),
    model: z.string(),
    stream: z.string().optional(),
  }),
  split: z.enum(['train', 'holdout']),
  outcome: z.enum(['pass', 'fail', 'timeout', 'infra-error']),
  reward: z.number(),
  error: z.looseObject({ type: z.string(), message: z.string(), infrastructure: z.boolean().optional() }).optional(),
  usage: UsageSchema.optional(),
  exitCode: z.number().nullable(),
  startedAt: z.string(),
  durationMs: z.number(),
  artifacts: z.string(),
  tries: z.number(),
  runner: z.string(),
  shard: z.string().optional(),
});

export interface EpisodeStoreOptions {
  logger?: Logger;
}

export class EpisodeStore {
  private latest = new Map<string, EpisodeRecord>();
  private queue: { record: EpisodeRecord; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;

  private constructor(
    readonly stateDir: string,
    private readonly logger: Logger,
  ) {}

  /** Opens (creating if needed) the store under `stateDir` and reads its ledger. */
  static async open(stateDir: string, options: EpisodeStoreOptions = {}): Promise<EpisodeStore> {
    const dir = path.resolve(stateDir);
    await mkdir(path.join(dir, ARTIFACTS_DIR), { recursive: true });
    const store = new EpisodeStore(dir, options.logger ?? silentLogger);
    await store.reload();
    return store;
  }

  get ledgerPath(): string {
    return path.join(this.stateDir, LEDGER_FILE);
  }

  /** The latest record with this id, if any. */
  get(id: string): EpisodeRecord | undefined {
    return this.latest.get(id);
  }

  /** The latest record of every id, in order of first appearance in the ledger. */
  all(): EpisodeRecord[] {
    return [...this.latest.values()];
  }

  /** Absolute artifact directory of an episode. */
  artifactsPath(id: string): string {
    return path.join(this.stateDir, ARTIFACTS_DIR, id);
  }

  /**
   * A fresh directory name for one try of an episode, private to this process: the try's processes write there and
   * the finished try is moved to artifactsPath(id). Orphans of a killed run keep writing into their own abandoned
   * try directory, never into a later episode's artifacts.
   */
  tryPath(id: string): string {
    tryCounter += 1;
    return path.join(this.stateDir, ARTIFACTS_DIR, TRIES_DIR, `${id}-${process.pid}-${Date.now().toString(36)}-${tryCounter}`);
  }

  /**
   * Appends one record. Records appended while a write is in flight are written together, as one
   * write under one lock, so concurrent episodes finishing at once do not queue on the lock.
   */
  append(record: EpisodeRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      try {
        await this.writeLocked(batch.map((entry) => `${JSON.stringify(entry.record)}\n`).join(''));
        for (const entry of batch) {
          this.latest.set(entry.record.id, entry.record);
          entry.resolve();
        }
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.flushing = undefined;
  }

  /** One write under the cross-process lock; repairs a torn last line left by a killed writer first. */
  private async writeLocked(text: string): Promise<void> {
    const file = this.ledgerPath;
    const release = await lockfile.lock(file, {
      realpath: false,
      stale: 10_000,
      retries: { retries: 200, factor: 1.3, minTimeout: 2, maxTimeout: 100 },
      onCompromised: (error) => this.logger.warn(`${file}: the ledger lock was lost (${error.message}); appends may interleave.`),
    });
    try {
      const handle = await open(file, 'a+');
      try {
        const { size } = await handle.stat();
        let prefix = '';
        if (size > 0) {
          const last = Buffer.alloc(1);
          await handle.read(last, 0, 1, size - 1);
          if (last[0] !== 0x0a) prefix = '\n';
        }
        try {
          await handle.appendFile(prefix + text, 'utf8');
        } catch (error) {
          // A partial write (ENOSPC half way) must not leave a torn line: cut the file back to what it was.
          await handle.truncate(size).catch(() => {});
          throw error;
        }
      } finally {
        await handle.close();
      }
    } finally {
      await release();
    }
  }

  /** Re-reads the ledger (e.g. after other processes appended to it). */
  async reload(): Promise<void> {
    const file = this.ledgerPath;
    const latest = new Map<string, EpisodeRecord>();
    try {
      for await (const batch of jsonLinesOfFile(file)) {
        for (const item of batch) {
          const record = 'problem' in item ? (item.problem === 'too-long' ? 'longer than any record' : 'not JSON') : parseRecord(item.value);
          if (typeof record === 'string') {
            const what = 'problem' in item && item.torn ? 'an unfinished last line (a writer was killed mid-write)' : `a malformed line (${record})`;
            this.logger.warn(`${file}:${item.line}: skipped ${what}; that episode will be run again.`);
            continue;
          }
          latest.set(record.id, record);
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    this.latest = latest;
  }
}

/** A record, or a short reason why the parsed line is not one. */
export function parseRecord(raw: unknown): EpisodeRecord | string {
  const parsed = EpisodeRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `field "${issue.path.join('.')}": ${issue.message}`;
  }
  return parsed.data as EpisodeRecord;
}
