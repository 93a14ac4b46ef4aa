// Everything a flow needs to run episodes for a config: surface, suite, runner, store, and harness versions at git refs.
import path from 'node:path';
import type { LoadedConfig } from '../config/schema.js';
import type { ChatModel, EpisodeRecord, EpisodeRunner, HarnessVersion, Logger, Suite, Task } from '../domain/types.js';
import { silentLogger } from '../domain/types.js';
import { createSurface, harnessVersion, overlaySurface, type HarnessSurface } from '../harness/surface.js';
import { surfaceWarnings } from '../harness/surface-check.js';
import { discoverSuite, selectTasks } from '../harness/suite.js';
import { materializeRef, type Materialized } from '../git/worktree.js';
import { repoTopLevel } from '../git/git.js';
import { createCandidateWorktree, type CandidateWorktree } from '../git/candidate-worktree.js';
import { episodeCheckouts } from '../git/episode-checkout.js';
import { EpisodeStore } from '../store/ledger.js';
import { lockStateDir } from '../store/state-lock.js';
import { runEpisodes, type PoolProgress } from './episode-pool.js';
import { poolSettings } from './run-settings.js';
import { createHarnessGuard } from './harness-guard.js';
import { sealedSurface } from './sealed-surface.js';
import type { EpisodePlan } from '../domain/plan.js';
import { createRunner } from '../runners/factory.js';
import { guardModel } from '../llm/guard.js';
import { sealSuite } from '../llm/seal.js';

export interface Session {
  loaded: LoadedConfig;
  stateDir: string;
  gitTop: string;
  /** The config root relative to the git top level ('' when the config is at the top). */
  configSubdir: string;
  surface: HarnessSurface;
  suite: Suite;
  trainTasks: Task[];
  holdoutTasks: Task[];
  runner: EpisodeRunner;
  store: EpisodeStore;
  logger: Logger;
  /** The options' model behind the held-out guard: every request it sends is checked against the sealed split. */
  model?: ChatModel;
  /** Runs plans through the pool with the config's concurrency, timeout and retries; counts run vs cached. */
  run(plans: EpisodePlan[], shardLabel?: string): Promise<EpisodeRecord[]>;
  counts: { run: number; cached: number };
  /**
   * A harness version at a git ref, materialised in a worktree (never the user's working copy). With `judgedOn`
   * (the baseline's ref), only the surface files come from `ref`: the run command, the scripts it runs, verifiers,
   * tasks, manifests and everything else come from `judgedOn`, so a candidate can never change its own evaluator.
   */
  versionAt(ref: string, label?: string, options?: { judgedOn?: string }): Promise<HarnessVersion & { commit: string; worktree: Materialized }>;
  dispose(): Promise<void>;
}

export interface SessionOptions {
  loaded: LoadedConfig;
  stateDir: string;
  logger?: Logger;
  runner?: EpisodeRunner;
  /** The model the flow will use; the session hands it back guarded (see `model`). */
  model?: ChatModel;
  onProgress?(progress: PoolProgress): void;
}

export async function openSession(options: SessionOptions): Promise<Session> {
  const { loaded, stateDir } = options;
  const logger = options.logger ?? silentLogger;
  const gitTop = await repoTopLevel(loaded.root);
  const configSubdir = path.relative(gitTop, loaded.root);
  const configSurface = createSurface(loaded, { stateDir });
  for (const warning of await surfaceWarnings(configSurface)) logger.warn(warning);
  const suite = await discoverSuite(loaded);
  const trainTasks = selectTasks(suite, 'train');
  const holdoutTasks = selectTasks(suite, 'holdout');
  // Held-out text is read only when a model will be called; ids are always sealed out of the surface.
  const sealed = await sealSuite(suite, { withText: Boolean(options.model) });
  const surface = sealedSurface(configSurface, sealed, logger);
  const runner = options.runner ?? (await createRunner(loaded));
  const stateLock = await lockStateDir(stateDir);
  const store = await EpisodeStore.open(stateDir).catch((error: unknown) => {
    stateLock.release();
    throw error;
  });
  const worktrees: Materialized[] = [];
  const overlays: CandidateWorktree[] = [];
  const counts = { run: 0, cached: 0 };
  const harnessGuard = createHarnessGuard(surface);
  // Episodes' private copies of their harness versions, reused across this session's pools while untouched.
  const checkouts = episodeCheckouts(stateDir);
  const model = options.model ? guardModel(options.model, sealed) : undefined;

  const session: Session = {
    loaded,
    stateDir,
    gitTop,
    configSubdir,
    surface,
    suite,
    trainTasks,
    holdoutTasks,
    ...(model ? { model } : {}),
    runner,
    store,
    logger,
    counts,
    async run(plans, shardLabel) {
      // What the ledger held before: a record that comes back unchanged was reused; a re-run (e.g. of an earlier
      // infra error) comes back as a new record for the same id and counts as run.
      const before = new Map(store.all().map((record) => [record.id, record]));
      const records = await runEpisodes(plans, {
        runner,
        store,
        ...poolSettings(loaded.config),
        logger,
        onProgress: options.onProgress,
        harnessGuard,
        checkouts,
        ...(shardLabel ? { shard: shardLabel } : {}),
      });
      for (const record of records) {
        const earlier = before.get(record.id);
        if (earlier && earlier.startedAt === record.startedAt && earlier.outcome === record.outcome) counts.cached += 1;
        else counts.run += 1;
      }
      return records;
    },
    async versionAt(ref, label, versionOptions = {}) {
      const worktree = await materializeRef(gitTop, ref, { stateDir });
      worktrees.push(worktree);
      const root = path.join(worktree.root, configSubdir);
      if (versionOptions.judgedOn !== undefined) {
        const base = await materializeRef(gitTop, versionOptions.judgedOn, { stateDir });
        worktrees.push(base);
        if (base.commit !== worktree.commit) {
          const judged = await createCandidateWorktree(gitTop, base.commit, stateDir, `judge-${worktree.commit.slice(0, 12)}`);
          overlays.push(judged);
          const dir = path.join(judged.root, configSubdir);
          await overlaySurface(surface, root, dir);
          const version = await harnessVersion(surface, dir, label ?? ref);
          return { ...version, commit: worktree.commit, worktree };
        }
      }
      const version = await harnessVersion(surface, root, label ?? ref);
      return { ...version, commit: worktree.commit, worktree };
    },
    async dispose() {
      await checkouts.close().catch(() => {});
      for (const worktree of worktrees.splice(0)) await worktree.dispose().catch(() => {});
      for (const overlay of overlays.splice(0)) await overlay.dispose().catch(() => {});
      stateLock.release();
    },
  };
  return session;
}
