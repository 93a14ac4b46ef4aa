// What the CLI commands set up from the config before they work: the loaded config and state directory, the
// logger, and for episode-running commands the harness surface, suite and runner.
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import type { LoadedConfig } from '../config/schema.js';
import type { EpisodeRunner, Logger, Suite } from '../domain/types.js';
import { createSurface, type HarnessSurface } from '../harness/surface.js';
import { discoverSuite } from '../harness/suite.js';
import { createRunner } from '../runners/factory.js';
import { stderrLogger } from './logger.js';

export interface CommandSetup {
  loaded: LoadedConfig;
  /** Absolute; --state-dir (relative to the cwd) or the config's state-dir (relative to the config's directory). */
  stateDir: string;
  logger: Logger;
}

/** What the suite-running commands (run, mine) need besides: the harness surface, the suite and the runner. */
export interface SuiteSetup extends CommandSetup {
  surface: HarnessSurface;
  suite: Suite;
  runner: EpisodeRunner;
}

type SetupValues = { config?: string; 'state-dir'?: string };

export function commandSetup(values: SetupValues): CommandSetup {
  const loaded = loadConfig(values.config);
  return { loaded, stateDir: resolveStateDir(loaded, values['state-dir']), logger: stderrLogger };
}

export async function suiteSetup(values: SetupValues): Promise<SuiteSetup> {
  const setup = commandSetup(values);
  const surface = createSurface(setup.loaded, { stateDir: setup.stateDir });
  const suite = await discoverSuite(setup.loaded);
  const runner = await createRunner(setup.loaded);
  return { ...setup, surface, suite, runner };
}

/** --state-dir (relative to the cwd) or the config's state-dir (relative to the config's directory), absolute. */
export function resolveStateDir(loaded: LoadedConfig, override?: string): string {
  return override !== undefined ? path.resolve(override) : path.resolve(loaded.root, loaded.config['state-dir']);
}
