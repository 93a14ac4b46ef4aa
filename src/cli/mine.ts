// `self-harness mine`: mines failure patterns from the recorded train episodes of the store.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EpisodeRecord } from '../domain/types.js';
import { UserError } from '../domain/types.js';
import { runSecrets } from '../domain/secrets.js';
import { selectModel } from '../llm/select.js';
import { renderMiningMarkdown } from '../mining/markdown.js';
import { mineWeaknesses } from '../mining/mine.js';
import { isImportedRecord } from '../flows/import.js';
import { EpisodeStore } from '../store/ledger.js';
import { readEpisodeArtifacts } from '../traces/read.js';
import { suiteSetup } from './setup.js';
import { type CommandSpec, parseOrHelp } from './options.js';
import type { MineJson } from './json-output.js';

export const spec = {
  name: 'mine',
  usage: '[options]',
  description: `Mines failure patterns from the train episodes recorded in the state directory (run \`self-harness run\` first).
Held-out episodes are never read. Writes weaknesses.json and weaknesses.md to the state directory (or --out).`,
  options: {
    'no-model': { type: 'boolean', default: false, help: 'deterministic signatures only; no model diagnosis (also the default when no model is configured)' },
    out: { type: 'string', value: 'DIR', help: 'where to write weaknesses.json and weaknesses.md (default: the state directory)' },
    harness: {
      type: 'string',
      value: 'HASH',
      help: 'mine the episodes of this harness version (a hash prefix) or "all" versions\n(default: the working copy\'s harness, else the most recently run one)',
    },
    json: { type: 'boolean', default: false, help: 'print the mining result as JSON instead of markdown' },
  },
  exit: ['0 mined (also when no pattern was found)'],
} as const satisfies CommandSpec;

/** Picks the episodes of one harness version: the requested one, else the current one, else the latest run. */
export function selectHarnessEpisodes(
  records: EpisodeRecord[],
  requested: string | undefined,
  currentHash: string | undefined,
): { records: EpisodeRecord[]; note: string } {
  if (requested === 'all') return { records, note: `all ${new Set(records.map((r) => r.key.harnessHash)).size} harness version(s)` };
  if (requested) {
    const chosen = records.filter((r) => r.key.harnessHash.startsWith(requested));
    if (chosen.length === 0) {
      const known = [...new Set(records.map((r) => r.key.harnessHash.slice(0, 12)))].slice(0, 5).join(', ');
      throw new UserError(
        `--harness ${requested}: no train episode of that harness version is recorded${known ? ` (recorded: ${known})` : ''}; run \`self-harness run --split train\` or pick another version.`,
      );
    }
    return { records: chosen, note: `harness ${requested}` };
  }
  if (currentHash && records.some((r) => r.key.harnessHash === currentHash)) {
    return { records: records.filter((r) => r.key.harnessHash === currentHash), note: `the working copy's harness ${currentHash.slice(0, 12)}` };
  }
  let latest: EpisodeRecord | undefined;
  for (const r of records) if (!latest || r.startedAt > latest.startedAt) latest = r;
  if (!latest) return { records: [], note: 'no train episodes recorded' };
  const hash = latest.key.harnessHash;
  return {
    records: records.filter((r) => r.key.harnessHash === hash),
    note: `the most recently run harness ${hash.slice(0, 12)} (none recorded for the working copy)`,
  };
}

export async function main(args: string[]): Promise<number> {
  const parsed = parseOrHelp(spec, args);
  if (!parsed) return 0;
  const { values } = parsed;
  const setup = await suiteSetup(values);
  const { loaded, stateDir, suite, logger } = setup;
  const config = loaded.config;

  const store = await EpisodeStore.open(stateDir, { logger });
  // Isolation: the record's split and the suite's current split must both say train. Imported episodes (`self-harness
  // import`) are of tasks the suite may not have: they count unless the suite now holds their task out.
  const trainNow = new Set(suite.split.train);
  const holdoutNow = new Set(suite.split.holdout);
  const all = store.all();
  const train = all.filter((r) => r.split === 'train' && (trainNow.has(r.key.taskId) || (isImportedRecord(r) && !holdoutNow.has(r.key.taskId))));
  if (train.length === 0) {
    throw new UserError(
      `${path.join(stateDir, 'episodes.jsonl')}: no train episodes recorded; run \`self-harness run --split train\` first (or \`self-harness import\` the eval output you have).`,
    );
  }
  const currentHash = await setup.surface.hash(loaded.root).catch(() => undefined);
  const selected = selectHarnessEpisodes(train, values.harness, currentHash);
  logger.info(`mining ${selected.records.length} train episode(s) of ${selected.note}; ${all.length - train.length} held-out or outdated record(s) not read`);

  const disabledBecause = values['no-model'] ? '--no-model' : !config.mining.diagnose ? 'mining.diagnose is false' : undefined;
  const { model, settings, offlineReason } = await selectModel(loaded, { disabledBecause, suite });
  if (!model) logger.info(`mining without a model: ${offlineReason}; deterministic signatures only`);

  const result = await mineWeaknesses({
    episodes: selected.records,
    readArtifacts: (record) => readEpisodeArtifacts(store.artifactsPath(record.id)),
    model,
    maxClusters: config.mining['max-clusters'],
    evidenceTokens: config.mining['evidence-tokens'],
    logger,
    secrets: runSecrets(process.env, settings.apiKey),
  });

  const outDir = path.resolve(values.out ?? stateDir);
  await mkdir(outDir, { recursive: true });
  const markdown = renderMiningMarkdown(result);
  const jsonPath = path.join(outDir, 'weaknesses.json');
  const mdPath = path.join(outDir, 'weaknesses.md');
  await writeFile(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(mdPath, markdown);

  if (values.json) console.log(JSON.stringify(result satisfies MineJson, null, 2));
  else console.log(markdown);
  const usage = result.usage;
  logger.info(
    model
      ? `mining usage: model ${model.name}, ${usage.inputTokens} prompt + ${usage.outputTokens} completion tokens, $${usage.costUsd.toFixed(4)}`
      : 'mining usage: 0 tokens, $0 (no model)',
  );
  logger.info(`wrote ${path.relative(process.cwd(), jsonPath) || jsonPath} and ${path.relative(process.cwd(), mdPath) || mdPath}`);
  return 0;
}
