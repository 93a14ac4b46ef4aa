// The identity of an episode: a stable hash of its key, so a finished episode is never run twice.
import { createHash } from 'node:crypto';
import type { EpisodeKey } from './types.js';

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const inner = (value as Record<string, unknown>)[key];
      if (inner !== undefined) sorted[key] = sortKeys(inner);
    }
    return sorted;
  }
  return value;
}

/** First 24 hex chars of sha256 over the canonical JSON of the key. */
export function episodeId(key: EpisodeKey): string {
  const { harnessHash, taskId, taskHash, attempt, runCommand, model, stream } = key;
  // An absent stream leaves the identity (and so every id recorded before streams existed) unchanged.
  const identity = { harnessHash, taskId, taskHash, attempt, runCommand, model, stream };
  return createHash('sha256').update(canonicalJson(identity)).digest('hex').slice(0, 24);
}
