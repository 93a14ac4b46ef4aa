// Warnings about a harness surface that cannot be what the user meant: empty, or matching evaluator files it skips.
import { glob } from 'tinyglobby';
import { checkEditablePath, normalizeGlob } from './path-policy.js';
import { createSurface, type HarnessSurface } from './surface.js';
import { loadConfig } from '../config/load.js';

const SHOWN = 5;

/** One line per problem with the surface at its root: what is wrong and what to change in harness.include. */
export async function surfaceWarnings(surface: HarnessSurface): Promise<string[]> {
  const warnings: string[] = [];
  const include = surface.policy.include.join(', ');
  const files = await surface.listFiles();
  if (files.length === 0) {
    warnings.push(
      `harness.include (${include}) matches no editable file under ${surface.root}: the harness surface is empty, so every version hashes the same and there is nothing to improve. Point harness.include at the prompt, tool and recovery files.`,
    );
  }
  const patterns = surface.policy.include.map(normalizeGlob).filter((g): g is string => g !== undefined);
  if (patterns.length === 0) return warnings;
  const matched = await glob(patterns, {
    cwd: surface.root,
    dot: true,
    onlyFiles: true,
    ignore: ['**/.git/**', '**/node_modules/**'],
    expandDirectories: false,
  });
  const skipped = matched
    .map((file) => checkEditablePath(file, surface.policy))
    .flatMap((verdict) => (!verdict.ok && /the evaluator is never the harness/.test(verdict.reason) ? [verdict.reason] : []))
    .sort();
  if (skipped.length > 0) {
    const more = skipped.length > SHOWN ? `; and ${skipped.length - SHOWN} more` : '';
    warnings.push(
      `harness.include (${include}) matches ${skipped.length} file(s) that are part of the evaluator and are left out of the surface: ${skipped
        .slice(0, SHOWN)
        .map((r) => r.replace(/; the evaluator is never the harness.*$/, ''))
        .join('; ')}${more}. Narrow harness.include to the harness files.`,
    );
  }
  return warnings;
}

/** The surface warnings of the config in `root` (as `init` wrote or found it); [] when it cannot be loaded. */
export async function configSurfaceWarnings(root: string): Promise<string[]> {
  try {
    return await surfaceWarnings(createSurface(loadConfig(undefined, root)));
  } catch {
    return [];
  }
}
