// The `self-harness` command line. Each command lives in src/cli/<name>.ts and exports `main`.
import { UserError } from './domain/types.js';

export interface CliCommand {
  summary: string;
  load: () => Promise<{ main: (args: string[]) => Promise<number> }>;
}

const commands: Record<string, CliCommand> = {
  run: { summary: 'run the task suite against a harness version', load: () => import('./cli/run.js') },
  mine: { summary: 'mine failure patterns from recorded episodes', load: () => import('./cli/mine.js') },
  validate: { summary: 'validate a harness change (--base REF --head REF)', load: () => import('./cli/validate.js') },
  evolve: { summary: 'mine -> propose -> validate rounds; commits a promoted change on a branch', load: () => import('./cli/evolve.js') },
  import: { summary: 'record existing eval output (Harbor, Terminal-Bench, Inspect) as episodes to mine', load: () => import('./cli/import.js') },
  merge: { summary: 'merge shard state directories into the local state directory', load: () => import('./cli/merge.js') },
  init: { summary: 'write .self-harness.yml and workflows for this repository', load: () => import('./cli/init.js') },
  agent: { summary: 'the reference agent: run one task episode (honours the episode protocol)', load: () => import('./cli/agent.js') },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'usage: self-harness <command> [options]',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'global options: --config PATH  --state-dir DIR   (`self-harness <command> --help` for more)',
  ].join('\n');
}

export async function cli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    console.log(process.env.npm_package_version ?? '0.1.0');
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`self-harness: unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  try {
    const module = await command.load();
    return await module.main(rest);
  } catch (error) {
    if (error instanceof UserError) {
      console.error(`self-harness ${name}: ${error.message}`);
      return 2;
    }
    console.error(`self-harness ${name}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 3;
  }
}

cli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
