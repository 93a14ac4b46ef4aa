// Shared option parsing for CLI commands (node:util parseArgs, with the global options added).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../domain/types.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export const globalOptions = {
  config: { type: 'string' },
  'state-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies Options;

/** The help lines evolve and validate share: where the JSON report goes, the global options, the exit status. */
export const judgingCommandHelpTail = `  --report FILE         also write the JSON report here
  --json                print the JSON report on stdout
  --config PATH  --state-dir DIR

exit status: 0 promoted (or, for validate's default question, passed), 1 not (rejected, regressed or inconclusive),
2 usage or config error`;

/** Parses `args` with the command's options plus the global ones; unknown options are a UserError. */
export function parseCommandArgs<T extends Options>(command: string, args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args, options: { ...globalOptions, ...options }, allowPositionals, strict: true });
  } catch (error) {
    throw new UserError(`${(error as Error).message}. Run \`self-harness ${command} --help\` for the options.`);
  }
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
