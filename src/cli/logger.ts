// The CLI's one logger: lines on stderr (stdout carries reports and --json), warnings prefixed.
import type { Logger } from '../domain/types.js';

/** A logger that prints each message as one line through `print`. */
export function lineLogger(print: (line: string) => void): Logger {
  return { info: (message) => print(message), warn: (message) => print(`warning: ${message}`) };
}

export const stderrLogger: Logger = lineLogger((line) => console.error(line));
