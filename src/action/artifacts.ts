// The `artifacts` input: eval output another workflow produced (e.g. downloaded on workflow_run), imported into the
// ledger before an evolve run mines, as `self-harness import` does. Imported episodes are mining evidence only.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { UserError } from '../domain/types.js';
import { git } from '../git/git.js';
import { importEvals, type ImportReport } from '../flows/import.js';
import type { JobEnv } from './job.js';

const SHOWN = 5;

/** The files and directories the patterns match, outermost only (a directory already covers what is inside it). */
export async function expandArtifacts(patterns: readonly string[], workspace: string): Promise<string[]> {
  const found: string[] = [];
  for (const pattern of patterns) {
    const plain = !/[*?[\]{}]/.test(pattern);
    const matches = plain
      ? existsSync(path.resolve(workspace, pattern))
        ? [path.resolve(workspace, pattern)]
        : []
      : await glob([pattern], { cwd: workspace, onlyFiles: false, expandDirectories: false, absolute: true, dot: true });
    if (matches.length === 0) {
      throw new UserError(
        `input "artifacts": ${JSON.stringify(pattern)} matches nothing under ${workspace}. Check the path the artifacts were downloaded to (actions/download-artifact's \`path:\`), or drop the pattern.`,
      );
    }
    found.push(...matches.map((m) => path.resolve(m)));
  }
  const unique = [...new Set(found)].sort();
  return unique.filter((p) => !unique.some((outer) => outer !== p && p.startsWith(outer + path.sep)));
}

/**
 * The commit the imported evals ran from, when the artifacts do not record one: on workflow_run, the triggering run's
 * head commit if this checkout has it; else the commit evolution starts from.
 */
export async function artifactsRef(job: Pick<JobEnv, 'ctx' | 'logger'>, baseSha: string): Promise<string> {
  const head = job.ctx.payload.workflow_run?.head_sha;
  if (typeof head !== 'string' || !/^[0-9a-f]{40}$/.test(head)) return baseSha;
  const present = await git(['cat-file', '-e', `${head}^{commit}`], { cwd: job.ctx.workspace }).then(
    () => true,
    () => false,
  );
  if (present) return head;
  job.logger.warn(
    `the workflow run that produced the artifacts ran on ${head.slice(0, 12)}, which this checkout does not have (use fetch-depth: 0); artifacts that record no commit are imported under ${baseSha.slice(0, 12)}.`,
  );
  return baseSha;
}

/** Imports the `artifacts` input into the job's ledger and logs what was added, already there and skipped. */
export async function importArtifacts(job: JobEnv, baseSha: string): Promise<ImportReport | undefined> {
  const patterns = job.settings.artifacts;
  if (patterns.length === 0) return undefined;
  const paths = await expandArtifacts(patterns, job.ctx.workspace);
  const ref = await artifactsRef(job, baseSha);
  const report = await importEvals(paths, { loaded: job.loaded, stateDir: job.stateDir, ref, logger: job.logger });
  const byOutcome = new Map<string, number>();
  for (const episode of report.added) byOutcome.set(episode.outcome, (byOutcome.get(episode.outcome) ?? 0) + 1);
  const outcomes = [...byOutcome.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ');
  job.logger.info(
    `Imported ${report.added.length} episode(s) from ${paths.length} artifact path(s)${outcomes ? ` (${outcomes})` : ''}; ${report.duplicates.length} already in the ledger; ${report.skipped.length} file(s) skipped.`,
  );
  for (const version of report.versions) job.logger.info(`  harness ${version.hash.slice(0, 12)}: ${version.label}, ${version.why}`);
  for (const skipped of report.skipped.slice(0, SHOWN)) job.logger.info(`  skipped ${skipped.file}: ${skipped.reason}`);
  if (report.skipped.length > SHOWN) job.logger.info(`  and ${report.skipped.length - SHOWN} more skipped`);
  if (report.added.length === 0 && report.duplicates.length === 0) {
    job.logger.warn(`input "artifacts" (${patterns.join(', ')}): nothing could be imported; evolve mines its own train run instead.`);
  }
  return report;
}
