// Candidate identity and de-duplication.
import { createHash } from 'node:crypto';
import type { Candidate, FileEdit } from './types.js';

/** `c-` + first 10 hex of sha256 over the edits in a canonical form (same edits, same id, whoever proposed them). */
export function candidateId(edits: FileEdit[]): string {
  const canonical = edits.map((e) => {
    const file = e.file.replace(/^(\.\/)+/, '');
    switch (e.kind) {
      case 'replace':
        return ['replace', file, e.search, e.replace];
      case 'diff':
        return ['diff', file, e.patch];
      case 'create':
        return ['create', file, e.content];
    }
  });
  return `c-${createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 10)}`;
}

/**
 * Why `candidate` duplicates one already kept this round (identical edits, or the same weakness and mechanism),
 * or undefined when it is new.
 */
export function duplicateReason(candidate: Candidate, kept: Candidate[]): string | undefined {
  const same = kept.find((k) => k.id === candidate.id);
  if (same) return `candidate ${candidate.id} duplicates the edits of a candidate already proposed this round`;
  const sameSlot = kept.find((k) => k.weaknessId === candidate.weaknessId && k.mechanism === candidate.mechanism);
  if (sameSlot) {
    return `candidate ${candidate.id} targets weakness ${candidate.weaknessId} with mechanism ${candidate.mechanism}, like ${sameSlot.id} already proposed this round`;
  }
  return undefined;
}
