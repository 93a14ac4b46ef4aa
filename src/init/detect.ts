// Looks at a user's repository and reports what `self-harness init` can build on: Harbor/Terminal-Bench task
// directories, Inspect logs (and the sample ids in them), an existing run script, and prompt files.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import yauzl from 'yauzl';

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

export interface RepoDetection {
  root: string;
  /** Directories holding Harbor/Terminal-Bench tasks (task.toml + instruction.md), largest group first. */
  harborTasks: TaskGroup[];
  /** Inspect logs under logs/ (`*.eval`, `*.json`), relative paths. */
  inspectLogs: string[];
  /** Sample ids found in the Inspect logs (sorted, unique). */
  inspectSampleIds: string[];
  runScript?: RunScript;
  /** Prompt-like files (relative paths, sorted). */
  promptFiles: string[];
  /** harness/system-prompt.md exists: the reference agent's harness is already there. */
  referenceHarness: boolean;
  /** An existing config file. */
  existingConfig: boolean;
}

const IGNORE = ['**/node_modules/**', '**/.git/**', '**/.self-harness/**', '**/dist/**', '**/.venv/**', '**/venv/**', '**/__pycache__/**'];
const SCRIPT_NAMES = ['eval', 'evals', 'evaluate', 'bench', 'benchmark', 'run-agent', 'run:agent', 'agent', 'agent:run'];

export async function detectRepo(root: string): Promise<RepoDetection> {
  const harborTasks = await findHarborTasks(root);
  const taskDirs = harborTasks.map((g) => g.glob.replace(/\/\*$/, ''));
  const inspectLogs = (await glob(['logs/*.eval', 'logs/**/*.eval', 'logs/*.json'], { cwd: root, ignore: IGNORE })).sort();
  const inspectSampleIds = await sampleIdsOf(root, inspectLogs);
  return {
    root,
    harborTasks,
    inspectLogs: inspectLogs.filter((file) => file.endsWith('.eval') || inspectSampleIdsFromJson(path.join(root, file)) !== undefined),
    inspectSampleIds,
    runScript: findRunScript(root),
    promptFiles: await findPromptFiles(root, taskDirs),
    referenceHarness: existsSync(path.join(root, 'harness', 'system-prompt.md')),
    existingConfig: existsSync(path.join(root, '.self-harness.yml')),
  };
}

async function findHarborTasks(root: string): Promise<TaskGroup[]> {
  const tomls = await glob(['**/task.toml'], { cwd: root, ignore: IGNORE, deep: 5 });
  const counts = new Map<string, number>();
  for (const toml of tomls) {
    const taskDir = path.posix.dirname(toml);
    if (taskDir === '.' || !existsSync(path.join(root, taskDir, 'instruction.md'))) continue;
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
      'prompts/**/*.{md,txt,j2,jinja,jinja2}',
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

async function sampleIdsOf(root: string, logs: string[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const log of logs) {
    const file = path.join(root, log);
    const found = log.endsWith('.eval') ? await evalSampleIds(file) : inspectSampleIdsFromJson(file);
    for (const id of found ?? []) ids.add(id);
  }
  return [...ids].sort();
}

/** Sample ids from the entry names of an Inspect `.eval` zip (`samples/<id>_epoch_<n>.json`), without reading the samples. */
async function evalSampleIds(file: string): Promise<string[] | undefined> {
  try {
    const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: true });
    return await new Promise<string[]>((resolve, reject) => {
      const ids: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        const match = /^samples\/(.+)_epoch_\d+\.json$/.exec(entry.fileName);
        if (match) ids.push(match[1]!);
        zip.readEntry();
      });
      zip.on('end', () => resolve(ids));
      zip.on('error', reject);
      zip.readEntry();
    });
  } catch {
    return undefined;
  }
}

/** Sample ids of an Inspect JSON log; undefined when the file is not one (or too large to look at here). */
function inspectSampleIdsFromJson(file: string): string[] | undefined {
  try {
    if (statSync(file).size > 50_000_000) return undefined;
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { eval?: unknown; samples?: { id?: unknown }[] };
    if (!doc || typeof doc !== 'object' || !doc.eval) return undefined;
    return (doc.samples ?? [])
      .map((s) => s.id)
      .filter((id): id is string | number => typeof id === 'string' || typeof id === 'number')
      .map(String);
  } catch {
    return undefined;
  }
}
