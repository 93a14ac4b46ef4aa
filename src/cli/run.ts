// `self-harness run`: runs the task suite (tasks x attempts) against a harness version and prints pass rates per split.
import path from 'node:path';
import { type CommandSpec, parseOrHelp, positiveIntOption } from './options.js';
import { suiteSetup } from './setup.js';
import { createProgress } from './progress.js';
import { UserError, type EpisodeRecord, type HarnessVersion, type Split } from '../domain/types.js';
import { harnessVersion } from '../harness/surface.js';
import type { CandidateWorktree } from '../git/candidate-worktree.js';
import { snapshotWorkingCopy } from '../git/snapshot.js';
import { selectTasks } from '../harness/suite.js';
import { splitWarnings } from '../domain/split.js';
import { planEpisodes } from '../domain/plan.js';
import { parseShard, selectShard } from '../domain/shard.js';
import { runEpisodes, type PoolProgress } from '../flows/episode-pool.js';
import { poolSettings } from '../flows/run-settings.js';
import { EpisodeStore } from '../store/ledger.js';
import { lockStateDir } from '../store/state-lock.js';
import { createHarnessGuard } from '../flows/harness-guard.js';
import { materializeRef, projectRootIn, type Materialized } from '../git/worktree.js';
import { renderRunTable, summarize, type SideSummary } from '../report/run-summary.js';
import type { RunJson } from './json-output.js';

export const spec = {
  name: 'run',
  usage: '[options]',
  description: `Runs every selected task (x attempts) once against a harness version. Finished episodes are
recorded in <state-dir>/episodes.jsonl and never run twice; a killed run resumes where it stopped.`,
  options: {
    split: { type: 'string', default: 'all', value: 'SPLIT', help: 'tasks of one split: train, holdout or all (default all)' },
    attempts: { type: 'string', value: 'N', help: 'attempts per task (default suite.attempts)' },
    tasks: { type: 'string', value: 'a,b', help: 'only these task ids' },
    ref: {
      type: 'string',
      value: 'REF',
      help: 'run the harness files of a git ref (checked out in a worktree under the\nstate directory; the working copy is not touched). Default: the working copy.',
    },
    'no-cache': { type: 'boolean', default: false, help: 'run again even if already recorded (new records are appended)' },
    shard: {
      type: 'string',
      value: 'I/N',
      help: 'run only shard I of N (split by episode id; see docs/sharding.md); use\nits own --state-dir and gather the shards with `self-harness merge`',
    },
    json: { type: 'boolean', default: false, help: 'print the summary as JSON on stdout' },
  },
  exit: [
    '0 the run finished and judged at least one episode (agent failures are results, not errors)',
    '1 nothing could be judged: every episode was an infrastructure error',
    '2 a usage or config error; suite.run that could not run the agent (not found, not executable, a usage\nerror) stops the run at its first episode, with the fix',
    '130 interrupted (finished episodes are recorded; run the same command again to resume)',
  ],
} as const satisfies CommandSpec;

export async function main(args: string[]): Promise<number> {
  const parsed = parseOrHelp(spec, args);
  if (!parsed) return 0;
  const { values } = parsed;
  const split = values.split;
  if (split !== 'train' && split !== 'holdout' && split !== 'all') {
    throw new UserError(`--split: expected train, holdout or all, got "${split}".`);
  }
  const attemptsOption = positiveIntOption('attempts', values.attempts);
  const ids = values.tasks
    ?.split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (values.tasks !== undefined && (!ids || ids.length === 0)) throw new UserError('--tasks: expected a comma-separated list of task ids, got nothing.');
  const shard = values.shard !== undefined ? parseShard(values.shard) : undefined;

  const { loaded, suite, runner, surface, stateDir } = await suiteSetup(values);
  const suiteConfig = loaded.config.suite;
  const attempts = attemptsOption ?? suiteConfig.attempts;
  const tasks = selectTasks(suite, split, ids);
  if (tasks.length === 0) {
    throw new UserError(`the ${split} split has no tasks (suite.holdout is ${suiteConfig.holdout}); choose another --split or adjust suite.holdout.`);
  }

  const progress = createProgress({ quiet: false });
  for (const warning of splitWarnings(suite.split, suiteConfig.holdout)) progress.logger.warn(warning);
  const stateLock = await lockStateDir(stateDir);
  const store = await EpisodeStore.open(stateDir, { logger: progress.logger });
  let worktree: Materialized | undefined;
  let scratch: CandidateWorktree | undefined;
  const controller = new AbortController();
  const interrupt = (signal: NodeJS.Signals) => {
    progress.logger.warn(`${signal}: stopping; finished episodes are recorded, run the same command again to resume.`);
    controller.abort(new UserError('interrupted'));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    let version: HarnessVersion;
    if (values.ref !== undefined) {
      worktree = await materializeRef(loaded.root, values.ref, { stateDir });
      const root = await projectRootIn(worktree.root, loaded.root);
      version = await harnessVersion(surface, root, `${values.ref} (${worktree.commit.slice(0, 12)})`);
    } else {
      // What is on disk, uncommitted changes included, in a private snapshot under the state dir: an episode never
      // runs in, or writes to, the working copy.
      scratch = await snapshotWorkingCopy(loaded.root, stateDir);
      if (scratch === undefined) {
        progress.logger.warn('the repository has no commit yet: episodes run in the working copy itself; commit once so they run in a private snapshot.');
        version = await harnessVersion(surface, loaded.root, 'working copy');
      } else {
        version = await harnessVersion(surface, await projectRootIn(scratch.root, loaded.root), 'working copy');
      }
    }
    const holdout = new Set(suite.split.holdout);
    const splitOf = (taskId: string): Split => (holdout.has(taskId) ? 'holdout' : 'train');
    const allPlans = planEpisodes(tasks, splitOf, version, attempts);
    const plans = shard ? selectShard(allPlans, shard.index, shard.count, runner) : allPlans;
    if (shard) progress.logger.info(`shard ${shard.label}: ${plans.length} of ${allPlans.length} episode(s)`);
    progress.logger.info(
      `harness ${version.label} ${version.hash.slice(0, 12)}: ${tasks.length} task(s) x ${attempts} attempt(s), concurrency ${suiteConfig.concurrency}`,
    );
    let final: PoolProgress | undefined;
    let records: EpisodeRecord[];
    try {
      records = await runEpisodes(plans, {
        runner,
        store,
        ...poolSettings(loaded.config),
        useCache: !values['no-cache'],
        logger: progress.logger,
        signal: controller.signal,
        harnessGuard: createHarnessGuard(surface),
        ...(shard ? { shard: shard.label } : {}),
        onProgress: (p) => {
          final = p;
          progress.onProgress(p);
        },
      });
    } catch (error) {
      progress.done();
      if (controller.signal.aborted) return 130;
      throw error;
    }
    progress.done();

    const splits: Record<string, SideSummary> = {};
    for (const name of ['train', 'holdout'] as const) {
      const ofSplit = records.filter((r) => r.split === name);
      if (ofSplit.length > 0) splits[name] = summarize(ofSplit);
    }
    splits.all = summarize(records);
    const cached = final?.cached ?? 0;
    if (values.json) {
      const summary: RunJson = {
        harness: {
          label: version.label,
          hash: version.hash,
          root: version.root,
          ...(values.ref !== undefined && worktree ? { ref: values.ref, commit: worktree.commit } : {}),
        },
        stateDir,
        episodes: { total: records.length, run: records.length - cached, cached },
        splits: Object.fromEntries(Object.entries(splits).map(([name, side]) => [name, side.total > 0 ? side : { ...side, rate: null, ci: null }])),
        records: records.map((r) => ({
          id: r.id,
          taskId: r.key.taskId,
          attempt: r.key.attempt,
          split: r.split,
          outcome: r.outcome,
          reward: r.reward,
          durationMs: r.durationMs,
          artifacts: r.artifacts,
          tries: r.tries,
          ...(r.error ? { error: r.error } : {}),
        })),
      };
      console.log(JSON.stringify(summary, null, 2));
    } else {
      console.log(renderRunTable(splits));
      const infra = records.filter((r) => r.outcome === 'infra-error');
      if (infra.length > 0) {
        console.log(`\n${infra.length} episode(s) could not be judged (infrastructure errors; not counted as failures, run again to retry):`);
        for (const r of infra.slice(0, 10)) console.log(`  ${r.key.taskId}#${r.key.attempt}: ${r.error?.type ?? 'error'}: ${r.error?.message ?? ''}`);
        if (infra.length > 10) console.log(`  ... and ${infra.length - 10} more`);
      }
      console.log(`\n${records.length - cached} episode(s) run, ${cached} from the ledger; artifacts in ${displayPath(path.join(stateDir, 'episodes'))}`);
    }
    if (records.length > 0 && records.every((r) => r.outcome === 'infra-error')) {
      progress.logger.warn(
        `nothing could be judged: all ${records.length} episode(s) were infrastructure errors (e.g. ${records[0].error?.type ?? 'error'}: ${records[0].error?.message ?? 'no message'}); fix the run command or the environment and run again.`,
      );
      return 1;
    }
    return 0;
  } finally {
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
    await worktree?.dispose();
    await scratch?.dispose();
    stateLock.release();
  }
}

/** Relative to the cwd when inside it, absolute otherwise. */
function displayPath(absolute: string): string {
  const rel = path.relative(process.cwd(), absolute);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absolute;
}
