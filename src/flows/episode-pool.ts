// Runs planned episodes with bounded concurrency: finished ones come from the store, the rest are run,
// infrastructure errors retried with backoff, and every finished episode appended to the ledger.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { EpisodeRecord, EpisodeResult, EpisodeRunner, HarnessVersion, Logger } from '../domain/types.js';
import { silentLogger } from '../domain/types.js';
import { keyOf, type EpisodePlan } from '../domain/plan.js';
import { episodeId } from '../domain/episode-id.js';
import { forEachLimited } from '../domain/concurrency.js';
import { writeProblem, type EpisodeStore } from '../store/ledger.js';
import { UserError } from '../domain/types.js';
import { isRunCommandConfigError } from '../runners/run-command-error.js';
import type { HarnessGuard } from './harness-guard.js';
import { episodeCheckouts, type EpisodeCheckout, type EpisodeCheckouts } from '../git/episode-checkout.js';

export interface PoolProgress {
  total: number;
  done: number;
  cached: number;
  running: number;
  passed: number;
  failed: number;
  infra: number;
  /** The episode that just finished (absent for the initial report of cached episodes). */
  last?: EpisodeRecord;
}

export interface PoolOptions {
  runner: EpisodeRunner;
  store: EpisodeStore;
  concurrency: number;
  timeoutMs: number;
  infraRetries: number;
  /** Reuse recorded episodes (default true). Infra-error records are always run again. */
  useCache?: boolean;
  logger?: Logger;
  onProgress?(progress: PoolProgress): void;
  signal?: AbortSignal;
  /** Label stored on records (`I/N`). */
  shard?: string;
  /** First backoff before an infra retry, doubled each retry (default 500 ms, at most 10 s). */
  retryBackoffMs?: number;
  /** Checks the harness files before and after each episode (an episode that changed them is an infra-error). */
  harnessGuard?: HarnessGuard;
  /**
   * Where each episode's private copy of its harness version comes from; a caller running many pools (a session)
   * passes one so untouched copies are reused across them, and closes it. Default: one for this call, closed at its end.
   */
  checkouts?: EpisodeCheckouts;
}

/** A recorded episode that may be reused instead of running it again. */
export function isReusable(record: EpisodeRecord | undefined): record is EpisodeRecord {
  return record !== undefined && record.outcome !== 'infra-error';
}

function infraResult(type: string, message: string): EpisodeResult {
  return { outcome: 'infra-error', reward: 0, exitCode: null, error: { type, message, infrastructure: true } };
}

function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Records in plan order (cached ones included). Never throws for an episode's failure; throws the
 * signal's reason when aborted (finished episodes are already in the ledger, so a re-run resumes).
 */
export async function runEpisodes(plans: EpisodePlan[], options: PoolOptions): Promise<EpisodeRecord[]> {
  const { runner, store, signal } = options;
  const logger = options.logger ?? silentLogger;
  const useCache = options.useCache ?? true;
  const backoff = options.retryBackoffMs ?? 500;
  const ids = plans.map((plan) => episodeId(keyOf(plan, runner)));
  const results = new Map<string, EpisodeRecord>();
  const progress: PoolProgress = { total: 0, done: 0, cached: 0, running: 0, passed: 0, failed: 0, infra: 0 };
  const count = (record: EpisodeRecord) => {
    progress.done++;
    if (record.outcome === 'pass') progress.passed++;
    else if (record.outcome === 'infra-error') progress.infra++;
    else progress.failed++;
  };

  // One run per distinct id, even if the plan repeats an episode.
  const pending: { id: string; plan: EpisodePlan }[] = [];
  const seen = new Set<string>();
  plans.forEach((plan, index) => {
    const id = ids[index]!;
    if (seen.has(id)) return;
    seen.add(id);
    const recorded = store.get(id);
    if (useCache && isReusable(recorded)) {
      results.set(id, recorded);
      progress.cached++;
      count(recorded);
    } else pending.push({ id, plan });
  });
  progress.total = seen.size;
  options.onProgress?.({ ...progress });

  const appends: Promise<void>[] = [];
  let appendError: unknown;
  let unrecorded = 0;
  /** The first episode whose run command never ran the agent: no further episode is started. */
  let firstConfigError: { record: EpisodeRecord; stderrFile: string | undefined } | undefined;
  const runInCheckout = async (
    id: string,
    plan: EpisodePlan,
    harness: HarnessVersion,
    outDir: string,
    guard: HarnessGuard | undefined,
  ): Promise<EpisodeResult> => {
    const stale = await guard?.before(plan.harness, harness.root);
    if (stale) return infraResult('harness-changed', stale);
    let result: EpisodeResult;
    try {
      result = await runner.run({ task: plan.task, attempt: plan.attempt, harness, outDir, timeoutMs: options.timeoutMs, signal, episodeId: id });
    } catch (error) {
      result = infraResult('runner-crash', `the ${runner.name} runner failed: ${(error as Error)?.message ?? String(error)}`);
    }
    const modified = await guard?.after(plan.harness, harness.root);
    if (!modified || modified.length === 0) return result;
    return {
      ...infraResult(
        'harness-modified',
        `the episode modified harness files: ${modified.join(', ')}; the change stayed in the episode's private copy, and the episode is not a result of harness ${plan.harness.hash.slice(0, 12)}`,
      ),
      exitCode: result.exitCode,
      ...(result.usage ? { usage: result.usage } : {}),
    };
  };
  const checkouts = options.checkouts ?? episodeCheckouts(store.stateDir);
  // Each try runs in its own copy of the harness version: what a concurrent episode writes in its cwd is never seen by
  // another, and no episode can write into the files the others are judged on.
  const tryEpisode = async (id: string, plan: EpisodePlan, outDir: string): Promise<EpisodeResult> => {
    // A root that does not exist has nothing to share (the runner reports it, or does not use a cwd).
    if (!existsSync(plan.harness.root)) return runInCheckout(id, plan, plan.harness, outDir, options.harnessGuard);
    let checkout: EpisodeCheckout;
    try {
      checkout = await checkouts.create(plan.harness.root, plan.harness.hash.slice(0, 12));
    } catch (error) {
      return infraResult('checkout-failed', `could not make the episode's private copy of ${plan.harness.root}: ${(error as Error)?.message ?? String(error)}`);
    }
    try {
      return await runInCheckout(id, plan, { ...plan.harness, root: checkout.root }, outDir, options.harnessGuard);
    } finally {
      await checkout.dispose();
    }
  };
  const runOne = async (id: string, plan: EpisodePlan): Promise<EpisodeRecord | undefined> => {
    const finalDir = store.artifactsPath(id);
    let tries = 0;
    for (;;) {
      tries++;
      // Each try writes into its own fresh directory; only a finished try is moved to the episode's artifacts.
      const outDir = store.tryPath(id);
      await mkdir(outDir, { recursive: true }).catch((error: unknown) => {
        throw new UserError(
          `${writeProblem(error, `the artifact directory ${outDir}`)}. Free space or fix the state directory, then run the same command again.`,
        );
      });
      const startedAt = new Date();
      const started = performance.now();
      const result = await tryEpisode(id, plan, outDir);
      const durationMs = Math.round(performance.now() - started);
      if (signal?.aborted) return undefined;
      // suite.run's config error is the same for every episode: never retried, and it stops the run (below).
      const configError = isRunCommandConfigError(result.error);
      if (result.outcome === 'infra-error' && tries <= options.infraRetries && !configError) {
        logger.warn(
          `${plan.task.id}#${plan.attempt}: infrastructure error (${result.error?.type ?? 'unknown'}: ${result.error?.message ?? ''}); retry ${tries} of ${options.infraRetries}.`,
        );
        await rm(outDir, { recursive: true, force: true }).catch(() => {});
        await abortableDelay(Math.min(backoff * 2 ** (tries - 1), 10_000), signal);
        if (signal?.aborted) return undefined;
        continue;
      }
      try {
        await rm(finalDir, { recursive: true, force: true });
        await rename(outDir, finalDir);
      } catch (error) {
        throw new UserError(
          `${writeProblem(error, `the artifacts of ${plan.task.id}#${plan.attempt} to ${finalDir}`)}; that episode is not recorded. Free space or fix the state directory, then run the same command again.`,
        );
      }
      const record: EpisodeRecord = {
        id,
        key: keyOf(plan, runner),
        split: plan.split,
        outcome: result.outcome,
        reward: result.reward,
        ...(result.error ? { error: result.error } : {}),
        ...(result.usage ? { usage: result.usage } : {}),
        exitCode: result.exitCode,
        startedAt: startedAt.toISOString(),
        durationMs,
        artifacts: path.relative(store.stateDir, finalDir).split(path.sep).join('/'),
        tries,
        runner: runner.name,
        ...(options.shard ? { shard: options.shard } : {}),
      };
      if (configError && !firstConfigError) {
        const stderrFile = path.join(finalDir, 'stderr.txt');
        firstConfigError = { record, stderrFile: existsSync(stderrFile) ? stderrFile : undefined };
      }
      // The append goes on in the background (batched by the store) so the slot starts its next episode at once.
      appends.push(
        store.append(record).catch((error: unknown) => {
          appendError ??= error;
          unrecorded += 1;
        }),
      );
      return record;
    }
  };

  const stop = () => signal?.aborted === true || appendError !== undefined || firstConfigError !== undefined;
  // A failed append is reported first (one clear line); a worker's own error after it.
  let workerError: { error: unknown } | undefined;
  await forEachLimited(
    pending,
    options.concurrency,
    async ({ id, plan }) => {
      progress.running++;
      const record = await runOne(id, plan);
      progress.running--;
      if (!record) return;
      results.set(id, record);
      count(record);
      options.onProgress?.({ ...progress, last: record });
    },
    { stop },
  ).catch((error: unknown) => {
    workerError = { error };
  });
  if (!options.checkouts) await checkouts.close();
  await Promise.all(appends);
  if (appendError !== undefined) {
    throw new UserError(
      `${writeProblem(appendError, `the ledger ${store.ledgerPath}`)}; the ledger is left as it was and ${unrecorded} finished episode(s) were not recorded (they run again next time). Free space or fix the state directory, then run the same command again.`,
    );
  }
  if (workerError) throw workerError.error;
  if (firstConfigError) {
    const { record, stderrFile } = firstConfigError;
    const where = stderrFile ? ` The episode's stderr: ${stderrFile}.` : '';
    throw new UserError(`${record.error!.message}${where} (${record.key.taskId}#${record.key.attempt}; the run stopped: no episode can run until it is fixed)`);
  }
  if (signal?.aborted) throw signal.reason ?? new Error('the run was aborted');
  return ids.map((id) => results.get(id)!);
}
