// `self-harness validate --base REF --head REF`: judge any harness change against its baseline.
import { writeFile } from 'node:fs/promises';
import { parseCommandArgs } from './options.js';
import { flowContext, numberOption } from './flow-context.js';
import { validateRefs } from '../core/validate-refs.js';
import { UserError } from '../core/types.js';

const help = `usage: self-harness validate --base REF [--head REF] [options]

  --base REF            the baseline harness (a git ref)
  --head REF            the candidate harness (default HEAD)
  --no-holdout          skip the sealed held-out confirmation
  --budget-episodes N   stop (inconclusive) before running more episodes than this
  --report FILE         write the JSON report here
  --json                print the JSON report on stdout
  --config PATH  --state-dir DIR

exit status: 0 promote, 1 not promoted (rejected or inconclusive), 2 usage or config error`;

export async function main(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('validate', args, {
    base: { type: 'string' },
    head: { type: 'string' },
    'no-holdout': { type: 'boolean', default: false },
    'budget-episodes': { type: 'string' },
    report: { type: 'string' },
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  if (!values.base) throw new UserError('--base REF is required (the baseline harness, e.g. origin/main).');
  const { loaded, stateDir, logger } = flowContext(values);
  const result = await validateRefs({
    loaded,
    stateDir,
    base: values.base,
    head: values.head ?? 'HEAD',
    confirmHoldout: !values['no-holdout'],
    budget: { episodes: numberOption('budget-episodes', values['budget-episodes'], { integer: true }) ?? loaded.config.budget.episodes },
    logger,
  });
  const json = { ...result.report, changed_files: result.changedFiles, outside_surface: result.outsideSurface };
  if (values.report) await writeFile(values.report, JSON.stringify(json, null, 2) + '\n');
  if (values.json) console.log(JSON.stringify(json, null, 2));
  else console.log(result.markdown);
  return result.report.decision === 'promote' ? 0 : 1;
}
