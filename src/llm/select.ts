// The one model selection: which model a command or job uses (config, env, then explicit overrides), or why it runs offline.
import type { Config } from '../config/schema.js';
import type { ChatModel } from '../domain/types.js';
import { modelConfigured, modelSettings, OpenAIChatModel, type ModelSettings } from './openai.js';

/** Values that beat the config and env (action inputs); unset fields keep the configured value. */
export interface ModelOverrides {
  name?: string;
  baseUrl?: string;
  apiKey?: string;
}

export interface ModelSelection {
  /** The model, or undefined: offline (deterministic mining, the patterns proposer). */
  model?: ChatModel;
  /** The resolved settings, also when offline: their key belongs in the run's secrets whenever it is set. */
  settings: ModelSettings;
  /** Why no model is used, for one log line; empty when a model is. */
  offlineReason: string;
}

export interface SelectModelOptions {
  env?: NodeJS.ProcessEnv;
  overrides?: ModelOverrides;
  /** Set when the caller turned the model off (e.g. `--no-model`): the reason shown. */
  disabledBecause?: string;
  /** How a user configures an endpoint, named in the offline reason (default: the config's key env var or model.base-url). */
  howToConfigure?: string;
}

export function selectModel(config: Config, options: SelectModelOptions = {}): ModelSelection {
  const base = modelSettings(config, options.env ?? process.env);
  const o = options.overrides ?? {};
  const settings: ModelSettings = { ...base, name: o.name ?? base.name, baseUrl: o.baseUrl ?? base.baseUrl, apiKey: o.apiKey ?? base.apiKey };
  if (options.disabledBecause) return { settings, offlineReason: options.disabledBecause };
  if (!modelConfigured(settings)) {
    const how = options.howToConfigure ?? `env ${config.model['api-key-env']} or model.base-url`;
    return { settings, offlineReason: `no model endpoint configured (${how})` };
  }
  return { model: new OpenAIChatModel(settings), settings, offlineReason: '' };
}
