import { describe, expect, it } from 'vitest';
import { splitTasks, splitScore, splitWarnings } from '../../src/domain/split.js';
import { UserError } from '../../src/domain/types.js';

// A small seeded generator so the property tests are reproducible.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomIds(random: () => number, n: number): string[] {
  const ids = new Set<string>();
  while (ids.size < n) ids.add(`task-${Math.floor(random() * 1e9).toString(36)}`);
  return [...ids];
}

const ids = Array.from({ length: 40 }, (_, i) => `t${i}`);

describe('train / held-out split', () => {
  it('is deterministic for a seed and independent of input order', () => {
    const a = splitTasks(ids, { holdout: 0.3, seed: 's' });
    const b = splitTasks([...ids].reverse(), { holdout: 0.3, seed: 's' });
    expect(splitTasks(ids, { holdout: 0.3, seed: 's' })).toEqual(a);
    expect(new Set(b.holdout)).toEqual(new Set(a.holdout));
    expect(a.train.length + a.holdout.length).toBe(ids.length);
  });

  it('changes with the seed', () => {
    const a = splitTasks(ids, { holdout: 0.3, seed: 'one' });
    const b = splitTasks(ids, { holdout: 0.3, seed: 'two' });
    expect(a.holdout).not.toEqual(b.holdout);
  });

  it('never moves an existing task when tasks are added or removed (property, 300 random suites)', () => {
    const random = rng(7);
    for (let round = 0; round < 300; round++) {
      const seed = `seed-${round}`;
      const holdout = Math.round(random() * 100) / 100;
      const before = randomIds(random, 1 + Math.floor(random() * 30));
      const added = randomIds(random, 1 + Math.floor(random() * 30)).filter((id) => !before.includes(id));
      const removed = before.filter(() => random() < 0.3);
      const after = [...before.filter((id) => !removed.includes(id)), ...added].sort(() => random() - 0.5);
      const s1 = splitTasks(before, { holdout, seed });
      const s2 = splitTasks(after, { holdout, seed });
      for (const id of after.filter((id) => before.includes(id))) {
        expect(s2.holdout.includes(id), `${id} in round ${round}`).toBe(s1.holdout.includes(id));
      }
    }
  });

  it('holds out about the asked fraction on a large suite', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `task-${i}`);
    for (const holdout of [0.1, 0.3, 0.5]) {
      const fraction = splitTasks(many, { holdout, seed: 'x' }).holdout.length / many.length;
      expect(Math.abs(fraction - holdout)).toBeLessThan(0.03);
    }
  });

  it('puts everything in train at 0 and everything in holdout at 1', () => {
    expect(splitTasks(ids, { holdout: 0, seed: 's' }).holdout).toEqual([]);
    expect(splitTasks(ids, { holdout: 1, seed: 's' }).train).toEqual([]);
  });

  it('scores in [0, 1) from (seed, id) only', () => {
    expect(splitScore('s', 'a')).toBe(splitScore('s', 'a'));
    expect(splitScore('s', 'a')).not.toBe(splitScore('s', 'b'));
    // NUL separation: ("ab","c") and ("a","bc") must differ.
    expect(splitScore('ab', 'c')).not.toBe(splitScore('a', 'bc'));
    for (const id of ids) {
      expect(splitScore('s', id)).toBeGreaterThanOrEqual(0);
      expect(splitScore('s', id)).toBeLessThan(1);
    }
  });

  it('explicit lists override the seed', () => {
    const base = splitTasks(ids, { holdout: 0.5, seed: 's' });
    const toHoldout = base.train[0]!;
    const toTrain = base.holdout[0]!;
    const split = splitTasks(ids, { holdout: 0.5, seed: 's', holdoutTasks: [toHoldout], trainTasks: [toTrain] });
    expect(split.holdout).toContain(toHoldout);
    expect(split.train).toContain(toTrain);
    expect(split.holdout.length).toBe(base.holdout.length);
    expect(splitTasks(ids, { holdout: 0, seed: 's', holdoutTasks: ['t3'] }).holdout).toEqual(['t3']);
  });

  it('names unknown ids in override lists', () => {
    expect(() => splitTasks(ids, { holdout: 0.3, seed: 's', holdoutTasks: ['t1', 'nope', 'zip'] })).toThrow(UserError);
    expect(() => splitTasks(ids, { holdout: 0.3, seed: 's', holdoutTasks: ['nope', 'zip'] })).toThrow(/suite\.holdout-tasks: unknown task ids "nope", "zip"/);
    expect(() => splitTasks(ids, { holdout: 0.3, seed: 's', trainTasks: ['gone'] })).toThrow(/suite\.train-tasks: unknown task id "gone"/);
  });

  it('refuses a task listed in both override lists', () => {
    expect(() => splitTasks(ids, { holdout: 0.3, seed: 's', trainTasks: ['t1'], holdoutTasks: ['t1'] })).toThrow(/both list "t1"/);
  });

  it('warns when a side is empty although the config asks for both', () => {
    expect(splitWarnings({ train: ['a', 'b'], holdout: [] }, 0.3)[0]).toMatch(/held-out split is empty/);
    expect(splitWarnings({ train: [], holdout: ['a', 'b'] }, 0.3)[0]).toMatch(/train split is empty/);
    expect(splitWarnings({ train: ['a'], holdout: ['b'] }, 0.3)).toEqual([]);
    expect(splitWarnings({ train: ['a', 'b'], holdout: [] }, 0)).toEqual([]);
  });
});
