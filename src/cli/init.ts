// `self-harness init`: detects the repository's tasks, logs, run script and prompts; writes the config, workflows
// and .gitignore entries; never overwrites a file without --force.
import { statSync } from 'node:fs';
import path from 'node:path';
import { type CommandSpec, parseOrHelp } from './options.js';
import { detectRepo } from '../init/detect.js';
import { DEFAULT_ACTION, planInit } from '../init/plan.js';
import { writeInitPlan } from '../init/write.js';
import { configSurfaceWarnings } from '../harness/surface-check.js';
import { UserError } from '../domain/types.js';
import type { InitJson } from './json-output.js';

export const spec = {
  name: 'init',
  usage: '[options]',
  description: `Looks at the repository (Harbor/Terminal-Bench task directories, Inspect @task files and logs anywhere, a run
script such as a package.json "eval" script or run_agent.py, prompt files under prompts/ or agent/, AGENTS.md, a system
prompt inline in code) and writes:
  .self-harness.yml                                  the config (checked against the schema before writing)
  .github/workflows/self-harness-evolve.yml          weekly + manual evolution, opens a PR
  .github/workflows/self-harness-validate.yml        validates every pull request (and merge queue entry)
  .github/workflows/self-harness-commands.yml        /self-harness comment commands
  .gitignore                                         adds .self-harness/* and !.self-harness/history.jsonl
and, for a Harbor task repo without a run script, runner: harbor with harness/instructions.md (or, with
--reference-agent, harness/ for the reference agent); for an Inspect repo, self-harness-inspect.py (one sample per
episode). Warns, with the reason, about a harness surface that is empty or reaches files self-harness never edits.`,
  options: {
    dir: { type: 'string', value: 'DIR', help: 'the repository root (default: the current directory)' },
    force: { type: 'boolean', default: false, help: 'overwrite existing files (otherwise they are skipped and named)' },
    action: { type: 'string', value: 'REF', help: `the action the workflows use, OWNER/REPO@REF (default ${DEFAULT_ACTION})` },
    'reference-agent': {
      type: 'boolean',
      default: false,
      help: 'Harbor task repo: run tasks with the reference agent on the host (no Docker) instead of the harbor runner',
    },
    json: { type: 'boolean', default: false, help: 'print what was detected and written as JSON on stdout' },
  },
  exit: ['0 written (existing files skipped without --force are named, not errors)', '2 a usage error (e.g. --dir that is not a directory)'],
} as const satisfies CommandSpec;

/** Why init leaves a planned file alone: it is only ever an existing file without --force. */
const SKIPPED_REASON = 'exists; --force overwrites it';

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

export async function main(args: string[]): Promise<number> {
  const parsed = parseOrHelp(spec, args);
  if (!parsed) return 0;
  const { values } = parsed;
  if (values.action !== undefined && !/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[\w./-]+$/.test(values.action)) {
    throw new UserError(`--action: expected OWNER/REPO@REF (e.g. ${DEFAULT_ACTION}), got "${values.action}".`);
  }
  const root = path.resolve(values.dir ?? '.');
  if (values.dir !== undefined && !isDirectory(root)) {
    throw new UserError(`--dir ${values.dir}: not a directory; give the root of an existing repository (init never creates it).`);
  }
  const detection = await detectRepo(root);
  const plan = planInit(detection, { action: values.action, referenceAgent: values['reference-agent'] });
  const report = writeInitPlan(root, plan, values.force);
  const warnings = [...plan.warnings, ...(await configSurfaceWarnings(root))];
  if (values.json) {
    console.log(
      JSON.stringify(
        {
          root,
          detected: plan.detected,
          harnessInclude: plan.harnessInclude,
          runner: plan.runner,
          run: plan.run,
          ...report,
          skipped: report.skipped.map((file) => ({ file, reason: SKIPPED_REASON })),
          notes: plan.notes,
          warnings,
        } satisfies InitJson,
        null,
        2,
      ),
    );
    return 0;
  }
  const lines = ['self-harness init', '', 'Found:', ...plan.detected.map((d) => `  - ${d}`), ''];
  for (const file of report.written) lines.push(`  wrote      ${file}`);
  for (const file of report.overwritten) lines.push(`  overwrote  ${file}`);
  for (const file of report.appended) lines.push(`  appended   ${file}`);
  for (const file of report.skipped) lines.push(`  skipped    ${file} (${SKIPPED_REASON})`);
  if (report.skipped.length)
    lines.push(
      '',
      `${report.skipped.length} existing file${report.skipped.length === 1 ? ' was' : 's were'} left unchanged: ${report.skipped.join(', ')}. Re-run with --force to overwrite.`,
    );
  lines.push('', 'Next steps:', ...plan.notes.map((n, i) => `  ${i + 1}. ${n}`));
  if (warnings.length > 0) lines.push('', ...warnings.map((w) => `warning: ${w}`));
  console.log(lines.join('\n'));
  return 0;
}
