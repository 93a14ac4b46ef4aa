// Decides what `self-harness init` writes from what was detected: pure, so every layout is testable without disk.
import path from 'node:path';
import { parseConfigText } from '../config/load.js';
import type { RepoDetection } from './detect.js';
import { REFERENCE_HARNESS_FILES } from './reference-harness.js';
import { workflowFiles } from './workflows.js';

export const CONFIG_FILE = '.self-harness.yml';
export const TASKS_FILE = 'self-harness-tasks.txt';
export const DEFAULT_ACTION = 'self-harness/self-harness@v1';
export const GITIGNORE_LINES = ['.self-harness/*', '!.self-harness/history.jsonl'];
/** The suite.run of a repo whose episodes are run by the reference agent. */
export const REFERENCE_AGENT_RUN = 'self-harness agent';
const PLACEHOLDER_RUN = 'echo "self-harness: set suite.run in .self-harness.yml to the command that runs one episode" >&2; exit 2';

export interface InitOptions {
  /** `owner/repo@ref` of the action used by the workflows. */
  action?: string;
}

export interface PlannedFile {
  path: string;
  content: string;
  /** `create` never overwrites without --force; `append-lines` adds only the missing lines. */
  mode: 'create' | 'append-lines';
}

export interface InitPlan {
  files: PlannedFile[];
  /** What was found, one line each. */
  detected: string[];
  /** Next steps for the user. */
  notes: string[];
  harnessInclude: string[];
  run: string;
}

export function planInit(detection: RepoDetection, options: InitOptions = {}): InitPlan {
  const files: PlannedFile[] = [];
  const detected: string[] = [];
  const notes: string[] = [];
  for (const group of detection.harborTasks)
    detected.push(`${group.count} Harbor task director${group.count === 1 ? 'y' : 'ies'} (task.toml + instruction.md) in ${group.glob}`);
  if (detection.inspectLogs.length)
    detected.push(
      `${detection.inspectLogs.length} Inspect log${detection.inspectLogs.length === 1 ? '' : 's'} (${detection.inspectLogs.slice(0, 3).join(', ')}) with ${detection.inspectSampleIds.length} sample id${detection.inspectSampleIds.length === 1 ? '' : 's'}`,
    );
  if (detection.runScript) detected.push(`run script: ${detection.runScript.source} -> \`${detection.runScript.command}\``);
  if (detection.promptFiles.length)
    detected.push(
      `prompt files: ${detection.promptFiles.slice(0, 6).join(', ')}${detection.promptFiles.length > 6 ? `, ... (${detection.promptFiles.length})` : ''}`,
    );
  if (detected.length === 0) detected.push('no tasks, logs, run script or prompt files recognised');

  // Tasks.
  let tasksLine: string;
  let tasksComment: string;
  const harbor = detection.harborTasks[0];
  if (harbor) {
    tasksLine = `tasks: ${quote(harbor.glob)}`;
    tasksComment = `# ${harbor.count} Harbor task directories; each episode gets SELF_HARNESS_TASK_DIR.`;
    if (detection.harborTasks.length > 1)
      notes.push(`Several task folders were found (${detection.harborTasks.map((g) => g.glob).join(', ')}); suite.tasks uses the largest, ${harbor.glob}.`);
  } else {
    const ids = detection.inspectSampleIds;
    const header = ids.length
      ? `# Task ids for self-harness, one per line ('#' starts a comment). Read from ${detection.inspectLogs.join(', ')}.\n`
      : "# Task ids for self-harness, one per line ('#' starts a comment). Replace the example with your own.\n";
    files.push({ path: TASKS_FILE, content: `${header}${(ids.length ? ids : ['example-task-1']).join('\n')}\n`, mode: 'create' });
    tasksLine = `tasks-file: ${quote(TASKS_FILE)}`;
    tasksComment = '# One task id per line; each episode gets it as SELF_HARNESS_TASK.';
    if (!ids.length) notes.push(`List your task ids in ${TASKS_FILE} (one per line), or point suite.tasks at a glob of task directories.`);
  }

  // The run command, and which files make the harness.
  let run: string;
  let runComment: string;
  let harnessInclude: string[];
  if (detection.runScript) {
    run = detection.runScript.command;
    runComment = `# From ${detection.runScript.source}. Run once per episode with cwd = the checkout under test and env SELF_HARNESS_TASK, SELF_HARNESS_TASK_DIR, SELF_HARNESS_ATTEMPT, SELF_HARNESS_OUT; it writes traces and result.json to $SELF_HARNESS_OUT.`;
    harnessInclude = includeGlobs(detection.promptFiles);
    if (detection.referenceHarness) harnessInclude.unshift('harness/**');
  } else if (harbor) {
    run = REFERENCE_AGENT_RUN;
    runComment = "# The reference agent runs each Harbor task in a temporary sandbox, then the task's tests/test.sh; its whole harness is harness/.";
    harnessInclude = ['harness/**'];
    if (!detection.referenceHarness) {
      for (const [file, content] of Object.entries(REFERENCE_HARNESS_FILES)) files.push({ path: file, content, mode: 'create' });
      notes.push('harness/ holds a plain starting harness for the reference agent (system prompt, tools, recovery texts, limits); evolve improves it.');
    }
    notes.push(
      'suite.run calls `self-harness agent`: the action puts its CLI on PATH for episodes; to run them locally, put a `self-harness` on PATH that runs `node <clone of the action>/dist/cli.js`, and set OPENAI_API_KEY or model.base-url; without a model endpoint it runs a simulated demo agent.',
    );
  } else {
    run = PLACEHOLDER_RUN;
    runComment = '# TODO: the command that runs one episode of your agent (no run script was recognised).';
    harnessInclude = includeGlobs(detection.promptFiles);
    notes.push('Set suite.run to the command that runs one episode of your agent (it gets SELF_HARNESS_TASK and writes result.json to $SELF_HARNESS_OUT).');
  }
  if (harnessInclude.length === 0) {
    harnessInclude = ['prompts/**'];
    notes.push(
      'No prompt files were recognised: harness.include is "prompts/**"; list the files that make your agent\'s harness (system prompt, tool descriptions, recovery texts, limits).',
    );
  }

  const config = [
    '# self-harness configuration, written by `self-harness init` (reference: docs/config.md).',
    'harness:',
    "  # The files self-harness may edit: the agent's harness (prompts, tool descriptions, recovery texts, limits).",
    '  # Never the tasks, their tests, or the workflows.',
    '  include:',
    ...harnessInclude.map((g) => `    - ${quote(g)}`),
    'suite:',
    `  ${tasksComment}`,
    `  ${tasksLine}`,
    `  ${runComment}`,
    `  run: ${quote(run)}`,
    '  attempts: 1',
    '  holdout: 0.3 # share of tasks sealed away from the proposer and used only to confirm a promotion',
    '  concurrency: 4',
    '  timeout-seconds: 900',
    'model:',
    "  # The proposer's model: any OpenAI-compatible endpoint (set base-url for a local or other provider).",
    '  name: gpt-4o-mini',
    '  api-key-env: OPENAI_API_KEY',
    '',
  ].join('\n');
  // A config that its own loader rejects must never be written.
  const parsed = parseConfigText(config, path.join(detection.root, CONFIG_FILE));
  files.unshift({ path: CONFIG_FILE, content: config, mode: 'create' });

  const workflows = workflowFiles({
    action: options.action ?? DEFAULT_ACTION,
    configPath: CONFIG_FILE,
    stateDir: parsed['state-dir'],
    apiKeyEnv: 'OPENAI_API_KEY',
  });
  files.push(...Object.entries(workflows).map(([name, content]) => ({ path: `.github/workflows/${name}`, content, mode: 'create' as const })), {
    path: '.gitignore',
    content: `${GITIGNORE_LINES.join('\n')}\n`,
    mode: 'append-lines',
  });
  notes.push(
    'Try it locally: `self-harness run --split train` runs the suite once and prints pass rates.',
    'Add the repository secret OPENAI_API_KEY (optional: without it, mining is deterministic and the pattern library proposes edits).',
    'Require the check "self-harness / regression-validation" in a branch ruleset so that only validated harness changes merge.',
    "Pull requests opened with GITHUB_TOKEN do not trigger other workflows; use a GitHub App token (github-token input) if your CI must run on the bot's PRs.",
  );
  return { files, detected, notes, harnessInclude, run };
}

/** Globs covering the prompt files: whole prompts/ folder, agent/ files by extension, other files by path. */
export function includeGlobs(promptFiles: readonly string[]): string[] {
  const globs = new Set<string>();
  for (const file of promptFiles) {
    if (file.startsWith('prompts/')) globs.add('prompts/**');
    else if (file.startsWith('agent/')) globs.add(`agent/**/*${path.posix.extname(file)}`);
    else globs.add(file);
  }
  return [...globs];
}

function quote(value: string): string {
  return JSON.stringify(value);
}
