// The model adapter: any OpenAI-compatible chat-completions endpoint behind the core's ChatModel. It is built only
// with the sealed held-out split, and every request it sends passes the held-out guard and redaction first.
import OpenAI from 'openai';
import type { ChatModel, ChatReply, ChatRequest, Usage } from '../domain/types.js';
import { UserError } from '../domain/types.js';
import { accumulateUsage, zeroUsage } from '../domain/usage.js';
import type { Config } from '../config/schema.js';
import { checkRequest, markSelfGuarded, type SealedHoldout } from './guard.js';
import { createRedactor, redactDeep } from './redact.js';

export interface ModelSettings {
  name: string;
  baseUrl?: string;
  apiKey?: string;
  inputUsdPerMtok: number;
  outputUsdPerMtok: number;
  temperature: number;
  maxRetries: number;
}

/** Settings from the config's `model` section; the key comes from the env var it names, never from the file. */
export function modelSettings(config: Config, env: NodeJS.ProcessEnv = process.env): ModelSettings {
  const m = config.model;
  return {
    name: env.SELF_HARNESS_MODEL || m.name,
    baseUrl: env.SELF_HARNESS_MODEL_BASE_URL || m['base-url'] || env.OPENAI_BASE_URL,
    apiKey: env[m['api-key-env']] || undefined,
    inputUsdPerMtok: m['input-usd-per-mtok'],
    outputUsdPerMtok: m['output-usd-per-mtok'],
    temperature: m.temperature,
    maxRetries: m['max-retries'],
  };
}

/** True when a model endpoint is configured (a key or an explicit base URL). */
export function modelConfigured(settings: ModelSettings): boolean {
  return Boolean(settings.apiKey || settings.baseUrl);
}

export function costOf(usage: Usage, settings: Pick<ModelSettings, 'inputUsdPerMtok' | 'outputUsdPerMtok'>): number {
  return ((usage.inputTokens ?? 0) * settings.inputUsdPerMtok + (usage.outputTokens ?? 0) * settings.outputUsdPerMtok) / 1e6;
}

/**
 * The only code that sends a request to a model endpoint. It cannot be built without the sealed held-out split: each
 * request is checked against it (HeldOutLeakError, nothing sent) and redacted (pattern rules, secret env values and
 * this endpoint's own key) before it leaves the machine.
 */
export class OpenAIChatModel implements ChatModel {
  readonly name: string;
  private readonly client: OpenAI;
  private readonly redactKey: (text: string) => string;
  /** Running totals over every call made through this adapter. */
  readonly total = zeroUsage();
  calls = 0;

  constructor(
    private readonly settings: ModelSettings,
    private readonly sealed: SealedHoldout,
  ) {
    if (!modelConfigured(settings)) {
      throw new UserError(
        'No model endpoint configured: set the env var named by model.api-key-env (default OPENAI_API_KEY) or model.base-url, or run with --no-model.',
      );
    }
    this.name = settings.name;
    this.client = new OpenAI({
      apiKey: settings.apiKey ?? 'not-needed',
      baseURL: settings.baseUrl,
      maxRetries: settings.maxRetries,
      timeout: 120_000,
    });
    this.redactKey = createRedactor(settings.apiKey ? [settings.apiKey] : []);
    markSelfGuarded(this, sealed);
  }

  async complete(request: ChatRequest): Promise<ChatReply> {
    checkRequest(request, this.sealed);
    const messages = await Promise.all(request.messages.map(async (message) => ({ ...message, content: this.redactKey(await redactDeep(message.content)) })));
    const response = await this.client.chat.completions.create({
      model: this.settings.name,
      messages,
      temperature: request.temperature ?? this.settings.temperature,
      max_tokens: request.maxTokens,
      ...(request.json ? { response_format: { type: 'json_object' as const } } : {}),
    });
    const text = response.choices[0]?.message?.content ?? '';
    const usage: Usage = {
      inputTokens: response.usage?.prompt_tokens ?? 0,
      outputTokens: response.usage?.completion_tokens ?? 0,
    };
    usage.costUsd = costOf(usage, this.settings);
    this.calls += 1;
    accumulateUsage(this.total, usage);
    return { text, usage };
  }
}
