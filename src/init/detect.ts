// Looks at a user's repository and reports what `self-harness init` can build on: Harbor/Terminal-Bench task
// directories, Inspect `@task` files and logs anywhere (and the sample ids in them), an existing run script, prompt
// files and prompts written inline in the agent's code.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { inspectEvalIndex } from '../traces/inspect.js';
import { inspectLogTask, inspectTaskId } from '../flows/import-units.js';

export interface TaskGroup {
  /** Glob of the task directories, relative to the root (e.g. "tasks/*"). */
  glob: string;
  count: number;
}

export interface RunScript {
  /** The shell command that runs one episode. */
  command: string;
  /** Where it was found, for the notes (e.g. 'package.json script "eval"'). */
  source: string;
}

export interface InspectTaskFile {
  /** Relative path of a Python file with `@task` functions. */
  file: string;
  /** The `@task` function names in it, in file order. */
  tasks: string[];
}

export interface InspectLogSamples {
  /** The log, relative to the root. */
  file: string;
  /** The task it ran (`eval.task`, else the file name), as `self-harness import` names it. */
  task: string;
  /** Its samples' task ids, `<task>:<sample id>` as `self-harness import` records them (unique, in log order). */
  taskIds: string[];
}

export interface RepoDetection {
  root: string;
  /** Directories holding Harbor/Terminal-Bench tasks (task.toml + instruction.md or tests/test.sh), largest group first. */
  harborTasks: TaskGroup[];
  /** Inspect logs anywhere in the repository (`*.eval`, and JSON logs with an `eval` header), relative paths. */
  inspectLogs: string[];
  /** The directories holding those logs (relative, sorted, unique): what `self-harness import` reads. */
  inspectLogDirs: string[];
  /** Each Inspect log's task and sample task ids, in the order of inspectLogs. */
  inspectSamples: InspectLogSamples[];
  /** Python files that import inspect_ai and define `@task` functions, sorted by path. */
  inspectTaskFiles: InspectTaskFile[];
  runScript?: RunScript;
  /** Prompt-like files (relative paths, sorted). */
  promptFiles: string[];
  /** Source files that hold a system prompt as a string literal (relative paths, sorted). */
  inlinePromptFiles: string[];
  /** Dependency files a workflow installs from before running episodes. */
  dependencies: { requirementsTxt: boolean; packageLock: boolean };
  /** harness/system-prompt.md exists: the reference agent's harness is already there. */
  referenceHarness: boolean;
  /** An existing config file. */
  existingConfig: boolean;
}

const IGNORE = ['**/node_modules/**', '**/.git/**', '**/.self-harness/**', '**/dist/**', '**/.venv/**', '**/venv/**', '**/__pycache__/**'];
/** Inspect's default log file name: `<ISO time>_<task>_<id>.json`. */
const INSPECT_JSON_NAME = '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*.json';
/** Source files small enough to look into for `@task` functions and inline prompts. */
const MAX_SOURCE_BYTES = 512 * 1024;
const SCRIPT_NAMES = ['eval', 'evals', 'evaluate', 'bench', 'benchmark', 'run-agent', 'run:agent', 'agent', 'agent:run'];

export async function detectRepo(root: string): Promise<RepoDetection> {
  const harborTasks = await findHarborTasks(root);
  const taskDirs = harborTasks.map((g) => g.glob.replace(/\/\*$/, ''));
  const candidateLogs = (await glob(['**/*.eval', '**/logs/**/*.json', `**/${INSPECT_JSON_NAME}`], { cwd: root, ignore: IGNORE, deep: 8 })).sort();
  const inspectSamples = await samplesOf(root, [...new Set(candidateLogs)]);
  const inspectLogs = inspectSamples.map((log) => log.file);
  return {
    root,
    harborTasks,
    inspectLogs,
    inspectLogDirs: [...new Set(inspectLogs.map((file) => path.posix.dirname(file)))].sort(),
    inspectSamples,
    inspectTaskFiles: await findInspectTaskFiles(root, taskDirs),
    runScript: findRunScript(root),
    promptFiles: await findPromptFiles(root, taskDirs),
    inlinePromptFiles: await findInlinePrompts(root, taskDirs),
    dependencies: {
      requirementsTxt: existsSync(path.join(root, 'requirements.txt')),
      packageLock: existsSync(path.join(root, 'package-lock.json')),
    },
    referenceHarness: existsSync(path.join(root, 'harness', 'system-prompt.md')),
    existingConfig: existsSync(path.join(root, '.self-harness.yml')),
  };
}

async function findHarborTasks(root: string): Promise<TaskGroup[]> {
  const tomls = await glob(['**/task.toml'], { cwd: root, ignore: IGNORE, deep: 5 });
  const counts = new Map<string, number>();
  for (const toml of tomls) {
    const taskDir = path.posix.dirname(toml);
    const isTask = existsSync(path.join(root, taskDir, 'instruction.md')) || existsSync(path.join(root, taskDir, 'tests', 'test.sh'));
    if (taskDir === '.' || !isTask) continue;
    const parent = path.posix.dirname(taskDir);
    counts.set(parent, (counts.get(parent) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([parent, count]) => ({ glob: parent === '.' ? '*' : `${parent}/*`, count }))
    .sort((a, b) => b.count - a.count || a.glob.localeCompare(b.glob));
}

function findRunScript(root: string): RunScript | undefined {
  const pkgFile = path.join(root, 'package.json');
  if (existsSync(pkgFile)) {
    try {
      const scripts = (JSON.parse(readFileSync(pkgFile, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
      const name = SCRIPT_NAMES.find((n) => typeof scripts[n] === 'string');
      if (name) return { command: `npm run --silent ${name}`, source: `package.json script "${name}"` };
    } catch {
      // An unreadable package.json is not a run script.
    }
  }
  const candidates: [string, string][] = [
    ['run_agent.py', 'python3 run_agent.py'],
    ['run_agent.sh', 'sh run_agent.sh'],
    ['run_agent.js', 'node run_agent.js'],
    ['run_agent.mjs', 'node run_agent.mjs'],
    ['agent/run.py', 'python3 agent/run.py'],
    ['agent/run.sh', 'sh agent/run.sh'],
    ['agent/run.js', 'node agent/run.js'],
    ['agent/run.mjs', 'node agent/run.mjs'],
    ['agent/run.ts', 'npx tsx agent/run.ts'],
    ['scripts/run_agent.py', 'python3 scripts/run_agent.py'],
    ['scripts/run_agent.sh', 'sh scripts/run_agent.sh'],
  ];
  for (const [file, command] of candidates) {
    if (existsSync(path.join(root, file))) return { command, source: file };
  }
  return undefined;
}

async function findPromptFiles(root: string, taskDirs: string[]): Promise<string[]> {
  const found = await glob(
    [
      '**/prompts/**/*.{md,txt,j2,jinja,jinja2}',
      'agent/**/*.{md,txt,j2,jinja,jinja2}',
      'AGENTS.md',
      '**/*system*prompt*.{md,txt,j2,jinja,jinja2}',
      '**/*system_prompt*',
      '**/*system-prompt*',
    ],
    { cwd: root, ignore: [...IGNORE, ...taskDirs.map((d) => `${d}/**`), '**/README.md', '**/CHANGELOG.md', '**/LICENSE*'], deep: 6 },
  );
  return [...new Set(found)].filter((file) => statSync(path.join(root, file)).isFile()).sort();
}

/** The Inspect logs among the candidates (a `.eval` zip whatever it holds; a JSON file with an `eval` header), with their samples. */
async function samplesOf(root: string, candidates: string[]): Promise<InspectLogSamples[]> {
  const logs: InspectLogSamples[] = [];
  for (const file of candidates) {
    const found = file.endsWith('.eval') ? await inspectEvalIndex(path.join(root, file)) : inspectJsonSamples(path.join(root, file));
    if (file.endsWith('.eval') || found) {
      const task = inspectLogTask(found?.evalInfo, file);
      logs.push({ file, task, taskIds: [...new Set((found?.sampleIds ?? []).map((id) => inspectTaskId(task, id)))] });
    }
  }
  return logs;
}

interface LogContent {
  evalInfo: unknown;
  sampleIds: string[];
}

/** The `eval` header and sample ids of an Inspect JSON log; undefined when the file is not one (or too large to look at here). */
function inspectJsonSamples(file: string): LogContent | undefined {
  try {
    if (statSync(file).size > 50_000_000) return undefined;
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { eval?: unknown; samples?: { id?: unknown }[] };
    if (!doc || typeof doc !== 'object' || !doc.eval) return undefined;
    const sampleIds = (doc.samples ?? [])
      .map((s) => s.id)
      .filter((id): id is string | number => typeof id === 'string' || typeof id === 'number')
      .map(String);
    return { evalInfo: doc.eval, sampleIds };
  } catch {
    return undefined;
  }
}

/** Reads a source file found by a glob, or undefined when it is large, unreadable or not a file. */
function readSource(root: string, file: string): string | undefined {
  try {
    const full = path.join(root, file);
    const info = statSync(full);
    if (!info.isFile() || info.size > MAX_SOURCE_BYTES) return undefined;
    return readFileSync(full, 'utf8');
  } catch {
    return undefined;
  }
}

async function findInspectTaskFiles(root: string, taskDirs: string[]): Promise<InspectTaskFile[]> {
  const files = await glob(['**/*.py'], { cwd: root, ignore: [...IGNORE, ...taskDirs.map((d) => `${d}/**`)], deep: 8 });
  const found: InspectTaskFile[] = [];
  for (const file of files.sort()) {
    const text = readSource(root, file);
    if (!text || !/^\s*@task\b/m.test(text) || !/\binspect_ai\b/.test(text)) continue;
    const tasks = [...text.matchAll(/^\s*@task\b[^\n]*\n(?:\s*@[^\n]*\n)*\s*(?:async\s+)?def\s+(\w+)/gm)].map((m) => m[1]!);
    if (tasks.length > 0) found.push({ file, tasks });
  }
  return found;
}

// A system prompt held in code: `SYSTEM_PROMPT = """...`, `systemPrompt: "..."`, `{"role": "system", "content": "..."}`.
const INLINE_PROMPT = [
  /\b\w*(?:system|SYSTEM|System)_?(?:prompt|PROMPT|Prompt|message|MESSAGE|Message|instructions|INSTRUCTIONS)\w*\s*(?::\s*\w+\s*)?[:=]\s*(?:[rfbuRFBU]{0,2}("""|'''|["'`])|\(\s*["'])/,
  /["']?role["']?\s*:\s*["']system["']\s*,\s*["']?content["']?\s*:\s*[rf]?["'`]/,
  // Inspect's solver: system_message("...") in a @task file.
  /\bsystem_message\(\s*[rf]?("""|'''|["'])/,
];

async function findInlinePrompts(root: string, taskDirs: string[]): Promise<string[]> {
  const files = await glob(['**/*.{py,ts,js,mjs,cjs}'], {
    cwd: root,
    ignore: [...IGNORE, ...taskDirs.map((d) => `${d}/**`), '**/test/**', '**/tests/**', '**/*.test.*', '**/*.spec.*', '**/test_*.py', '**/*.d.ts'],
    deep: 6,
  });
  return files.filter((file) => INLINE_PROMPT.some((pattern) => pattern.test(readSource(root, file) ?? ''))).sort();
}
