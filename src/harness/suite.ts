// Finds the suite's tasks (directories matched by suite.tasks, or lines of suite.tasks-file) and splits them.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import type { LoadedConfig } from '../config/schema.js';
import { hashFiles, sha256, compareBytes } from './hash.js';
import { splitTasks } from '../domain/split.js';
import { UserError, type Suite, type Task } from '../domain/types.js';

/** Discovers the tasks of the suite under `root` (default: the config's directory) and splits them. */
export async function discoverSuite(loaded: LoadedConfig, root: string = loaded.root): Promise<Suite> {
  const suite = loaded.config.suite;
  let tasks: Task[];
  if (suite['tasks-file']) {
    tasks = await tasksFromFile(root, suite['tasks-file']);
  } else {
    const pattern = suite.tasks ?? (suite.harbor?.path ? `${trimSlashes(suite.harbor.path)}/*` : undefined);
    if (!pattern) {
      throw new UserError(
        `${display(loaded.path)}: suite: no tasks to discover; set suite.tasks (a glob of task directories, e.g. "tasks/*") or suite.tasks-file (one task id per line).`,
      );
    }
    tasks = await tasksFromGlob(root, pattern, loaded.config['state-dir']);
  }
  const split = splitTasks(
    tasks.map((task) => task.id),
    { holdout: suite.holdout, seed: suite.seed, holdoutTasks: suite['holdout-tasks'], trainTasks: suite['train-tasks'] },
  );
  return { tasks, split };
}

/** The tasks of one split (or all), optionally narrowed to `ids`; unknown ids are a UserError. */
export function selectTasks(suite: Suite, split: 'train' | 'holdout' | 'all', ids?: string[]): Task[] {
  const inSplit = new Set(split === 'all' ? suite.tasks.map((t) => t.id) : suite.split[split]);
  let chosen = suite.tasks.filter((task) => inSplit.has(task.id));
  if (ids && ids.length > 0) {
    const known = new Set(suite.tasks.map((t) => t.id));
    const unknown = [...new Set(ids)].filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new UserError(
        `unknown task id${unknown.length > 1 ? 's' : ''} ${unknown.map((id) => JSON.stringify(id)).join(', ')}; the suite has ${describeIds(suite.tasks.map((t) => t.id))}.`,
      );
    }
    const outside = [...new Set(ids)].filter((id) => !inSplit.has(id));
    if (outside.length > 0) {
      throw new UserError(
        `task${outside.length > 1 ? 's' : ''} ${outside.map((id) => JSON.stringify(id)).join(', ')} ${outside.length > 1 ? 'are' : 'is'} not in the ${split} split; pick ids from that split or change suite.holdout-tasks / suite.train-tasks.`,
      );
    }
    const wanted = new Set(ids);
    chosen = chosen.filter((task) => wanted.has(task.id));
  }
  return chosen;
}

async function tasksFromGlob(root: string, rawPattern: string, stateDir: string): Promise<Task[]> {
  const pattern = trimSlashes(rawPattern.replace(/^(\.\/)+/, ''));
  const ignore = ['**/.git', '**/.git/**', '**/node_modules', '**/node_modules/**'];
  const state = path.relative(root, path.resolve(root, stateDir));
  if (state && !state.startsWith('..') && !path.isAbsolute(state)) ignore.push(state.split(path.sep).join('/'), `${state.split(path.sep).join('/')}/**`);
  const dirs = (await glob(pattern, { cwd: root, onlyDirectories: true, dot: false, expandDirectories: false, ignore }))
    .map((dir) => trimSlashes(dir))
    .filter((dir) => dir !== '' && dir !== '.')
    .sort(compareBytes);
  if (dirs.length === 0) {
    throw new UserError(
      `suite.tasks: the glob "${rawPattern}" matched no directory under ${root}; each task is a directory (e.g. tasks/hello/), so use a glob like "tasks/*".`,
    );
  }
  const byId = new Map<string, string>();
  for (const dir of dirs) {
    const id = path.posix.basename(dir);
    const other = byId.get(id);
    if (other !== undefined) {
      throw new UserError(`suite.tasks: two task directories have the id "${id}": ${other} and ${dir}; rename one, or narrow the glob "${rawPattern}".`);
    }
    byId.set(id, dir);
  }
  const entries = [...byId];
  const tasks: Task[] = [];
  // A few tasks at a time: each hashFiles already reads a batch of files concurrently.
  for (let start = 0; start < entries.length; start += TASK_BATCH) {
    tasks.push(...(await Promise.all(entries.slice(start, start + TASK_BATCH).map(([id, rel]) => hashTask(root, id, rel)))));
  }
  return tasks.sort((a, b) => compareBytes(a.id, b.id));
}

const TASK_BATCH = 8;

/** A directory task; its hash covers every regular file in it (symlinks are not followed). */
async function hashTask(root: string, id: string, rel: string): Promise<Task> {
  const dir = path.resolve(root, rel);
  const files = await glob('**', { cwd: dir, dot: true, onlyFiles: true, followSymbolicLinks: false, ignore: ['**/.git/**'] });
  return { id, dir, contentHash: await hashFiles(dir, files) };
}

async function tasksFromFile(root: string, file: string): Promise<Task[]> {
  const absolute = path.resolve(root, file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      `suite.tasks-file: cannot read ${file} (${code ?? (error as Error).message}); create it with one task id per line, or fix the path (relative to ${root}).`,
    );
  }
  const tasks: Task[] = [];
  const lineOf = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const id = raw.replace(/#.*$/, '').trim();
    if (id === '') return;
    const line = index + 1;
    if (/[\s/\\]/.test(id) || id === '.' || id === '..' || /[\u0000-\u001f\u007f]/.test(id)) {
      throw new UserError(
        `${file}:${line}: task id ${JSON.stringify(id)} must not contain spaces, '/' or '\\' (it names artifact folders); put one plain id per line.`,
      );
    }
    const first = lineOf.get(id);
    if (first !== undefined) throw new UserError(`${file}:${line}: task id "${id}" is already listed at line ${first}; list each task once.`);
    lineOf.set(id, line);
    tasks.push({ id, contentHash: sha256(id) });
  });
  if (tasks.length === 0) {
    throw new UserError(`suite.tasks-file: ${file} lists no task ids; write one id per line ('#' starts a comment).`);
  }
  return tasks;
}

function trimSlashes(p: string): string {
  return p.replace(/\/+$/, '');
}

function display(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

function describeIds(ids: string[]): string {
  if (ids.length === 0) return 'no tasks';
  const shown = ids
    .slice(0, 10)
    .map((id) => JSON.stringify(id))
    .join(', ');
  return ids.length > 10 ? `${ids.length} tasks: ${shown}, ...` : shown;
}
