// What every episode-running command needs from the config: the loaded config, the state directory,
// the harness surface, the suite and the runner. Shared by run, mine, validate and evolve.
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import type { LoadedConfig } from '../config/schema.js';
import type { EpisodeRunner, Suite } from '../domain/types.js';
import { createSurface, type HarnessSurface } from '../harness/surface.js';
import { discoverSuite } from '../harness/suite.js';
import { createRunner } from '../runners/factory.js';

export interface CliContext {
  loaded: LoadedConfig;
  /** Absolute; --state-dir (relative to the cwd) or the config's state-dir (relative to the config's directory). */
  stateDir: string;
  surface: HarnessSurface;
  suite: Suite;
  runner: EpisodeRunner;
}

export async function loadContext(values: { config?: string; 'state-dir'?: string }): Promise<CliContext> {
  const loaded = loadConfig(values.config);
  const stateDir = resolveStateDir(loaded, values['state-dir']);
  const surface = createSurface(loaded, { stateDir });
  const suite = await discoverSuite(loaded);
  const runner = await createRunner(loaded);
  return { loaded, stateDir, surface, suite, runner };
}

/** --state-dir (relative to the cwd) or the config's state-dir (relative to the config's directory), absolute. */
export function resolveStateDir(loaded: LoadedConfig, override?: string): string {
  return override !== undefined ? path.resolve(override) : path.resolve(loaded.root, loaded.config['state-dir']);
}
