// Decides what `self-harness init` writes from what was detected: pure, so every layout is testable without disk.
import path from 'node:path';
import { parseConfigText } from '../config/load.js';
import { HARBOR_VERSION, harborSettings } from '../runners/harbor-invocation.js';
import type { RepoDetection } from './detect.js';
import { INSPECT_RUNNER_FILE, INSPECT_RUNNER_SCRIPT, inspectRunCommand } from './inspect-runner.js';
import { REFERENCE_HARNESS_FILES } from './reference-harness.js';
import { workflowFiles, type SetupStep } from './workflows.js';

export const CONFIG_FILE = '.self-harness.yml';
export const TASKS_FILE = 'self-harness-tasks.txt';
export const DEFAULT_ACTION = 'self-harness/self-harness@v1';
export const GITIGNORE_LINES = ['.self-harness/*', '!.self-harness/history.jsonl'];
/** The suite.run of a repo whose episodes are run by the reference agent. */
export const REFERENCE_AGENT_RUN = 'self-harness agent';
/** The harness file a Harbor repo's agent gets appended to every task instruction (`inject: instruction-file`). */
export const HARBOR_INSTRUCTIONS_FILE = 'harness/instructions.md';
/** The agent and model proposed for a Harbor task repo: Harbor's own terminal agent, any LiteLLM model name. */
export const HARBOR_AGENT = 'terminus-2';
export const HARBOR_MODEL = 'openai/gpt-4o-mini';
export const INSPECT_MODEL = 'openai/gpt-4o-mini';
/** A usage error (exit 2, "usage:" on stderr): `run` reports it as a config error, never as the agent failing. */
export const PLACEHOLDER_RUN = 'echo "usage: self-harness needs suite.run in .self-harness.yml: the command that runs one episode of your agent" >&2; exit 2';

const HARBOR_INSTRUCTIONS = `Work in small, checked steps: look at the files and tools you have before changing anything.
Before you finish, re-read the task and check that every file or output it asks for exists, with the exact name
and content asked for.
`;

export interface InitOptions {
  /** `owner/repo@ref` of the action used by the workflows. */
  action?: string;
  /** For a Harbor task repo: run the tasks with the reference agent on the host instead of Harbor (no Docker). */
  referenceAgent?: boolean;
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
  /** Problems with what was found that the user must look at (each says why and what to do). */
  warnings: string[];
  harnessInclude: string[];
  runner: 'command' | 'harbor';
  /** suite.run (absent for the Harbor runner). */
  run?: string;
  /** What the workflows install before the action runs episodes. */
  setup: SetupStep[];
}

interface RunChoice {
  runner: 'command' | 'harbor';
  /** The suite lines after `tasks`, each a config line indented under `suite:` (comments included). */
  suiteLines: string[];
  run?: string;
  harnessInclude: string[];
  concurrency: number;
  timeoutSeconds: number;
}

export function planInit(detection: RepoDetection, options: InitOptions = {}): InitPlan {
  const files: PlannedFile[] = [];
  const notes: string[] = [];
  const warnings: string[] = [];
  const setup: SetupStep[] = [];
  const detected = describe(detection);

  // Tasks.
  let tasksLine: string;
  let tasksComment: string;
  const harbor = detection.harborTasks[0];
  if (harbor) {
    tasksLine = `tasks: ${quote(harbor.glob)}`;
    tasksComment = `# ${harbor.count} Harbor task director${harbor.count === 1 ? 'y' : 'ies'}; each episode gets SELF_HARNESS_TASK_DIR.`;
    if (detection.harborTasks.length > 1)
      notes.push(`Several task folders were found (${detection.harborTasks.map((g) => g.glob).join(', ')}); suite.tasks uses the largest, ${harbor.glob}.`);
  } else {
    const { ids, logs } = inspectTaskIds(detection, warnings);
    const header = ids.length
      ? `# Task ids for self-harness, one per line ('#' starts a comment): <task>:<sample id>, as \`self-harness import\` records them. Read from ${logs.join(', ')}.\n`
      : "# Task ids for self-harness, one per line ('#' starts a comment). Replace the example with your own.\n";
    files.push({ path: TASKS_FILE, content: `${header}${(ids.length ? ids : ['example-task-1']).join('\n')}\n`, mode: 'create' });
    tasksLine = `tasks-file: ${quote(TASKS_FILE)}`;
    tasksComment = '# One task id per line; each episode gets it as SELF_HARNESS_TASK.';
    if (!ids.length) notes.push(`List your task ids in ${TASKS_FILE} (one per line), or point suite.tasks at a glob of task directories.`);
  }

  const choice = chooseRun(detection, options, files, notes, warnings, setup);
  let harnessInclude = choice.harnessInclude;
  if (harnessInclude.length === 0) {
    harnessInclude = ['prompts/**'];
    notes.push(
      'No prompt files were recognised: harness.include is "prompts/**"; list the files that make your agent\'s harness (system prompt, tool descriptions, recovery texts, limits).',
    );
  }
  if (detection.inspectLogDirs.length > 0) {
    notes.push(
      `Mine the Inspect runs you already have: \`self-harness import ${detection.inspectLogDirs.join(' ')}\` records one episode per sample, then \`self-harness mine\` shows the weaknesses (docs/import.md).`,
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
    ...choice.suiteLines.map((line) => `  ${line}`),
    '  attempts: 1',
    '  holdout: 0.3 # share of tasks sealed away from the proposer and used only to confirm a promotion',
    `  concurrency: ${choice.concurrency}`,
    `  timeout-seconds: ${choice.timeoutSeconds}`,
    'model:',
    "  # The proposer's model: any OpenAI-compatible endpoint (set base-url for a local or other provider).",
    '  name: gpt-4o-mini',
    '  api-key-env: OPENAI_API_KEY',
    '',
  ].join('\n');
  // A config that its own loader rejects must never be written; nor one the runner it names would refuse.
  const parsed = parseConfigText(config, path.join(detection.root, CONFIG_FILE));
  if (choice.runner === 'harbor') harborSettings(parsed, detection.root);
  files.unshift({ path: CONFIG_FILE, content: config, mode: 'create' });

  const workflows = workflowFiles({
    action: options.action ?? DEFAULT_ACTION,
    configPath: CONFIG_FILE,
    stateDir: parsed['state-dir'],
    apiKeyEnv: 'OPENAI_API_KEY',
    setup,
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
  return { files, detected, notes, warnings, harnessInclude, runner: choice.runner, ...(choice.run ? { run: choice.run } : {}), setup };
}

function sampleCount(detection: RepoDetection): number {
  return new Set(detection.inspectSamples.flatMap((log) => log.taskIds)).size;
}

/** The @task init runs one sample of per episode (`path/to/file.py@name`), when the Inspect runner is chosen. */
function chosenInspectTask(detection: RepoDetection): { ref: string; name: string } | undefined {
  const taskFile = detection.inspectTaskFiles[0];
  if (detection.runScript || detection.harborTasks.length > 0 || !taskFile) return undefined;
  return { ref: `${taskFile.file}@${taskFile.tasks[0]!}`, name: taskFile.tasks[0]! };
}

/**
 * The suite's task ids from the Inspect logs (sorted, unique), in import's `<task>:<sample id>` form. When episodes
 * run one @task, only that task's logs count: another task's samples are not this suite's, and a warning names them.
 */
function inspectTaskIds(detection: RepoDetection, warnings: string[]): { ids: string[]; logs: string[] } {
  const chosen = chosenInspectTask(detection);
  const ofChosen = (task: string) => !chosen || task === chosen.name || task.endsWith(`/${chosen.name}`);
  const used = detection.inspectSamples.filter((log) => ofChosen(log.task));
  const others = detection.inspectSamples.filter((log) => !ofChosen(log.task));
  if (chosen && others.length > 0)
    warnings.push(
      `${others.map((log) => `${log.file} (task ${log.task})`).join(', ')}: not logs of ${chosen.ref}, which suite.run runs, so their samples are not in ${TASKS_FILE}. To run that task instead, change the task in suite.run and add its sample ids (<task>:<sample id>) to ${TASKS_FILE}.`,
    );
  return { ids: [...new Set(used.flatMap((log) => log.taskIds))].sort(), logs: used.map((log) => log.file) };
}

function describe(detection: RepoDetection): string[] {
  const detected: string[] = [];
  for (const group of detection.harborTasks)
    detected.push(`${group.count} Harbor task director${group.count === 1 ? 'y' : 'ies'} (task.toml + instruction.md or tests/test.sh) in ${group.glob}`);
  for (const taskFile of detection.inspectTaskFiles) detected.push(`Inspect task file ${taskFile.file} (@task ${taskFile.tasks.join(', ')})`);
  if (detection.inspectLogs.length)
    detected.push(
      `${detection.inspectLogs.length} Inspect log${detection.inspectLogs.length === 1 ? '' : 's'} in ${detection.inspectLogDirs.join(', ')} with ${sampleCount(detection)} sample id${sampleCount(detection) === 1 ? '' : 's'}`,
    );
  if (detection.runScript) detected.push(`run script: ${detection.runScript.source} -> \`${detection.runScript.command}\``);
  if (detection.promptFiles.length)
    detected.push(
      `prompt files: ${detection.promptFiles.slice(0, 6).join(', ')}${detection.promptFiles.length > 6 ? `, ... (${detection.promptFiles.length})` : ''}`,
    );
  if (detection.inlinePromptFiles.length) detected.push(`a system prompt written inline in: ${detection.inlinePromptFiles.join(', ')}`);
  if (detected.length === 0) detected.push('no tasks, logs, run script or prompt files recognised');
  return detected;
}

/** How episodes run (runner, command, harness files), with the files, notes, warnings and install steps it needs. */
function chooseRun(detection: RepoDetection, options: InitOptions, files: PlannedFile[], notes: string[], warnings: string[], setup: SetupStep[]): RunChoice {
  const harbor = detection.harborTasks[0];
  const commandRun = (run: string, comment: string, harnessInclude: string[]): RunChoice => ({
    runner: 'command',
    suiteLines: [comment, `run: ${quote(run)}`],
    run,
    harnessInclude,
    concurrency: 4,
    timeoutSeconds: 900,
  });
  const protocol =
    'Run once per episode with cwd = the checkout under test and env SELF_HARNESS_TASK, SELF_HARNESS_TASK_DIR, SELF_HARNESS_ATTEMPT, SELF_HARNESS_OUT; it writes traces and result.json to $SELF_HARNESS_OUT.';

  if (detection.runScript) {
    const run = detection.runScript.command;
    const include = harnessFromPrompts(detection, run, warnings, notes);
    if (detection.referenceHarness) include.unshift('harness/**');
    if (harbor)
      notes.push(
        `suite.run is your ${detection.runScript.source}; to run each Harbor task in its own container instead, use \`runner: harbor\` (docs/harbor.md).`,
      );
    installDependencies(detection, run, setup);
    return commandRun(run, `# From ${detection.runScript.source}. ${protocol}`, include);
  }

  if (harbor && options.referenceAgent) {
    if (!detection.referenceHarness) {
      for (const [file, content] of Object.entries(REFERENCE_HARNESS_FILES)) files.push({ path: file, content, mode: 'create' });
      notes.push('harness/ holds a plain starting harness for the reference agent (system prompt, tools, recovery texts, limits); evolve improves it.');
    }
    notes.push(
      "suite.run calls `self-harness agent`, which runs each task's tests/test.sh on the host (not in the task's container): in the action the CLI it ships is on PATH; locally, run with the `self-harness` you ran init with on PATH. Set OPENAI_API_KEY or model.base-url; without a model endpoint it runs a simulated demo agent.",
    );
    return commandRun(
      REFERENCE_AGENT_RUN,
      "# The reference agent runs each Harbor task in a temporary sandbox on the host, then the task's tests/test.sh; its whole harness is harness/.",
      ['harness/**'],
    );
  }

  if (harbor) {
    const tasksDir = harbor.glob.replace(/\/?\*$/, '') || '.';
    if (!detection.referenceHarness) files.push({ path: HARBOR_INSTRUCTIONS_FILE, content: HARBOR_INSTRUCTIONS, mode: 'create' });
    notes.push(
      `Each episode is one Harbor trial: it needs the harbor CLI (Harbor ${HARBOR_VERSION}, Python >= 3.12: \`pipx install harbor==${HARBOR_VERSION}\` or \`uv tool install harbor==${HARBOR_VERSION}\`) and Docker where episodes run. The workflows install harbor; GitHub's ubuntu runners have Docker.`,
      `${HARBOR_INSTRUCTIONS_FILE} is appended to every task instruction (suite.harbor.inject: instruction-file) and is the harness evolve improves. With your own Harbor agent, set suite.harbor.agent-import-path and inject: agent-import-path instead (docs/harbor.md).`,
      `The agent is ${HARBOR_AGENT} with ${HARBOR_MODEL} (suite.harbor.agent and model): it calls the model with OPENAI_API_KEY, which the workflows pass to the action.`,
    );
    setup.push({ name: `Install Harbor ${HARBOR_VERSION} (runs each task's container with Docker)`, run: [`pipx install harbor==${HARBOR_VERSION}`] });
    return {
      runner: 'harbor',
      suiteLines: [
        "# Each episode is one Harbor trial: `harbor run` builds the task's container (Docker), runs the agent in it, then",
        `# the task's tests/test.sh. Needs the harbor CLI (Harbor ${HARBOR_VERSION}, Python >= 3.12) and Docker where episodes run.`,
        'runner: harbor',
        'harbor:',
        `  path: ${quote(tasksDir)}`,
        `  agent: ${quote(HARBOR_AGENT)}`,
        `  model: ${quote(HARBOR_MODEL)}`,
        '  env: docker',
        '  # The harness under test reaches the agent as instructions appended to every task.',
        '  inject: instruction-file',
        `  inject-path: ${quote(HARBOR_INSTRUCTIONS_FILE)}`,
      ],
      harnessInclude: ['harness/**'],
      concurrency: 2,
      timeoutSeconds: 3600,
    };
  }

  const inspectTask = chosenInspectTask(detection);
  if (inspectTask) {
    const taskRef = inspectTask.ref;
    const run = inspectRunCommand(taskRef);
    files.push({ path: INSPECT_RUNNER_FILE, content: INSPECT_RUNNER_SCRIPT, mode: 'create' });
    const others = detection.inspectTaskFiles.flatMap((t) => t.tasks.map((name) => `${t.file}@${name}`)).filter((ref) => ref !== taskRef);
    notes.push(
      `Each episode is one sample of the Inspect task ${taskRef}: ${INSPECT_RUNNER_FILE} runs \`inspect eval\` for it and turns the score into result.json. It needs Inspect (\`pip install inspect-ai\` and your model's provider package) where episodes run; the workflows install inspect-ai and openai. The model is suite.env.INSPECT_EVAL_MODEL.`,
    );
    if (others.length) notes.push(`Other Inspect tasks found: ${others.join(', ')}; change the task in suite.run to run one of them.`);
    const include = harnessFromPrompts(detection, run, warnings, notes);
    setup.push(pythonSetup(['inspect-ai', 'openai'], detection.dependencies.requirementsTxt));
    return {
      runner: 'command',
      suiteLines: [
        `# One Inspect sample per episode (${INSPECT_RUNNER_FILE}, written by init: it runs \`inspect eval\` and writes result.json).`,
        `run: ${quote(run)}`,
        'env:',
        `  INSPECT_EVAL_MODEL: ${quote(INSPECT_MODEL)}`,
      ],
      run,
      harnessInclude: include,
      concurrency: 4,
      timeoutSeconds: 900,
    };
  }

  notes.push('Set suite.run to the command that runs one episode of your agent (it gets SELF_HARNESS_TASK and writes result.json to $SELF_HARNESS_OUT).');
  return commandRun(
    PLACEHOLDER_RUN,
    '# TODO: the command that runs one episode of your agent (no run script was recognised).',
    harnessFromPrompts(detection, undefined, warnings, notes),
  );
}

/**
 * harness.include from the prompt files, else from the source files holding an inline prompt. A source file that
 * is also the evaluator (the run script, an Inspect @task file with its dataset and scorer) is never proposed: a
 * warning says why and how to move the prompt out.
 */
function harnessFromPrompts(detection: RepoDetection, run: string | undefined, warnings: string[], notes: string[]): string[] {
  const include = includeGlobs(detection.promptFiles);
  if (include.length > 0 || detection.inlinePromptFiles.length === 0) return include;
  const taskFiles = new Set(detection.inspectTaskFiles.map((t) => t.file));
  const runWords = new Set((run ?? '').split(/\s+/).map((w) => w.replace(/^\.\//, '').replace(/@.*$/, '')));
  for (const file of detection.inlinePromptFiles) {
    if (taskFiles.has(file)) {
      warnings.push(
        `the system prompt is inline in ${file}, which also defines the Inspect @task (its dataset and scorer are the evaluator), so it is not in harness.include. Move the prompt to prompts/system.md, read it in the task's solver, and list prompts/** in harness.include.`,
      );
    } else if (runWords.has(file)) {
      warnings.push(
        `the system prompt is inline in ${file}, the script suite.run runs: it is part of the evaluator, which self-harness never edits, so it is not in harness.include. Move the prompt to prompts/system.md, read it from there at start, and list prompts/** in harness.include.`,
      );
    } else include.push(file);
  }
  if (include.length > 0)
    notes.push(
      `harness.include lists ${include.join(', ')}, which hold the system prompt inline in code: edits will change those source files. Moving the prompt to prompts/system.md keeps edits to text.`,
    );
  return include;
}

/** The project's own dependencies, when the run command uses them. */
function installDependencies(detection: RepoDetection, run: string, setup: SetupStep[]): void {
  if (/^(npm|npx|node|pnpm|yarn)\b/.test(run) && detection.dependencies.packageLock) setup.push({ name: 'Install dependencies', run: ['npm ci'] });
  if (/^python3?\b/.test(run) && detection.dependencies.requirementsTxt) setup.push(pythonSetup([], true));
}

/** A virtual environment on PATH for the later steps (the system Python refuses pip installs). */
function pythonSetup(packages: string[], requirements: boolean): SetupStep {
  const args = [...packages, ...(requirements ? ['-r requirements.txt'] : [])].join(' ');
  return {
    name: packages.length ? `Install ${packages.join(', ')}` : 'Install Python dependencies',
    run: ['python3 -m venv "$RUNNER_TEMP/venv"', `"$RUNNER_TEMP/venv/bin/pip" install ${args}`, 'echo "$RUNNER_TEMP/venv/bin" >> "$GITHUB_PATH"'],
  };
}

/** Globs covering the prompt files: a whole prompts/ folder (wherever it is), agent/ files by extension, other files by path. */
export function includeGlobs(promptFiles: readonly string[]): string[] {
  const globs = new Set<string>();
  for (const file of promptFiles) {
    const segments = file.split('/');
    const prompts = segments.slice(0, -1).indexOf('prompts');
    if (file.startsWith('agent/')) globs.add(`agent/**/*${path.posix.extname(file)}`);
    else if (prompts >= 0) globs.add([...segments.slice(0, prompts + 1), '**'].join('/'));
    else globs.add(file);
  }
  return [...globs];
}

function quote(value: string): string {
  return JSON.stringify(value);
}
