// Builds the episode runner the config asks for. The one place that maps `suite.runner` to an implementation.
import type { LoadedConfig } from '../config/schema.js';
import type { EpisodeRunner } from '../domain/types.js';
import { UserError } from '../domain/types.js';
import path from 'node:path';
import { CommandRunner } from './command.js';

export async function createRunner(loaded: LoadedConfig): Promise<EpisodeRunner> {
  const suite = loaded.config.suite;
  if (suite.runner === 'harbor') {
    const { createHarborRunner } = await import('./harbor.js').catch(() => {
      throw new UserError('suite.runner is "harbor" but this build has no Harbor runner.');
    });
    return createHarborRunner(loaded.config, loaded.root);
  }
  if (!suite.run) throw new UserError(`${loaded.path}: suite.run is required for the command runner.`);
  const configFile = path.relative(loaded.root, loaded.path) || loaded.path;
  return new CommandRunner({ command: suite.run, env: suite.env, model: suite.model, configFile });
}
