// Warnings about a harness surface that cannot be what the user meant: empty, or matching files the path policy
// refuses (the evaluator, tasks, tests, .github/, the state directory) and so leaves out.
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
  const refused = matched
    .map((file) => checkEditablePath(file, surface.policy))
    .flatMap((verdict) => (verdict.ok ? [] : [verdict.reason]))
    // Not matched by include, or excluded on purpose: what the user asked for.
    .filter((reason) => !/: (not matched by harness\.include|matched by harness\.exclude) /.test(reason))
    .sort();
  const skipped = refused.filter((reason) => /the evaluator is never the harness/.test(reason));
  const neverEdited = refused.filter((reason) => !/the evaluator is never the harness/.test(reason));
  if (skipped.length > 0) {
    const more = skipped.length > SHOWN ? `; and ${skipped.length - SHOWN} more` : '';
    warnings.push(
      `harness.include (${include}) matches ${skipped.length} file(s) that are part of the evaluator and are left out of the surface: ${skipped
        .slice(0, SHOWN)
        .map((r) => r.replace(/; the evaluator is never the harness.*$/, ''))
        .join('; ')}${more}. Narrow harness.include to the harness files.`,
    );
  }
  if (neverEdited.length > 0) {
    const more = neverEdited.length > SHOWN ? `; and ${neverEdited.length - SHOWN} more` : '';
    warnings.push(
      `harness.include (${include}) matches ${neverEdited.length} file(s) that self-harness never edits and leaves out of the surface: ${neverEdited
        .slice(0, SHOWN)
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
