// The reference agent's starting harness, written by `self-harness init` for a Harbor task repo without an agent
// of its own. Deliberately plain: the evolve loop improves it from the suite's failures. Same files as examples/demo/harness.

export const REFERENCE_HARNESS_FILES: Readonly<Record<string, string>> = {
  'harness/system-prompt.md': `You are a command-line agent working in a Linux sandbox. Your working directory holds the task's files.

Task:
{{instruction}}

Use the tools to do the task. When you are done, call the finish tool with a short summary of what you did.
`,
  'harness/tools.json': `${JSON.stringify(
    [
      {
        name: 'shell',
        description: 'Run a shell command (sh) in the working directory and return its output and exit code.',
        parameters: { type: 'object', properties: { command: { type: 'string', description: 'The command line to run.' } }, required: ['command'] },
      },
      {
        name: 'read_file',
        description: 'Return the text of a file (path relative to the working directory).',
        parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
      },
      {
        name: 'write_file',
        description: 'Write text to a file (path relative to the working directory), replacing it.',
        parameters: { type: 'object', properties: { path: { type: 'string' }, content: { type: 'string' } }, required: ['path', 'content'] },
      },
      {
        name: 'finish',
        description: 'End the episode when the task is done.',
        parameters: { type: 'object', properties: { summary: { type: 'string', description: 'What you did.' } } },
      },
    ],
    null,
    2,
  )}\n`,
  'harness/limits.json': `${JSON.stringify({ max_steps: 30, command_timeout_seconds: 60, context_budget_tokens: 60000, max_output_bytes: 10000, repeat_threshold: 3 }, null, 2)}\n`,
  'harness/recovery/parse-error.md': 'Your last tool call could not be used: {{error}}\nReply with one valid tool call.\n',
  'harness/recovery/timeout.md': 'The command `{{command}}` timed out after {{timeout_seconds}} seconds and was stopped.\n',
  'harness/recovery/nonzero-exit.md': 'The command exited with code {{exit_code}}.\n',
  'harness/recovery/repeated-action.md': 'You have made the same call {{count}} times in a row.\n',
};
