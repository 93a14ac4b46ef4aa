// The one place the sealed held-out set of a suite is built: its held-out ids, and (when a model will be called) the
// distinctive lines of its held-out task texts, which the model guard refuses to send.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import type { Suite, Task } from '../domain/types.js';
import { selectTasks } from '../harness/suite.js';
import { sealHoldout, type SealedHoldout } from './guard.js';

export interface SealOptions {
  /** Read the task texts too (only needed when a model will be called; ids are always sealed). */
  withText: boolean;
}

/** The sealed held-out set of `suite`: ids always, instruction lines (less those train tasks share) when asked. */
export async function sealSuite(suite: Suite, options: SealOptions): Promise<SealedHoldout> {
  const holdout = selectTasks(suite, 'holdout');
  if (!options.withText)
    return sealHoldout(
      holdout.map((t) => t.id),
      [],
    );
  return sealHoldout(
    holdout.map((t) => t.id),
    await taskTexts(holdout),
    await taskTexts(selectTasks(suite, 'train')),
  );
}

const TASK_TEXT_FILES = 20;
const TASK_TEXT_BYTES = 64 * 1024;

/** The text files of task directories (a few per task, capped), whose lines the held-out guard looks for. */
async function taskTexts(tasks: Task[]): Promise<string[]> {
  const texts: string[] = [];
  for (const task of tasks) {
    if (!task.dir) continue;
    const files = await glob(['**/*'], { cwd: task.dir, onlyFiles: true, dot: false, followSymbolicLinks: false }).catch(() => []);
    for (const file of files.sort().slice(0, TASK_TEXT_FILES)) {
      const text = await readFile(path.join(task.dir, file)).catch(() => undefined);
      if (text && text.length <= TASK_TEXT_BYTES && !text.includes(0)) texts.push(text.toString('utf8'));
    }
  }
  return texts;
}
