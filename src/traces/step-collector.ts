// Bounded step lists: a very long trace keeps its first and last steps and counts the middle.
import type { TraceStep } from './model.js';

/** A trace keeps its first and last this-many steps; the middle is counted in `skipped`. */
export const KEEP_HEAD_STEPS = 1000;

export const KEEP_TAIL_STEPS = 1000;

/** Keeps the first and last steps of very long traces so memory stays bounded; counts the middle. */
export class StepCollector {
  private readonly head: TraceStep[] = [];
  private tail: TraceStep[] = [];
  private tailStart = 0;
  private omitted = 0;
  private count = 0;

  constructor(
    private readonly keepHead = KEEP_HEAD_STEPS,
    private readonly keepTail = KEEP_TAIL_STEPS,
  ) {}

  get size(): number {
    return this.count;
  }

  push(step: TraceStep): void {
    this.count += 1;
    if (this.head.length < this.keepHead) {
      this.head.push(step);
      return;
    }
    this.tail.push(step);
    if (this.tail.length - this.tailStart > this.keepTail) {
      this.tailStart += 1;
      this.omitted += 1;
      // Compact now and then instead of shifting on every push.
      if (this.tailStart > this.keepTail) {
        this.tail = this.tail.slice(this.tailStart);
        this.tailStart = 0;
      }
    }
  }

  /** The most recent kept step (to attach tool results to). */
  last(): TraceStep | undefined {
    if (this.tail.length > this.tailStart) return this.tail[this.tail.length - 1];
    return this.head[this.head.length - 1];
  }

  /** Finds a kept step by predicate, newest first. */
  findRecent(predicate: (step: TraceStep) => boolean, depth = 50): TraceStep | undefined {
    const all = [...this.head.slice(-depth), ...this.tail.slice(Math.max(this.tailStart, this.tail.length - depth))];
    for (let i = all.length - 1; i >= 0; i -= 1) if (predicate(all[i])) return all[i];
    return undefined;
  }

  finish(skipped: string[]): TraceStep[] {
    if (this.omitted > 0) {
      skipped.push(
        `${this.omitted} steps in the middle of the trace omitted to bound memory (kept the first ${this.keepHead} and last ${this.keepTail} of ${this.count})`,
      );
    }
    return [...this.head, ...this.tail.slice(this.tailStart)];
  }
}
