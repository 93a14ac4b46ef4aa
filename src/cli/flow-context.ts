// What `evolve` and `validate` share on the command line: config, state dir, model, logger, budget options.
import { loadConfig } from '../config/load.js';
import { resolveStateDir } from './context.js';
import type { LoadedConfig } from '../config/schema.js';
import type { ChatModel, Logger } from '../domain/types.js';
import { modelConfigured, modelSettings, OpenAIChatModel } from '../llm/openai.js';

export interface FlowContext {
  loaded: LoadedConfig;
  stateDir: string;
  logger: Logger;
}

export function flowContext(values: { config?: string; 'state-dir'?: string }): FlowContext {
  const loaded = loadConfig(values.config);
  const stateDir = resolveStateDir(loaded, values['state-dir']);
  const logger: Logger = {
    info: (message) => console.error(message),
    warn: (message) => console.error(`warning: ${message}`),
  };
  return { loaded, stateDir, logger };
}

/** The configured model, or undefined (offline) when none is configured or --no-model was given. */
export function flowModel(loaded: LoadedConfig, noModel: boolean, logger: Logger): ChatModel | undefined {
  if (noModel) return undefined;
  const settings = modelSettings(loaded.config);
  if (!modelConfigured(settings)) {
    logger.info(`No model endpoint configured (env ${loaded.config.model['api-key-env']} or model.base-url): offline mode, deterministic mining and the patterns proposer.`);
    return undefined;
  }
  return new OpenAIChatModel(settings);
}
