import { describe, expect, it } from 'vitest';
import { parseShard, selectShard, shardOfId } from '../../src/domain/shard.js';
import { planEpisodes, keyOf } from '../../src/domain/plan.js';
import { episodeId } from '../../src/domain/episode-id.js';
import { UserError, type Task } from '../../src/domain/types.js';

const tasks: Task[] = Array.from({ length: 50 }, (_, i) => ({ id: `task-${i}`, contentHash: `h${i}` }));
const harness = { hash: 'harness-a', root: '/repo', label: 'working copy' };
const plans = planEpisodes(tasks, () => 'train', harness, 4);
const runner = { runCommand: 'harbor run --path <task-dir>', model: 'm' };
const idOf = (plan: (typeof plans)[number]) => episodeId(keyOf(plan, runner));

describe('parseShard', () => {
  it('reads I/N with 1-based I', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4, label: '2/4' });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1, label: '1/1' });
  });

  it('says what is wrong with a bad value', () => {
    expect(() => parseShard('0/4')).toThrow(/from 1 to 4 \(shards are numbered from 1\), got 0/);
    expect(() => parseShard('5/4')).toThrow(/from 1 to 4/);
    expect(() => parseShard('1/0')).toThrow(/at least 1/);
    expect(() => parseShard('2')).toThrow(/--shard: expected I\/N/);
    expect(() => parseShard('a/b')).toThrow(UserError);
    expect(() => parseShard('1.5/4')).toThrow(/expected I\/N/);
  });
});

describe('selectShard', () => {
  it('splits the episodes into disjoint shards that cover every episode, each about 1/N', () => {
    const shards = [1, 2, 3, 4].map((i) => selectShard(plans, i, 4, runner));
    const ids = shards.flatMap((shard) => shard.map(idOf));
    expect(ids).toHaveLength(plans.length);
    expect(new Set(ids).size).toBe(plans.length);
    for (const shard of shards) {
      expect(shard.length).toBeGreaterThan((plans.length / 4) * 0.6);
      expect(shard.length).toBeLessThan((plans.length / 4) * 1.4);
    }
  });

  it('puts an episode in the same shard whatever else is planned (machines agree without coordination)', () => {
    const partial = plans.filter((_, i) => i % 3 === 0).reverse();
    const full = new Set(selectShard(plans, 3, 4, runner).map(idOf));
    const fromPartial = selectShard(partial, 3, 4, runner).map(idOf);
    expect(fromPartial.length).toBeGreaterThan(0);
    for (const id of fromPartial) expect(full.has(id)).toBe(true);
    for (const plan of partial) expect(full.has(idOf(plan))).toBe(shardOfId(idOf(plan), 4) === 2);
  });

  it('keeps everything for 1/1 and preserves plan order', () => {
    expect(selectShard(plans, 1, 1, runner)).toEqual(plans);
    const shard = selectShard(plans, 2, 3, runner);
    const positions = shard.map((p) => plans.indexOf(p));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('rejects an index outside 1..N', () => {
    expect(() => selectShard(plans, 0, 4)).toThrow(RangeError);
    expect(() => selectShard(plans, 5, 4)).toThrow(RangeError);
  });
});
