// Weakness mining, the pure core: train episodes in, ranked failure clusters with evidence out.
// Deterministic signatures first; the model (when given) only diagnoses the top clusters' evidence packs.
// Isolation: only split === 'train' records are read; anything else is dropped unread and counted.
import type { ChatModel, EpisodeRecord, Logger } from '../domain/types.js';
import { accumulateUsage, zeroUsage } from '../domain/usage.js';
import { forEachLimited } from '../domain/concurrency.js';
import { silentLogger } from '../domain/types.js';
import type { ArtifactReadResult, ParsedTrace } from '../traces/model.js';
import { clusterFailures, hasEvidence, mergeWeaknesses, rankWeaknesses, type FailedEpisode } from './cluster.js';
import { diagnoseWeakness, promptOverheadTokens } from './diagnose.js';
import { episodeView, type EpisodeView } from './episode-view.js';
import { buildEvidence, type EvidenceSource } from './evidence.js';
import { createRedactor, environmentSecrets, type Redactor } from './redact.js';
import { classifyFailure, frictionSignatures, signatureKey } from './signature.js';
import type { MiningResult, Weakness } from './types.js';

export interface MineInput {
  episodes: EpisodeRecord[];
  readArtifacts: (record: EpisodeRecord) => Promise<ArtifactReadResult>;
  model?: ChatModel;
  maxClusters: number;
  /** Token budget of one cluster's whole diagnosis prompt (evidence included). */
  evidenceTokens: number;
  logger?: Logger;
  /** Literal secret values to redact wherever they appear (default: secret-looking env vars, see redact.ts). */
  secrets?: readonly string[];
  /** Episodes whose artifacts are read at once (default 4). */
  concurrency?: number;
}

/** Representative episodes per cluster in the evidence pack. */
export const REPRESENTATIVES = 3;
/** Skipped-file entries kept in the result (the rest are counted). */
const MAX_SKIPPED = 200;
/** The evidence budget never drops below this, whatever the prompt overhead. */
const MIN_EVIDENCE_TOKENS = 200;

export async function mineWeaknesses(input: MineInput): Promise<MiningResult> {
  const logger = input.logger ?? silentLogger;
  const redact: Redactor = createRedactor(input.secrets ?? environmentSecrets());
  const usage = zeroUsage();

  // Isolation first: nothing but train records goes further, not even to the artifact reader.
  const latest = new Map<string, EpisodeRecord>();
  let nonTrainDropped = 0;
  for (const record of input.episodes) {
    if (record.split !== 'train') {
      nonTrainDropped++;
      continue;
    }
    latest.set(record.id, record);
  }
  if (nonTrainDropped > 0) logger.warn(`mining: ${nonTrainDropped} non-train episode record(s) dropped unread (held-out isolation)`);

  let infraExcluded = 0;
  const toRead: EpisodeRecord[] = [];
  for (const record of latest.values()) {
    if (record.outcome === 'infra-error' || record.error?.infrastructure) infraExcluded++;
    else toRead.push(record);
  }

  const skipped: { file: string; reason: string }[] = [];
  let skippedOver = 0;
  const addSkipped = (file: string, reason: string) => {
    if (skipped.length < MAX_SKIPPED) skipped.push({ file, reason });
    else skippedOver++;
  };
  const read = async (record: EpisodeRecord): Promise<ParsedTrace[]> => {
    try {
      const result = await input.readArtifacts(record);
      for (const s of result.skipped) addSkipped(`${record.artifacts}/${s.file}`, s.reason);
      return result.traces;
    } catch (error) {
      addSkipped(record.artifacts, `artifacts not readable: ${(error as Error).message}`);
      return [];
    }
  };

  // Pass 1: one signature per episode; traces are dropped as soon as they are classified (bounded memory).
  const failures: (FailedEpisode & { order: number })[] = [];
  const passingCounts = new Map<string, number>();
  const passingTasks = new Set<string>();
  let episodesRead = 0;
  await forEachLimited(toRead, input.concurrency ?? 4, async (record, order) => {
    const view = episodeView(record, await read(record));
    episodesRead++;
    if (record.outcome === 'pass') {
      passingTasks.add(record.key.taskId);
      for (const signature of new Set(frictionSignatures(view, redact).map(signatureKey))) {
        passingCounts.set(signature, (passingCounts.get(signature) ?? 0) + 1);
      }
      return;
    }
    const finding = classifyFailure(view, redact);
    if (finding.signature.failureClass === 'infrastructure') {
      infraExcluded++;
      episodesRead--;
      return;
    }
    const stepId = finding.decisiveStep !== undefined ? view.steps[finding.decisiveStep]?.id : undefined;
    failures.push({ episodeId: record.id, taskId: record.key.taskId, signature: finding.signature, ...(stepId ? { decisiveStepId: stepId } : {}), order });
  });
  failures.sort((a, b) => a.order - b.order);
  let weaknesses = clusterFailures(failures, passingCounts);
  logger.info(`mining: ${episodesRead} train episode(s) read, ${failures.length} failure(s) in ${weaknesses.length} signature cluster(s)`);

  // Pass 2: evidence for the top clusters, from a few representative episodes read again.
  const top = weaknesses.slice(0, input.maxClusters).filter((w) => hasEvidence(w.signature));
  for (const weakness of top) {
    const overhead = input.model ? promptOverheadTokens(weakness, top) : 0;
    const budget = Math.max(MIN_EVIDENCE_TOKENS, input.evidenceTokens - overhead);
    const sources: EvidenceSource[] = [];
    const seenTasks = new Set<string>();
    for (const episodeId of weakness.episodes) {
      if (sources.length >= REPRESENTATIVES) break;
      const record = latest.get(episodeId);
      if (!record || seenTasks.has(record.key.taskId)) continue;
      seenTasks.add(record.key.taskId);
      const view: EpisodeView = episodeView(record, await read(record));
      sources.push({ view, finding: classifyFailure(view, redact) });
    }
    weakness.evidence = buildEvidence(sources, budget, redact);
  }

  // Diagnosis: the model labels the top clusters and says which are the same.
  if (input.model && top.length > 0) {
    const sameAs = new Map<string, string[]>();
    for (const weakness of top) {
      const outcome = await diagnoseWeakness(input.model, weakness, top);
      accumulateUsage(usage, outcome.usage);
      if (outcome.error) {
        weakness.diagnosisError = outcome.error;
        logger.warn(`mining: cluster ${weakness.id} left undiagnosed: ${outcome.error}`);
        continue;
      }
      weakness.labels = outcome.labels;
      weakness.diagnosis = outcome.diagnosis;
      if (outcome.sameAs.length > 0) sameAs.set(weakness.id, outcome.sameAs);
    }
    weaknesses = mergeJudgedSame(weaknesses, sameAs, new Set(top.map((w) => w.id)));
  }

  // Reads finish in any order; the result must not depend on it.
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  if (skippedOver > 0) skipped.push({ file: '…', reason: `${skippedOver} more skipped file(s) not listed` });
  return {
    version: 1,
    weaknesses,
    passingTasks: [...passingTasks].sort(),
    episodesRead,
    failuresRead: failures.length,
    infraExcluded,
    ...(nonTrainDropped > 0 ? { nonTrainDropped } : {}),
    skipped,
    ...(input.model ? { model: input.model.name } : {}),
    usage,
  };
}

/**
 * Merges clusters the model judged the same (only among the diagnosed ones, `eligible`): each group folds into
 * its best-ranked member, which keeps its id and signature and lists the others in `merged`.
 */
export function mergeJudgedSame(weaknesses: Weakness[], sameAs: ReadonlyMap<string, string[]>, eligible: ReadonlySet<string>): Weakness[] {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    return root;
  };
  const rankOf = new Map(weaknesses.map((w) => [w.id, w.rank]));
  for (const [id, others] of sameAs) {
    for (const other of others) {
      if (!eligible.has(other) || !eligible.has(id) || other === id) continue;
      const a = find(id);
      const b = find(other);
      if (a === b) continue;
      const [keep, drop] = rankOf.get(a)! <= rankOf.get(b)! ? [a, b] : [b, a];
      parent.set(drop, keep);
      parent.set(keep, keep);
    }
  }
  if (parent.size === 0) return weaknesses;
  const groups = new Map<string, Weakness[]>();
  for (const w of weaknesses) {
    const root = find(w.id);
    if (root !== w.id) groups.set(root, [...(groups.get(root) ?? []), w]);
  }
  const result: Weakness[] = [];
  for (const w of weaknesses) {
    if (find(w.id) !== w.id) continue;
    const members = groups.get(w.id);
    if (!members) {
      result.push(w);
      continue;
    }
    const merged = mergeWeaknesses(w, members);
    if (!merged.diagnosis) {
      const donor = members.find((m) => m.diagnosis);
      if (donor) Object.assign(merged, { labels: donor.labels, diagnosis: donor.diagnosis, diagnosisError: undefined });
    }
    result.push(merged);
  }
  return rankWeaknesses(result);
}
