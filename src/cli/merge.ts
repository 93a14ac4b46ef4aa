// `self-harness merge DIR...`: gathers shard state directories into the local state directory.
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { UserError } from '../domain/types.js';
import { mergeStates, type MergeReport } from '../store/merge.js';
import { stderrLogger } from './logger.js';
import { type CommandSpec, parseOrHelp } from './options.js';
import type { MergeJson } from './json-output.js';

export const spec = {
  name: 'merge',
  usage: 'DIR... [options]',
  description: `Adds the episodes recorded in each DIR (a shard's state directory: episodes.jsonl + episodes/) to the
local state directory. Safe to repeat: an episode already present with the same outcome is skipped; the
same episode with a different outcome is a conflict, reported and left as it is; torn or malformed
ledger lines are skipped with a warning. Then run validate or evolve once on the union.`,
  positionals: true,
  options: {
    'state-dir': { type: 'string', value: 'DIR', help: "the state directory to merge into (default: the config's state-dir)" },
    move: {
      type: 'boolean',
      default: false,
      help: 'move artifact directories out of the DIRs instead of copying them (faster; for\ndownloaded shards thrown away afterwards)',
    },
    config: { type: 'string', value: 'PATH', help: 'config file (default .self-harness.yml); not needed with --state-dir' },
    json: { type: 'boolean', default: false, help: 'print the counts as JSON on stdout' },
  },
  exit: ['0 merged (conflicts are reported, not errors); a DIR that is not a state directory is a usage error'],
} as const satisfies CommandSpec;

export async function main(args: string[]): Promise<number> {
  const parsed = parseOrHelp(spec, args);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length === 0) {
    throw new UserError('name at least one shard state directory, e.g. `self-harness merge shard-*/`.');
  }
  let target: string;
  if (values['state-dir'] !== undefined) target = path.resolve(values['state-dir']);
  else {
    const loaded = loadConfig(values.config);
    target = path.resolve(loaded.root, loaded.config['state-dir']);
  }
  const report = await mergeStates(target, positionals, { logger: stderrLogger, move: values.move });
  if (values.json) console.log(JSON.stringify(report satisfies MergeJson, null, 2));
  else console.log(renderReport(report));
  return 0;
}

function renderReport(report: MergeReport): string {
  const lines: string[] = [];
  for (const s of report.sources) {
    lines.push(
      `${s.source}: ${s.records} episode(s): ${s.added} added, ${s.duplicates} duplicate(s), ${s.conflicts} conflict(s), ${s.skipped} line(s) skipped`,
    );
  }
  const replaced = report.replaced > 0 ? ` (${report.replaced} replacing an infrastructure error)` : '';
  lines.push(
    `merged into ${report.target}: ${report.added} added${replaced}, ${report.duplicates} duplicate(s), ${report.conflicts.length} conflict(s), ${report.skipped} skipped`,
  );
  if (report.conflicts.length > 0) {
    lines.push('conflicts (same episode, different outcome; the first one is kept):');
    for (const c of report.conflicts.slice(0, 20)) lines.push(`  ${c.taskId}#${c.attempt} (${c.id}): kept ${c.kept}, ${c.source} has ${c.other}`);
    if (report.conflicts.length > 20) lines.push(`  ... and ${report.conflicts.length - 20} more (--json lists all)`);
  }
  return lines.join('\n');
}
