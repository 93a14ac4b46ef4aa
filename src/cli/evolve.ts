// `self-harness evolve`: rounds of mine -> propose -> validate; a promoted change is committed on a local branch.
import { writeFile } from 'node:fs/promises';
import { type CommandSpec, judgingOptions, numberOption, parseOrHelp } from './options.js';
import { commandSetup } from './setup.js';
import { evolve } from '../flows/evolve.js';
import { resolveRunSettings } from '../flows/run-settings.js';
import { runSecrets } from '../domain/secrets.js';
import { selectModel } from '../llm/select.js';
import { createRunner } from '../runners/factory.js';
import { createValidationProgress } from './progress.js';
import { interruptibleRunner, onInterrupt } from './interrupt.js';
import type { EvolveJson } from './json-output.js';

export const spec = {
  name: 'evolve',
  usage: '[options]',
  description: `Rounds of mine -> propose -> validate: each round mines the train failures, asks for small harness edits, and
promotes at most one edit that validates (paired repeated runs, then the sealed held-out confirmation). A promoted
change is committed on a local branch; your working copy is not touched. Shows one progress line per candidate
(episodes of the most it can take, net wins against both boundaries). Ctrl-C stops cleanly: the running episodes
end unrecorded, the candidate worktrees are removed, and the same command resumes from the recorded episodes.`,
  options: {
    rounds: { type: 'string', value: 'N', help: 'rounds of mine -> propose -> validate (default: evolve.rounds)' },
    base: { type: 'string', value: 'REF', help: 'start from this git ref (default HEAD)' },
    branch: { type: 'string', value: 'NAME', help: 'local branch for a promoted change (default self-harness/evolve)' },
    focus: { type: 'string', value: 'TEXT', help: 'prefer weaknesses that mention these words' },
    'budget-episodes': { type: 'string', value: 'N', help: 'stop before running more episodes than this (default: budget.episodes)' },
    'budget-tokens': { type: 'string', value: 'N', help: 'stop before spending more model tokens than this' },
    'budget-usd': { type: 'string', value: 'X', help: 'stop before spending more than this many dollars' },
    'no-model': { type: 'boolean', default: false, help: 'offline: deterministic mining and the patterns proposer' },
    'dry-run': { type: 'boolean', default: false, help: 'print the estimate and stop' },
    ...judgingOptions,
  },
  exit: ['0 promoted (or --dry-run)', '1 nothing promoted (rejected, inconclusive or out of budget)', '130 interrupted (run the same command again to resume)'],
} as const satisfies CommandSpec;

export async function main(args: string[]): Promise<number> {
  const parsed = parseOrHelp(spec, args);
  if (!parsed) return 0;
  const { values } = parsed;
  const { loaded, stateDir } = commandSetup(values);
  const logger = createValidationProgress();
  const { rounds, budget } = resolveRunSettings(loaded.config, {
    rounds: numberOption('rounds', values.rounds, { integer: true }),
    budget: {
      episodes: numberOption('budget-episodes', values['budget-episodes'], { integer: true }),
      tokens: numberOption('budget-tokens', values['budget-tokens'], { integer: true }),
      usd: numberOption('budget-usd', values['budget-usd']),
    },
  });
  const { model, settings, offlineReason } = await selectModel(loaded, { disabledBecause: values['no-model'] ? '--no-model' : undefined });
  if (!model) logger.info(`${offlineReason}: offline mode, deterministic mining and the patterns proposer.`);
  const stoppable = interruptibleRunner(await createRunner(loaded));
  const uninstall = onInterrupt({ logger, stop: stoppable.stop, repo: loaded.root, stateDir, beforeExit: () => logger.done() });
  const result = await evolve({
    runner: stoppable.runner,
    loaded,
    stateDir,
    baseRef: values.base,
    branch: values.branch,
    focus: values.focus,
    rounds,
    budget,
    model,
    dryRun: values['dry-run'],
    secrets: runSecrets(process.env, settings.apiKey),
    logger,
  }).finally(() => {
    uninstall();
    logger.done();
  });
  const { markdown, ...rest } = result;
  const json: EvolveJson = rest;
  if (values.report) await writeFile(values.report, JSON.stringify(json, null, 2) + '\n');
  if (values.json) console.log(JSON.stringify(json, null, 2));
  else console.log(markdown);
  logger.info(`Report: ${result.reportPath}`);
  if (values['dry-run']) return 0;
  return result.decision === 'promote' ? 0 : 1;
}
