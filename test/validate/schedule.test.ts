import { describe, expect, it } from 'vitest';
import { batchPairsFor, initialSchedule, isUninformative, nextPairs, pairPlans } from '../../src/validate/schedule.js';
import { simulatedHarness, simulatedTasks } from '../helpers/simulation.js';

const tasks = simulatedTasks(5, 't');
const ids = tasks.map((task) => task.id);

describe('validation schedule', () => {
  it('runs every task once before any task twice (attempt-major), in split order', () => {
    const schedule = initialSchedule(tasks);
    expect(nextPairs(schedule, { maxAttempts: 3, batchPairs: 3 })).toEqual([
      { taskId: ids[0], attempt: 0 },
      { taskId: ids[1], attempt: 0 },
      { taskId: ids[2], attempt: 0 },
    ]);
    for (const task of schedule.slice(0, 3)) task.attempts = 1;
    expect(nextPairs(schedule, { maxAttempts: 3, batchPairs: 3 })).toEqual([
      { taskId: ids[3], attempt: 0 },
      { taskId: ids[4], attempt: 0 },
      { taskId: ids[0], attempt: 1 },
    ]);
  });

  it('puts targeted tasks first and one attempt ahead of the rest', () => {
    const schedule = initialSchedule(tasks, [ids[3]!, ids[1]!]);
    expect(nextPairs(schedule, { maxAttempts: 3, batchPairs: 2 }).map((p) => p.taskId)).toEqual([ids[3], ids[1]]);
    schedule.find((t) => t.taskId === ids[3])!.attempts = 1;
    schedule.find((t) => t.taskId === ids[1])!.attempts = 1;
    expect(nextPairs(schedule, { maxAttempts: 3, batchPairs: 4 })).toEqual([
      { taskId: ids[3], attempt: 1 },
      { taskId: ids[1], attempt: 1 },
      { taskId: ids[0], attempt: 0 },
      { taskId: ids[2], attempt: 0 },
    ]);
  });

  it('stops at the maximum attempts', () => {
    const schedule = initialSchedule(tasks);
    for (const task of schedule) task.attempts = 2;
    expect(nextPairs(schedule, { maxAttempts: 2, batchPairs: 10 })).toEqual([]);
  });

  it('drops a task whose every episode agreed after two pairs, judging pooled passes only', () => {
    const schedule = initialSchedule(tasks);
    const [allPass, allFail, split, oneWin] = schedule;
    Object.assign(allPass!, { attempts: 2, pairs: 2, pooledPasses: 4, discordant: 0 });
    Object.assign(allFail!, { attempts: 2, pairs: 2, pooledPasses: 0, discordant: 0 });
    // Both passed once and both failed once: concordant but varying, so still informative.
    Object.assign(split!, { attempts: 2, pairs: 2, pooledPasses: 2, discordant: 0 });
    Object.assign(oneWin!, { attempts: 2, pairs: 2, pooledPasses: 1, discordant: 1 });
    expect(isUninformative(allPass!, 2)).toBe(true);
    expect(isUninformative(allFail!, 2)).toBe(true);
    expect(isUninformative(split!, 2)).toBe(false);
    expect(isUninformative(oneWin!, 2)).toBe(false);
    schedule[4]!.attempts = 2;
    expect(nextPairs(schedule, { maxAttempts: 4, batchPairs: 10 }).map((p) => p.taskId)).toEqual([ids[2], ids[3], ids[4]]);
  });

  it('runs only forced tasks (suspected regressions) when asked, up to the maximum', () => {
    const schedule = initialSchedule(tasks);
    for (const task of schedule) Object.assign(task, { attempts: 1, pairs: 1 });
    expect(nextPairs(schedule, { maxAttempts: 3, batchPairs: 10 }, [ids[4]!])).toEqual([{ taskId: ids[4], attempt: 1 }]);
  });

  it('interleaves baseline and candidate on the same task and attempt in one batch', () => {
    const baseline = simulatedHarness('b');
    const candidate = simulatedHarness('c');
    const plans = pairPlans(
      [
        { taskId: ids[1]!, attempt: 2 },
        { taskId: ids[0]!, attempt: 2 },
      ],
      new Map(tasks.map((t) => [t.id, t])),
      'train',
      baseline,
      candidate,
    );
    expect(plans.map((p) => [p.task.id, p.attempt, p.harness.label, p.split])).toEqual([
      [ids[1], 2, 'b', 'train'],
      [ids[1], 2, 'c', 'train'],
      [ids[0], 2, 'b', 'train'],
      [ids[0], 2, 'c', 'train'],
    ]);
    expect(() => pairPlans([{ taskId: 'nope', attempt: 0 }], new Map(), 'train', baseline, candidate)).toThrow(/nope/);
  });

  it('sizes batches for the pool: one pair per worker (two episodes each)', () => {
    expect(batchPairsFor(4)).toBe(4);
    expect(batchPairsFor(1)).toBe(1);
  });
});
