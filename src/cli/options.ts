// Every command's options and help in one shape: each option is declared once, with its help line, and parsed by
// node:util parseArgs (with the global options added); `renderHelp` prints the one help layout all commands share.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../domain/types.js';
import { didYouMean } from './suggest.js';

type ParseOption = NonNullable<ParseArgsConfig['options']>[string];

/** A parseArgs option plus what the help says about it: `value` names a string option's argument (`N`, `REF`). */
export type DescribedOption = ParseOption & { help: string; value?: string };
export type CommandOptions = Record<string, DescribedOption>;

export interface CommandSpec<T extends CommandOptions = CommandOptions> {
  name: string;
  /** What follows `self-harness <name>` on the usage line, e.g. `--base REF [--head REF] [options]`. */
  usage: string;
  /** One paragraph (or a few lines) on what the command does. */
  description: string;
  options: T;
  /** Positional arguments are accepted (merge's DIRs). */
  positionals?: boolean;
  /** What each exit status means, one line per status. */
  exit: readonly string[];
}

export const globalOptions = {
  config: { type: 'string', value: 'PATH', help: 'config file (default .self-harness.yml)' },
  'state-dir': { type: 'string', value: 'DIR', help: "state directory (default: the config's state-dir)" },
  json: { type: 'boolean', default: false, help: 'print the result as JSON on stdout (camelCase keys; docs/cli.md)' },
  help: { type: 'boolean', short: 'h', default: false, help: 'print this help' },
} as const satisfies CommandOptions;

/** The options evolve and validate share: where the JSON report goes. */
export const judgingOptions = {
  report: { type: 'string', value: 'FILE', help: 'also write the JSON report here' },
  json: { type: 'boolean', default: false, help: 'print the JSON report on stdout instead of markdown' },
} as const satisfies CommandOptions;

/** The exit statuses every command shares. */
export const commonExit = ['2 usage or config error (the message says what and where)', '3 internal error (a bug: please report it with the message)'];

/** Parses `args` with the command's options plus the global ones; an unknown option is a UserError naming the closest known one. */
export function parseCommand<T extends CommandOptions>(spec: CommandSpec<T>, args: string[]) {
  const options = { ...globalOptions, ...spec.options };
  const parseOptions: Record<string, ParseOption> = {};
  for (const [name, described] of Object.entries(options) as [string, DescribedOption][]) {
    const { help: _help, value: _value, ...option } = described;
    parseOptions[name] = option;
  }
  try {
    return parseArgs({ args, options: parseOptions as typeof options, allowPositionals: spec.positionals ?? false, strict: true });
  } catch (error) {
    throw new UserError(
      `${parseErrorMessage(error as Error & { code?: string }, Object.keys(options))} Run \`self-harness ${spec.name} --help\` for the options.`,
    );
  }
}

function parseErrorMessage(error: Error & { code?: string }, known: string[]): string {
  const unknown = /^Unknown option '([^']+)'/.exec(error.message);
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    const typed = unknown[1].split('=')[0];
    return `unknown option ${typed}${didYouMean(
      typed,
      known.map((k) => `--${k}`),
    )}.`;
  }
  const positional = /^Unexpected argument '([^']+)'/.exec(error.message);
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && positional) return `unexpected argument "${positional[1]}" (this command takes options only).`;
  return error.message.replace(/\.?$/, '.');
}

/** The one help layout: usage line, description, options (one column of flags), exit statuses. */
/** Parses a command's arguments; undefined when `--help` was given (the help is printed, the command exits 0). */
export function parseOrHelp<T extends CommandOptions>(spec: CommandSpec<T>, args: string[]) {
  const parsed = parseCommand(spec, args);
  if ((parsed.values as { help?: boolean }).help) {
    console.log(renderHelp(spec));
    return undefined;
  }
  return parsed;
}

export function renderHelp<T extends CommandOptions>(spec: CommandSpec<T>): string {
  const options = { ...globalOptions, ...spec.options };
  const rows = (Object.entries(options) as [string, DescribedOption][]).map(([name, o]) => [optionLabel(name, o), o.help] as const);
  return [
    `usage: self-harness ${spec.name} ${spec.usage}`.trimEnd(),
    '',
    spec.description,
    '',
    'options:',
    ...table(rows),
    '',
    'exit status:',
    ...[...spec.exit, ...commonExit].map((line) => `  ${line}`),
  ].join('\n');
}

function optionLabel(name: string, option: DescribedOption): string {
  const flag = `${option.short ? `-${option.short}, ` : ''}--${name}`;
  return option.type === 'string' ? `${flag} ${option.value ?? 'VALUE'}` : flag;
}

/** Two columns; the second column's continuation lines (after `\n`) are aligned under its first. */
export function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.min(26, Math.max(...rows.map(([label]) => label.length)));
  const lines: string[] = [];
  for (const [label, text] of rows) {
    const [first, ...rest] = text.split('\n');
    if (label.length > width) lines.push(`  ${label}`, `  ${' '.repeat(width)}  ${first}`);
    else lines.push(`  ${label.padEnd(width)}  ${first}`);
    for (const more of rest) lines.push(`  ${' '.repeat(width)}  ${more}`);
  }
  return lines;
}

/** Parses a positive number option value (a whole one with `integer`), naming the option when it is not one. */
export function numberOption(name: string, value: string | undefined, { integer = false } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UserError(`--${name}: expected a positive ${integer ? 'integer' : 'number'}, got "${value}".`);
  }
  return n;
}

/** Parses a positive integer option value, naming the option when it is not one. */
export function positiveIntOption(name: string, value: string | undefined): number | undefined {
  return numberOption(name, value, { integer: true });
}
