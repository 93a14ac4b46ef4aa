// The pattern library: one short, general instruction per failure class, with where it belongs.
// The first four texts are the demo's shared vocabulary (examples/demo's simulated agent looks for them); keep them verbatim.
import type { FailureClass } from '../mining/types.js';
import type { Mechanism } from './types.js';

export interface Remedy {
  failureClass: FailureClass;
  /** The heading the instruction is appended under. */
  title: string;
  /** The instruction itself, one paragraph. */
  text: string;
  mechanism: Mechanism;
  /** Prevention belongs in the system prompt; reactions to an error fit a recovery file shown after that error. */
  target: 'prompt' | 'recovery';
  /** Words in a recovery file's name that mark it as the one for this remedy. */
  recoveryKeywords: string[];
}

export const REMEDIES: readonly Remedy[] = [
  {
    failureClass: 'timeout',
    title: 'Long-running commands',
    text: 'Run commands that may take longer than a minute in the background (`cmd > log 2>&1 &`) and poll their progress with short checks; never block on them.',
    mechanism: 'prompt_instruction',
    target: 'prompt',
    recoveryKeywords: ['timeout', 'timed-out', 'slow'],
  },
  {
    failureClass: 'command-not-found',
    title: 'Missing commands',
    text: 'When a command is not found (exit 127), do not retry it: use an available alternative (python3, node, sed, awk) or a fallback.',
    mechanism: 'failure_recovery',
    target: 'recovery',
    recoveryKeywords: ['not-found', 'notfound', 'missing', 'nonzero', 'non-zero', 'exit', 'command'],
  },
  {
    failureClass: 'false-completion',
    title: 'Before you finish',
    text: "Before you call finish, run the task's checks yourself and compare the output with the exact format the instruction requires; fix any difference first.",
    mechanism: 'prompt_instruction',
    target: 'prompt',
    recoveryKeywords: ['finish', 'complet', 'verif'],
  },
  {
    failureClass: 'action-loop',
    title: 'Files not where you expect',
    text: 'If a file is not where you expect, search for it (`find / -name ...`) instead of repeating the same command.',
    mechanism: 'failure_recovery',
    target: 'recovery',
    recoveryKeywords: ['repeat', 'loop', 'stuck', 'same'],
  },
  {
    failureClass: 'step-limit',
    title: 'Step budget',
    text: 'Your steps are limited: plan the whole task first, combine related commands into one step, and do not spend steps re-reading output you already have.',
    mechanism: 'prompt_instruction',
    target: 'prompt',
    recoveryKeywords: ['step', 'limit', 'budget'],
  },
  {
    failureClass: 'context-overflow',
    title: 'Keep output small',
    text: 'Keep tool output short: filter long output with `head`, `tail`, `grep` or `wc` rather than printing whole files or logs into the conversation.',
    mechanism: 'prompt_instruction',
    target: 'prompt',
    recoveryKeywords: ['context', 'overflow', 'length', 'token'],
  },
  {
    failureClass: 'parse-error',
    title: 'Well-formed tool calls',
    text: "Every tool call must be valid JSON that matches the tool's parameter schema; when a call is rejected as malformed, correct its arguments rather than sending it unchanged.",
    mechanism: 'failure_recovery',
    target: 'recovery',
    recoveryKeywords: ['parse', 'invalid', 'malformed', 'format', 'json'],
  },
  {
    failureClass: 'tool-error',
    title: 'Failed tool calls',
    text: 'When a tool call fails, read the error message and change the arguments or the approach accordingly; never send the identical call again.',
    mechanism: 'failure_recovery',
    target: 'recovery',
    recoveryKeywords: ['tool', 'error', 'invalid'],
  },
  {
    failureClass: 'nonzero-exit-repeated',
    title: 'Commands that keep failing',
    text: 'When a command exits non-zero, read its error output and change something before running it again; after two failures of the same command, take a different approach.',
    mechanism: 'failure_recovery',
    target: 'recovery',
    recoveryKeywords: ['nonzero', 'non-zero', 'exit', 'error', 'fail'],
  },
  {
    failureClass: 'gave-up',
    title: 'Do not give up early',
    text: 'Do not stop before the task is done: when an approach fails, try another one (a different tool, a simpler method, a smaller step) and stop only when you have run out of distinct approaches.',
    mechanism: 'prompt_instruction',
    target: 'prompt',
    recoveryKeywords: ['give', 'gave', 'stop'],
  },
];

export function remedyFor(failureClass: FailureClass): Remedy | undefined {
  return REMEDIES.find((r) => r.failureClass === failureClass);
}
