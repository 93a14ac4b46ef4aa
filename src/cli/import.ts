// `self-harness import PATH...`: records existing eval output (Harbor, Terminal-Bench 1, Inspect, trace files) as episodes.
import { importEvals, type ImportReport } from '../flows/import.js';
import { commandSetup } from './setup.js';
import { type CommandSpec, parseOrHelp } from './options.js';
import { UserError } from '../domain/types.js';
import type { ImportJson } from './json-output.js';

export const spec = {
  name: 'import',
  usage: 'PATH... [options]',
  description: `Records eval output you already have as episodes in the state directory, one per trial or sample, so that
\`self-harness mine\` can mine it: Harbor job directories (trial directories with result.json), Terminal-Bench 1
run directories, Inspect logs (.json files or directories of them), and CTRF or JUnit reports. Each episode is
recorded under the harness version of the commit the artifacts say they were run from, else --ref, else HEAD. The
files are copied into the episode's artifact directory; the source is never modified and symbolic links are not
followed. Importing the same files again adds nothing. Files that could not be read are listed with the reason.
Then: \`self-harness mine --harness all\` (or the harness hash printed).`,
  positionals: true,
  options: {
    ref: { type: 'string', value: 'REF', help: 'the git ref the evals were run from, when the artifacts record no commit (default HEAD)' },
    json: { type: 'boolean', default: false, help: 'print the import report as JSON' },
  },
  exit: ['0 imported (files that could not be read are listed, not errors)'],
} as const satisfies CommandSpec;

export async function main(args: string[]): Promise<number> {
  const parsed = parseOrHelp(spec, args);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UserError('name at least one path to import, e.g. `self-harness import jobs/`.');
  const { loaded, stateDir, logger } = commandSetup(values);
  const report = await importEvals(positionals, { loaded, stateDir, logger, ...(values.ref !== undefined ? { ref: values.ref } : {}) });
  if (values.json) console.log(JSON.stringify(report satisfies ImportJson, null, 2));
  else console.log(renderImportReport(report));
  return 0;
}

export function renderImportReport(report: ImportReport): string {
  const lines: string[] = [];
  const counts = new Map<string, number>();
  for (const e of report.added) counts.set(e.outcome, (counts.get(e.outcome) ?? 0) + 1);
  const byOutcome = [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
  lines.push(
    `imported ${report.added.length} episode(s)${byOutcome ? ` (${byOutcome})` : ''}, ${report.duplicates.length} already imported, ${report.skipped.length} file(s) skipped`,
  );
  for (const e of report.added.slice(0, 50)) {
    const why = e.outcome === 'infra-error' && e.error ? `: ${e.error.type}` : '';
    lines.push(`  ${e.outcome.padEnd(11)} ${e.taskId}#${e.attempt}  ${e.source}${why}`);
  }
  if (report.added.length > 50) lines.push(`  ... and ${report.added.length - 50} more (--json lists all)`);
  for (const v of report.versions) lines.push(`harness ${v.hash.slice(0, 12)}: ${v.label}, from ${v.why}`);
  if (report.skipped.length > 0) {
    lines.push('skipped:');
    for (const s of report.skipped.slice(0, 50)) lines.push(`  ${s.file}: ${s.reason}`);
    if (report.skipped.length > 50) lines.push(`  ... and ${report.skipped.length - 50} more (--json lists all)`);
  }
  if (report.added.length > 0) lines.push(`next: self-harness mine --harness ${report.versions.length === 1 ? report.versions[0]!.hash.slice(0, 12) : 'all'}`);
  return lines.join('\n');
}
