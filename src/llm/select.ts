// The one model selection: which model a command or job uses (config, env, then explicit overrides), or why it runs
// offline. The model it returns is sealed against the suite's held-out split: there is no way to get an unguarded one.
import type { LoadedConfig } from '../config/schema.js';
import type { ChatModel, Suite } from '../domain/types.js';
import { discoverSuite } from '../harness/suite.js';
import { modelConfigured, modelSettings, OpenAIChatModel, type ModelSettings } from './openai.js';
import { sealSuite } from './seal.js';

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
  /** The suite whose held-out split the model is sealed against (default: the config's suite, discovered). */
  suite?: Suite;
}

export async function selectModel(loaded: LoadedConfig, options: SelectModelOptions = {}): Promise<ModelSelection> {
  const config = loaded.config;
  const base = modelSettings(config, options.env ?? process.env);
  const o = options.overrides ?? {};
  const settings: ModelSettings = { ...base, name: o.name ?? base.name, baseUrl: o.baseUrl ?? base.baseUrl, apiKey: o.apiKey ?? base.apiKey };
  if (options.disabledBecause) return { settings, offlineReason: options.disabledBecause };
  if (!modelConfigured(settings)) {
    const how = options.howToConfigure ?? `env ${config.model['api-key-env']} or model.base-url`;
    return { settings, offlineReason: `no model endpoint configured (${how})` };
  }
  const sealed = await sealSuite(options.suite ?? (await discoverSuite(loaded)), { withText: true });
  return { model: new OpenAIChatModel(settings, sealed), settings, offlineReason: '' };
}
