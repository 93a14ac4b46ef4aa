// Groups failed episodes by exact signature and ranks the groups: most distinct tasks first, then patterns
// that never show up in passing runs, then size; ties keep the order in which the patterns were first seen.
import { createHash } from 'node:crypto';
import { signatureKey } from './signature.js';
import type { FailureSignature, Weakness } from './types.js';

export interface FailedEpisode {
  episodeId: string;
  taskId: string;
  signature: FailureSignature;
  /** Step id of the decisive step in the episode's trace. */
  decisiveStepId?: string;
}

export function weaknessId(signature: FailureSignature): string {
  return `w-${createHash('sha256')
    .update(signature.failureClass + signature.fingerprint)
    .digest('hex')
    .slice(0, 10)}`;
}

/** Failures with no evidence at all (no error, no trace, no failing test) say nothing a proposer can use. */
export function hasEvidence(signature: FailureSignature): boolean {
  return !(signature.failureClass === 'unknown' && signature.fingerprint === '');
}

/** Sorts in place by importance (stable) and numbers the ranks from 1. */
export function rankWeaknesses(weaknesses: Weakness[]): Weakness[] {
  const order = new Map(weaknesses.map((w, i) => [w, i]));
  weaknesses.sort(
    (a, b) =>
      Number(!hasEvidence(a.signature)) - Number(!hasEvidence(b.signature)) ||
      b.tasks.length - a.tasks.length ||
      Number(a.alsoInPassing > 0) - Number(b.alsoInPassing > 0) ||
      b.episodes.length - a.episodes.length ||
      order.get(a)! - order.get(b)!,
  );
  weaknesses.forEach((w, i) => {
    w.rank = i + 1;
  });
  return weaknesses;
}

/**
 * One weakness per distinct signature, ranked. `passingCounts` maps a signature key (signatureKey) to the
 * number of passing episodes that show the same pattern.
 */
export function clusterFailures(failures: Iterable<FailedEpisode>, passingCounts: ReadonlyMap<string, number> = new Map()): Weakness[] {
  const byKey = new Map<string, { weakness: Weakness; tasks: Set<string>; episodes: Set<string> }>();
  for (const failure of failures) {
    const key = signatureKey(failure.signature);
    let group = byKey.get(key);
    if (!group) {
      group = {
        weakness: {
          id: weaknessId(failure.signature),
          signature: failure.signature,
          tasks: [],
          episodes: [],
          alsoInPassing: passingCounts.get(key) ?? 0,
          evidence: [],
          rank: 0,
        },
        tasks: new Set(),
        episodes: new Set(),
      };
      byKey.set(key, group);
    }
    group.tasks.add(failure.taskId);
    if (!group.episodes.has(failure.episodeId)) {
      group.episodes.add(failure.episodeId);
      group.weakness.episodes.push(failure.episodeId);
    }
  }
  const weaknesses = [...byKey.values()].map(({ weakness, tasks }) => ({ ...weakness, tasks: [...tasks].sort() }));
  return rankWeaknesses(weaknesses);
}

/** Merges `others` into `target` (union of tasks and episodes; the target keeps its id and signature). */
export function mergeWeaknesses(target: Weakness, others: Weakness[]): Weakness {
  const tasks = new Set(target.tasks);
  const episodes = [...target.episodes];
  const seen = new Set(episodes);
  const merged = [...(target.merged ?? [])];
  for (const other of others) {
    other.tasks.forEach((t) => tasks.add(t));
    for (const e of other.episodes)
      if (!seen.has(e)) {
        seen.add(e);
        episodes.push(e);
      }
    merged.push(other.id, ...(other.merged ?? []));
  }
  return {
    ...target,
    tasks: [...tasks].sort(),
    episodes,
    alsoInPassing: target.alsoInPassing + others.reduce((n, o) => n + o.alsoInPassing, 0),
    evidence: [...target.evidence, ...others.flatMap((o) => o.evidence)],
    merged,
  };
}
