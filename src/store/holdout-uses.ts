// How many times the sealed held-out split has been used in a state directory: a counter in a JSON file,
// incremented under a file lock so parallel validations never lose a use.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { UserError } from '../domain/types.js';

export interface HoldoutUses {
  read(): Promise<number>;
  /** Adds one use and returns the new total. */
  increment(): Promise<number>;
}

const HoldoutUsesSchema = z.object({
  version: z.literal(1),
  uses: z.number().int().min(0),
  lastUsedAt: z.string().optional(),
});

export function holdoutUsesFile(stateDir: string): string {
  return path.join(stateDir, 'holdout-uses.json');
}

async function readUses(file: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  if (text.trim() === '') return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UserError(
      `${file}: not valid JSON; it should hold {"version": 1, "uses": N}. Fix it by hand (the count of held-out uses) or delete it to restart the count at 0.`,
    );
  }
  const result = HoldoutUsesSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new UserError(
      `${file}: field ${issue?.path.join('.') || '(root)'}: ${issue?.message}; it should hold {"version": 1, "uses": N}. Fix it or delete it to restart the count at 0.`,
    );
  }
  return result.data.uses;
}

export function holdoutUsesCounter(stateDir: string): HoldoutUses {
  const file = holdoutUsesFile(stateDir);
  return {
    read: () => readUses(file),
    async increment() {
      await mkdir(stateDir, { recursive: true });
      // proper-lockfile locks an existing path: create the file once, never overwrite it here.
      await writeFile(file, '', { flag: 'a' });
      const release = await lockfile.lock(file, { retries: { retries: 100, minTimeout: 5, maxTimeout: 100, factor: 1.5 }, stale: 30_000 });
      try {
        const uses = (await readUses(file)) + 1;
        const temporary = `${file}.${process.pid}.tmp`;
        await writeFile(temporary, JSON.stringify({ version: 1, uses, lastUsedAt: new Date().toISOString() }, null, 2) + '\n');
        await rename(temporary, file);
        return uses;
      } finally {
        await release();
      }
    },
  };
}
