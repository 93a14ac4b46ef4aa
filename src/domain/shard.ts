// Splitting a run across machines without coordination: each episode belongs to one shard, decided by
// its id alone, so every machine computes the same split from the same config and commit.
import { keyOf, type EpisodePlan } from './plan.js';
import { UserError, type EpisodeRunner } from './types.js';
import { episodeId } from './episode-id.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
  /** `I/N`, stored on the records the shard writes. */
  label: string;
}

/** Parses `I/N` (1 <= I <= N), e.g. the `--shard` option. */
export function parseShard(text: string, option = '--shard'): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) {
    throw new UserError(`${option}: expected I/N (this machine's shard number I from 1 to N, and N shards in all, e.g. 2/4), got "${text}".`);
  }
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) throw new UserError(`${option}: the number of shards must be at least 1, got "${text}".`);
  if (count > 10_000) throw new UserError(`${option}: at most 10000 shards, got ${count} in "${text}".`);
  if (index < 1 || index > count) {
    throw new UserError(`${option}: the shard number must be from 1 to ${count} (shards are numbered from 1), got ${index} in "${text}".`);
  }
  return { index, count, label: `${index}/${count}` };
}

/** The shard (0-based) an episode id falls in: its leading 48 bits mod `count`. */
export function shardOfId(id: string, count: number): number {
  const head = Number.parseInt(id.slice(0, 12), 16);
  if (!Number.isFinite(head)) throw new Error(`episode id "${id}" is not hex`);
  return head % count;
}

/**
 * The plans of shard `index` (1-based) of `count`. An episode's shard depends on its id only, so the
 * shards are disjoint, cover every plan, and agree across machines whatever each has already run.
 * `identity` is the runner's cache-key part (runCommand, model); the default leaves it out, which
 * splits the same way on every machine too.
 */
export function selectShard(
  plans: EpisodePlan[],
  index: number,
  count: number,
  identity: Pick<EpisodeRunner, 'runCommand' | 'model'> = { runCommand: '', model: '' },
): EpisodePlan[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count must be a positive integer, got ${count}`);
  if (!Number.isInteger(index) || index < 1 || index > count) throw new RangeError(`shard index must be from 1 to ${count}, got ${index}`);
  if (count === 1) return plans.slice();
  return plans.filter((plan) => shardOfId(episodeId(keyOf(plan, identity)), count) === index - 1);
}
