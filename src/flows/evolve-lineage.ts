// evolve's bookkeeping of candidates: this run's lineage (one entry per candidate, updated as its verdict changes),
// the merge of earlier histories, and the episode streams a screening may use.
import type { HistoryEntry } from '../propose/types.js';

export function dedupeHistory(entries: HistoryEntry[]): HistoryEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const key = `${e.id}|${e.parentHash}|${e.round}|${e.at}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** This run's candidate lineage: one entry per candidate, updated in place as its verdict changes. */
export class RoundHistory {
  readonly entries: HistoryEntry[] = [];
  private committed = 0;

  add(entry: HistoryEntry): void {
    this.entries.push(entry);
  }

  /** Replaces the verdict of the latest entry of `id` (e.g. the held-out confirmation's after screening). */
  update(id: string, decision: HistoryEntry['decision'], reason: string): void {
    const index = this.entries.map((e) => e.id).lastIndexOf(id);
    if (index >= 0) this.entries[index] = { ...this.entries[index]!, decision, reason };
  }

  /** Entries not yet in a committed history file. */
  uncommitted(): HistoryEntry[] {
    return this.entries.slice(this.committed);
  }

  markCommitted(): void {
    this.committed = this.entries.length;
  }
}

/**
 * The screening stream for a parent harness: `screen:<parent>:<n>`, n = how many screenings of that parent the
 * history already holds. A candidate tried again (in a later run or a later round on the same parent) is therefore
 * judged on new episodes, while a run that crashed before writing its history resumes on the episodes it had run.
 */
export function screenStream(parentHash: string, history: HistoryEntry[]): string {
  const used = new Set(history.filter((e) => e.parentHash === parentHash && e.stream).map((e) => e.stream));
  return `screen:${parentHash.slice(0, 16)}:${used.size}`;
}

/**
 * The same edit on the same parent was judged before: skip it. An earlier run's "inconclusive" is tried again (on new
 * episodes: see screenStream), this run's is not. Candidates carried from an earlier round are not skipped.
 */
export function judgedBefore(candidateId: string, parentHash: string, earlier: HistoryEntry[], thisRun: HistoryEntry[]): HistoryEntry | undefined {
  return [...earlier.filter((e) => e.decision !== 'inconclusive'), ...thisRun].find(
    (e) => e.id === candidateId && e.parentHash === parentHash && e.decision !== 'dropped',
  );
}
