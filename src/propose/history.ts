// The candidate history: one JSON line per judged candidate, committed with the change so later rounds and runs
// do not propose a rejected idea again.
import { appendFile, mkdir, readFile, truncate } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../domain/types.js';
import { jsonLinesOfFile } from '../store/jsonl.js';
import type { Candidate, HistoryDecision, HistoryEntry } from './types.js';

const HistoryEntrySchema = z.object({
  id: z.string(),
  round: z.number(),
  parentHash: z.string(),
  weaknessId: z.string(),
  mechanism: z.string(),
  summary: z.string(),
  diff: z.string(),
  decision: z.enum(['promote', 'reject', 'inconclusive', 'refused', 'dropped']),
  reason: z.string(),
  numbers: z.record(z.string(), z.number()).optional(),
  at: z.string(),
  proposer: z.string(),
  stream: z.string().optional(),
});

/** `<configRoot>/.self-harness/history.jsonl` (the one state file that is committed; the rest of the state dir is ignored). */
export function historyFile(configRoot: string): string {
  return path.join(configRoot, '.self-harness', 'history.jsonl');
}

/**
 * Every entry of the history file; [] when it does not exist. A torn last line (a crash mid-write) is ignored;
 * a bad line elsewhere is a UserError naming the file and line.
 */
export async function readHistory(file: string): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = [];
  try {
    for await (const batch of jsonLinesOfFile(file)) {
      for (const item of batch) {
        if ('problem' in item) {
          if (item.torn) break;
          throw new UserError(`${file}:${item.line}: not a JSON line. Fix or delete that line of the candidate history.`);
        }
        const parsed = HistoryEntrySchema.safeParse(item.value);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new UserError(`${file}:${item.line} ${issue.path.join('.') || '(entry)'}: ${issue.message}. Fix or delete that line of the candidate history.`);
        }
        entries.push(parsed.data as HistoryEntry);
      }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries;
}

/** Appends entries as JSON lines; first cuts off a torn last line so it cannot corrupt the new ones. */
export async function appendHistory(file: string, entries: HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await mkdir(path.dirname(file), { recursive: true });
  let existing = '';
  try {
    existing = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (existing !== '' && !existing.endsWith('\n')) {
    await truncate(file, Buffer.byteLength(existing.slice(0, existing.lastIndexOf('\n') + 1)));
  }
  await appendFile(file, entries.map((e) => `${JSON.stringify(HistoryEntrySchema.parse(e))}\n`).join(''));
}

/** The history line of a judged candidate. */
export function historyEntry(
  candidate: Candidate,
  judged: { round: number; parentHash: string; diff: string; decision: HistoryDecision; reason: string; numbers?: Record<string, number>; at?: Date },
): HistoryEntry {
  return {
    id: candidate.id,
    round: judged.round,
    parentHash: judged.parentHash,
    weaknessId: candidate.weaknessId,
    mechanism: candidate.mechanism,
    summary: candidate.summary,
    diff: judged.diff,
    decision: judged.decision,
    reason: judged.reason,
    ...(judged.numbers ? { numbers: judged.numbers } : {}),
    at: (judged.at ?? new Date()).toISOString(),
    proposer: candidate.proposer,
  };
}

/** History entries whose idea should not be proposed again: rejected or refused (inconclusive ones may be retried). */
export function rejectedIdeas(history: HistoryEntry[]): HistoryEntry[] {
  return history.filter((e) => e.decision === 'reject' || e.decision === 'refused');
}
