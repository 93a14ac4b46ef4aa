// Tells a run command that never ran the agent (not found, not executable, arguments rejected with a usage error)
// from the agent failing: a config error with a one-line fix, recorded as an infrastructure error so it is never
// counted against the harness nor mined as a weakness.
import type { EpisodeError } from '../domain/types.js';

/** The shell's own last stderr line, on one line (the message it printed when it could not run the command). */
function lastLine(stderrTail: string): string {
  const lines = stderrTail
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.at(-1) ?? '').replace(/\s+/g, ' ').slice(0, 300);
}

/** The error types of a run command that never ran the agent: a config error, so the run stops at the first one. */
export const RUN_COMMAND_CONFIG_ERRORS: readonly string[] = ['command-not-started', 'command-usage-error'];

/** True for an episode error that is suite.run's config error (the same for every episode: retrying cannot help). */
export function isRunCommandConfigError(error: EpisodeError | undefined): boolean {
  return error !== undefined && RUN_COMMAND_CONFIG_ERRORS.includes(error.type);
}

/**
 * The config error behind an episode that ended with `exitCode` and wrote no result.json, or undefined when the
 * exit is the agent's own. 127/126 are the shell's "not found" / "not executable"; 2 with a `usage:` line on
 * stderr is an argument parser (argparse, getopt, click...) rejecting suite.run's arguments. The fix names the
 * config file and field, never the episode's cwd (a temporary copy, deleted after the run).
 */
export function runCommandError(exitCode: number | null, stderrTail: string, command: string, configFile: string): EpisodeError | undefined {
  const said = lastLine(stderrTail);
  const quoted = said ? `, "${said}"` : '';
  const field = `suite.run in ${configFile}`;
  if (exitCode === 127) {
    const missing = /([^\s:]+): (?:command )?not found\b/.exec(said)?.[1];
    // A program suite.run does not name (`inspect` inside a wrapper script) is missing where episodes run: install it.
    const named = missing !== undefined && command.split(/[\s;&|()'"`]+/).some((word) => word === missing || word === `./${missing}`);
    const fix =
      missing && !named
        ? `Fix: install "${missing}" where episodes run (the program suite.run runs needs it on PATH), or change ${field}.`
        : `Fix: set ${field} to a command that exists where episodes run: a program on PATH, or a script path relative to the repository root.`;
    return {
      type: 'command-not-started',
      message: `suite.run "${command}" could not start: ${missing ? `"${missing}" was not found` : 'a program it names was not found'} (exit 127${quoted}); a config error, not the agent failing. ${fix}`,
      infrastructure: true,
    };
  }
  if (exitCode === 126) {
    const file = /([^\s:]+): Permission denied$/.exec(said)?.[1];
    return {
      type: 'command-not-started',
      message: `suite.run "${command}" could not start: ${file ? `"${file}" is not executable` : 'a file it names is not executable'} (exit 126${quoted}); a config error, not the agent failing. Fix: \`chmod +x ${file ?? '<script>'}\` and commit it, or run it through its interpreter in ${field} (e.g. "sh ${file ?? '<script>'}", "python3 ${file ?? '<script>'}").`,
      infrastructure: true,
    };
  }
  if (exitCode === 2 && /^usage:/im.test(stderrTail)) {
    const usage = (/^usage:.*$/im.exec(stderrTail)?.[0] ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
    const usageQuote = usage && usage !== said ? ` The usage line: "${usage}".` : '';
    return {
      type: 'command-usage-error',
      message: `suite.run "${command}" was rejected with a usage error (exit 2${quoted}); a config error, not the agent failing. Fix: correct the arguments in ${field} to match the usage line.${usageQuote}`,
      infrastructure: true,
    };
  }
  return undefined;
}
