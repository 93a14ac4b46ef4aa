// The config a PR is judged by comes from its merge base, not from the PR: otherwise a PR could loosen the
// thresholds, shrink the suite or move its harness edit out of `harness.include` and pass its own gate.
import { parseConfigText } from '../config/load.js';
import type { LoadedConfig } from '../config/schema.js';
import { git, GitError } from '../git/git.js';
import { locateProject, type ProjectLocation } from '../harness/surface.js';
import type { Logger } from '../domain/types.js';

export interface GateConfig {
  loaded: LoadedConfig;
  /** Where the config came from: the merge base, or the workspace when the base has none (the PR adds it). */
  source: 'base' | 'workspace';
  /** Where the project sits in the repository (the same at the base: the config path is what was looked up). */
  location: ProjectLocation;
}

export async function gateConfigAt(workspaceLoaded: LoadedConfig, cwd: string, baseCommit: string, logger: Logger): Promise<GateConfig> {
  const location = await locateProject(workspaceLoaded);
  const relative = location.configFile;
  let text: string;
  try {
    text = await git(['show', `${baseCommit}:${relative}`], { cwd });
  } catch (error) {
    if (!(error instanceof GitError) || error.exitCode === undefined) throw error;
    logger.warn(`${relative} does not exist at the merge base ${baseCommit.slice(0, 12)}; judging with the pull request's config.`);
    return { loaded: workspaceLoaded, source: 'workspace', location };
  }
  const config = parseConfigText(text, `${workspaceLoaded.path} (at ${baseCommit.slice(0, 12)})`);
  const changed = JSON.stringify(config) !== JSON.stringify(workspaceLoaded.config);
  if (changed) logger.warn(`This pull request changes ${relative}; the gate uses the config of the merge base ${baseCommit.slice(0, 12)}.`);
  return { loaded: { ...workspaceLoaded, config }, source: 'base', location };
}
