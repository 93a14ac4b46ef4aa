// `self-harness evolve`: rounds of mine -> propose -> validate; a promoted change is committed on a local branch.
import { writeFile } from 'node:fs/promises';
import { judgingCommandHelpTail, numberOption, parseCommandArgs } from './options.js';
import { commandSetup } from './setup.js';
import { evolve } from '../flows/evolve.js';
import { resolveRunSettings } from '../flows/run-settings.js';
import { runSecrets } from '../domain/secrets.js';
import { selectModel } from '../llm/select.js';

const help = `usage: self-harness evolve [options]

  --rounds N            rounds of mine -> propose -> validate (default: evolve.rounds)
  --base REF            start from this git ref (default HEAD)
  --branch NAME         local branch for a promoted change (default self-harness/evolve)
  --focus TEXT          prefer weaknesses that mention these words
  --budget-episodes N   stop before running more episodes than this (default: budget.episodes)
  --budget-tokens N     stop before spending more model tokens than this
  --budget-usd X        stop before spending more than this many dollars
  --no-model            offline: deterministic mining and the patterns proposer
  --dry-run             print the estimate and stop
${judgingCommandHelpTail}`;

export async function main(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('evolve', args, {
    rounds: { type: 'string' },
    base: { type: 'string' },
    branch: { type: 'string' },
    focus: { type: 'string' },
    'budget-episodes': { type: 'string' },
    'budget-tokens': { type: 'string' },
    'budget-usd': { type: 'string' },
    'no-model': { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    report: { type: 'string' },
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const { loaded, stateDir, logger } = commandSetup(values);
  const { rounds, budget } = resolveRunSettings(loaded.config, {
    rounds: numberOption('rounds', values.rounds, { integer: true }),
    budget: {
      episodes: numberOption('budget-episodes', values['budget-episodes'], { integer: true }),
      tokens: numberOption('budget-tokens', values['budget-tokens'], { integer: true }),
      usd: numberOption('budget-usd', values['budget-usd']),
    },
  });
  const { model, settings, offlineReason } = selectModel(loaded.config, { disabledBecause: values['no-model'] ? '--no-model' : undefined });
  if (!model) logger.info(`${offlineReason}: offline mode, deterministic mining and the patterns proposer.`);
  const result = await evolve({
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
  });
  const { markdown, ...json } = result;
  if (values.report) await writeFile(values.report, JSON.stringify(json, null, 2) + '\n');
  if (values.json) console.log(JSON.stringify(json, null, 2));
  else console.log(markdown);
  logger.info(`Report: ${result.reportPath}`);
  if (values['dry-run']) return 0;
  return result.decision === 'promote' ? 0 : 1;
}
