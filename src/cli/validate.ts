// `self-harness validate --base REF --head REF`: judge any harness change against its baseline.
import { writeFile } from 'node:fs/promises';
import { type CommandSpec, judgingOptions, numberOption, parseOrHelp } from './options.js';
import { commandSetup } from './setup.js';
import { resolveRunSettings } from '../flows/run-settings.js';
import { prerunValidationShard, validateRefs } from '../flows/validate-refs.js';
import { parseShard } from '../domain/shard.js';
import { UserError } from '../domain/types.js';
import { createRunner } from '../runners/factory.js';
import { createValidationProgress } from './progress.js';
import { interruptibleRunner, onInterrupt } from './interrupt.js';
import type { ValidateJson, ValidateShardJson } from './json-output.js';

export const spec = {
  name: 'validate',
  usage: '--base REF [--head REF] [options]',
  description: `Judges a harness change (the harness files at --head) against its baseline (at --base) with paired repeated
runs, showing one progress line per candidate (episodes of the most it can take, net wins against both boundaries).
Ctrl-C stops cleanly: running episodes end unrecorded, worktrees are removed, and the same command resumes.`,
  options: {
    base: { type: 'string', value: 'REF', help: 'the baseline harness (a git ref)' },
    head: { type: 'string', value: 'REF', help: 'the candidate harness (default HEAD)' },
    question: {
      type: 'string',
      value: 'Q',
      help: 'non-inferiority (default: "is the change not worse by validate.regression-margin?",\nthe PR gate\'s question; exit 0 pass, 1 regress or inconclusive) or superiority ("is it\nbetter by validate.min-effect?", evolve\'s question, with the sealed held-out confirmation)',
    },
    'no-holdout': { type: 'boolean', default: false, help: 'skip the sealed held-out confirmation (superiority only)' },
    shard: {
      type: 'string',
      value: 'I/N',
      help: 'only pre-run shard I of N of every episode the validation could need (into this\n--state-dir), without deciding; gather the shards with `self-harness merge`, then run\nvalidate without --shard: it decides from the merged, cached episodes (docs/sharding.md)',
    },
    'budget-episodes': { type: 'string', value: 'N', help: 'stop (inconclusive) before running more episodes than this' },
    ...judgingOptions,
  },
  exit: [
    '0 pass (non-inferiority) or promote (superiority); also a --shard pre-run',
    '1 regress, reject or inconclusive',
    '130 interrupted (run the same command again to resume)',
  ],
} as const satisfies CommandSpec;

export async function main(args: string[]): Promise<number> {
  const parsed = parseOrHelp(spec, args);
  if (!parsed) return 0;
  const { values } = parsed;
  if (!values.base) throw new UserError('--base REF is required (the baseline harness, e.g. origin/main).');
  const question = values.question ?? 'non-inferiority';
  if (question !== 'non-inferiority' && question !== 'superiority') {
    throw new UserError(`--question must be non-inferiority or superiority, got ${JSON.stringify(values.question)}.`);
  }
  const { loaded, stateDir } = commandSetup(values);
  const logger = createValidationProgress();
  // What the sharded pre-run and the decision share: the same refs, question and held-out choice.
  const what = { loaded, stateDir, base: values.base, head: values.head ?? 'HEAD', question, confirmHoldout: !values['no-holdout'], logger } as const;
  if (values.shard !== undefined) {
    const done = await prerunValidationShard({ ...what, shard: parseShard(values.shard) });
    const line = `shard ${done.shard}: ${done.planned} of the ${done.worstCase} episodes a validation could need (${done.run} run, ${done.cached} already recorded); no decision taken: merge the shard state dirs and run validate without --shard.`;
    if (values.json) console.log(JSON.stringify(done satisfies ValidateShardJson, null, 2));
    else console.log(line);
    return 0;
  }
  const stoppable = interruptibleRunner(await createRunner(loaded));
  const uninstall = onInterrupt({ logger, stop: stoppable.stop, repo: loaded.root, stateDir, beforeExit: () => logger.done() });
  const result = await validateRefs({
    ...what,
    runner: stoppable.runner,
    budget: resolveRunSettings(loaded.config, { budget: { episodes: numberOption('budget-episodes', values['budget-episodes'], { integer: true }) } }).budget,
  }).finally(() => {
    uninstall();
    logger.done();
  });
  const json: ValidateJson = { ...result.report, changedFiles: result.changedFiles, outsideSurface: result.outsideSurface };
  if (values.report) await writeFile(values.report, JSON.stringify(json, null, 2) + '\n');
  if (values.json) console.log(JSON.stringify(json, null, 2));
  else console.log(result.markdown);
  return result.report.decision === 'promote' ? 0 : 1;
}
