// The `self-harness` command line. Each command lives in src/cli/<name>.ts and exports `spec` (options and help) and `main`.
import { readFileSync } from 'node:fs';
import { UserError } from './domain/types.js';
import { table } from './cli/options.js';
import { didYouMean } from './cli/suggest.js';

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

// Replaced by the bundler (scripts/bundle.mjs) with this package's version; unset when run from source.
declare const __SELF_HARNESS_VERSION__: string | undefined;

/** This package's version: inlined into the bundle at build time, else this checkout's package.json (never the caller's). */
export function version(): string {
  if (typeof __SELF_HARNESS_VERSION__ === 'string') return __SELF_HARNESS_VERSION__;
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

function usage(): string {
  return [
    'usage: self-harness <command> [options]',
    '',
    'Improves an agent harness from its own failures: run the suite, mine failures, validate and promote edits.',
    '',
    'commands:',
    ...table(Object.entries(commands).map(([name, c]) => [name, c.summary] as const)),
    '',
    'options:',
    ...table([
      ['-h, --help', 'print this help; `self-harness help <command>` or `self-harness <command> --help` for a command'],
      ['-V, --version', "print self-harness's version"],
    ]),
    '',
    'exit status:',
    '  0 success, 1 a negative result (see each command), 2 usage or config error, 3 internal error, 130 interrupted',
  ].join('\n');
}

function unknownCommand(name: string): string {
  // A mistyped top-level option (`--versoin`) is not a command: suggest among the options.
  if (name.startsWith('-'))
    return `self-harness: unknown option ${name}${didYouMean(name, ['--help', '--version'])}. Run \`self-harness --help\` for the commands and options.`;
  return `self-harness: unknown command "${name}"${didYouMean(name, Object.keys(commands))}. Run \`self-harness --help\` for the commands.`;
}

export async function cli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    (name ? console.log : console.error)(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    console.log(version());
    return 0;
  }
  if (name === 'help') {
    const topic = rest[0];
    if (topic === undefined) {
      console.log(usage());
      return 0;
    }
    if (!Object.hasOwn(commands, topic)) {
      console.error(unknownCommand(topic));
      return 2;
    }
    return cli([topic, '--help']);
  }
  if (!Object.hasOwn(commands, name)) {
    console.error(unknownCommand(name));
    return 2;
  }
  const command = commands[name];
  try {
    const module = await command.load();
    return await module.main(rest);
  } catch (error) {
    if (error instanceof UserError) {
      console.error(`self-harness ${name}: ${stripPrefix(error.message, name)}`);
      return 2;
    }
    console.error(`self-harness ${name}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 3;
  }
}

/** A message that already names the command (`merge: …`) is not prefixed twice. */
function stripPrefix(message: string, name: string): string {
  return message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message;
}

cli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
