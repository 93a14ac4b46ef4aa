// The one model selection: config, then env, then explicit overrides; offline with a reason when no endpoint is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { selectModel } from '../../src/llm/select.js';
import { startModelServer, type ModelServer } from '../helpers/model-server.js';

const config = parseConfigText(
  `harness:
  include: [agent/**]
suite:
  tasks: tasks/*
  run: node agent/run.js
model:
  name: configured-model
  api-key-env: TEST_MODEL_KEY
`,
  '/tmp/.self-harness.yml',
);

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer(() => ({ content: 'ok', usage: { prompt_tokens: 3, completion_tokens: 1 } }));
});
afterAll(() => server.close());

describe('selectModel', () => {
  it('is offline, naming the key env var, when no key or base URL is set', () => {
    const selection = selectModel(config, { env: {} });
    expect(selection.model).toBeUndefined();
    expect(selection.offlineReason).toBe('no model endpoint configured (env TEST_MODEL_KEY or model.base-url)');
  });

  it('is offline for the reason the caller gives when the caller turned the model off, even with a key', () => {
    const selection = selectModel(config, { env: { TEST_MODEL_KEY: 'sk-abcdefabcdef' }, disabledBecause: '--no-model' });
    expect(selection.model).toBeUndefined();
    expect(selection.offlineReason).toBe('--no-model');
    expect(selection.settings.apiKey).toBe('sk-abcdefabcdef');
  });

  it('names how to configure as the caller says (the action names its inputs)', () => {
    expect(selectModel(config, { env: {}, howToConfigure: 'model-api-key / model-base-url' }).offlineReason).toBe(
      'no model endpoint configured (model-api-key / model-base-url)',
    );
  });

  it('lets overrides beat the config and env, and calls the endpoint they name with the key they give', async () => {
    const env = { TEST_MODEL_KEY: 'sk-from-env-000000', SELF_HARNESS_MODEL: 'env-model' };
    const selection = selectModel(config, { env, overrides: { name: 'input-model', baseUrl: server.url, apiKey: 'sk-from-input-0000' } });
    expect(selection.settings).toMatchObject({ name: 'input-model', baseUrl: server.url, apiKey: 'sk-from-input-0000' });
    const reply = await selection.model!.complete({ messages: [{ role: 'user', content: 'hi' }] });
    expect(reply.text).toBe('ok');
    const request = server.requests.at(-1)!;
    expect(request.body.model).toBe('input-model');
    expect(request.headers.authorization).toBe('Bearer sk-from-input-0000');
  });

  it('keeps the env and config values an override leaves unset', () => {
    const selection = selectModel(config, { env: { TEST_MODEL_KEY: 'sk-from-env-000000', SELF_HARNESS_MODEL: 'env-model' }, overrides: {} });
    expect(selection.settings).toMatchObject({ name: 'env-model', apiKey: 'sk-from-env-000000' });
    expect(selection.model?.name).toBe('env-model');
  });
});
