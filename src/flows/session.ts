// Everything a flow needs to run episodes for a config: surface, suite, runner, store, and harness versions at git refs.
import path from 'node:path';
import type { LoadedConfig } from '../config/schema.js';
import type { EpisodeRecord, EpisodeRunner, HarnessVersion, Logger, Suite, Task } from '../domain/types.js';
import { silentLogger } from '../domain/types.js';
import { createSurface, harnessVersion, type HarnessSurface } from '../harness/surface.js';
import { discoverSuite, selectTasks } from '../harness/suite.js';
import { materializeRef, type Materialized } from '../git/worktree.js';
import { repoTopLevel } from '../git/git.js';
import { EpisodeStore } from '../store/ledger.js';
import { runEpisodes, type PoolProgress } from './episode-pool.js';
import { poolSettings } from './run-settings.js';
import type { EpisodePlan } from '../domain/plan.js';
import { createRunner } from '../runners/factory.js';

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
  /** Runs plans through the pool with the config's concurrency, timeout and retries; counts run vs cached. */
  run(plans: EpisodePlan[], shardLabel?: string): Promise<EpisodeRecord[]>;
  counts: { run: number; cached: number };
  /** A harness version at a git ref, materialised in a worktree (never the user's working copy). */
  versionAt(ref: string, label?: string): Promise<HarnessVersion & { commit: string; worktree: Materialized }>;
  dispose(): Promise<void>;
}

export interface SessionOptions {
  loaded: LoadedConfig;
  stateDir: string;
  logger?: Logger;
  runner?: EpisodeRunner;
  onProgress?(progress: PoolProgress): void;
}

export async function openSession(options: SessionOptions): Promise<Session> {
  const { loaded, stateDir } = options;
  const logger = options.logger ?? silentLogger;
  const gitTop = await repoTopLevel(loaded.root);
  const configSubdir = path.relative(gitTop, loaded.root);
  const surface = createSurface(loaded, { stateDir });
  const suite = await discoverSuite(loaded);
  const runner = options.runner ?? (await createRunner(loaded));
  const store = await EpisodeStore.open(stateDir);
  const worktrees: Materialized[] = [];
  const counts = { run: 0, cached: 0 };

  const session: Session = {
    loaded,
    stateDir,
    gitTop,
    configSubdir,
    surface,
    suite,
    trainTasks: selectTasks(suite, 'train'),
    holdoutTasks: selectTasks(suite, 'holdout'),
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
        ...(shardLabel ? { shard: shardLabel } : {}),
      });
      for (const record of records) {
        const earlier = before.get(record.id);
        if (earlier && earlier.startedAt === record.startedAt && earlier.outcome === record.outcome) counts.cached += 1;
        else counts.run += 1;
      }
      return records;
    },
    async versionAt(ref, label) {
      const worktree = await materializeRef(gitTop, ref, { stateDir });
      worktrees.push(worktree);
      const root = path.join(worktree.root, configSubdir);
      const version = await harnessVersion(surface, root, label ?? ref);
      return { ...version, commit: worktree.commit, worktree };
    },
    async dispose() {
      for (const worktree of worktrees.splice(0)) await worktree.dispose().catch(() => {});
    },
  };
  return session;
}
