// The one model selection: config, then env, then explicit overrides; offline with a reason when no endpoint is set.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import type { LoadedConfig } from '../../src/config/schema.js';
import { HeldOutLeakError } from '../../src/llm/guard.js';
import { selectModel } from '../../src/llm/select.js';
import { startModelServer, type ModelServer } from '../helpers/model-server.js';

let root: string;
let config: LoadedConfig;
let server: ModelServer;
beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'select-model-'));
  for (const id of ['t01', 't02', 'secret-task']) {
    mkdirSync(path.join(root, 'tasks', id), { recursive: true });
    writeFileSync(path.join(root, 'tasks', id, 'instruction.md'), `Task ${id}: make the widget counter ${id} pass.\n`);
  }
  const configPath = path.join(root, '.self-harness.yml');
  config = {
    path: configPath,
    root,
    config: parseConfigText(
      `harness:
  include: [agent/**]
suite:
  tasks: tasks/*
  run: node agent/run.js
  holdout-tasks: [secret-task]
model:
  name: configured-model
  api-key-env: TEST_MODEL_KEY
`,
      configPath,
    ),
  };
  server = await startModelServer(() => ({ content: 'ok', usage: { prompt_tokens: 3, completion_tokens: 1 } }));
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('selectModel', () => {
  it('is offline, naming the key env var, when no key or base URL is set', async () => {
    const selection = await selectModel(config, { env: {} });
    expect(selection.model).toBeUndefined();
    expect(selection.offlineReason).toBe('no model endpoint configured (env TEST_MODEL_KEY or model.base-url)');
  });

  it('is offline for the reason the caller gives when the caller turned the model off, even with a key', async () => {
    const selection = await selectModel(config, { env: { TEST_MODEL_KEY: 'sk-abcdefabcdef' }, disabledBecause: '--no-model' });
    expect(selection.model).toBeUndefined();
    expect(selection.offlineReason).toBe('--no-model');
    expect(selection.settings.apiKey).toBe('sk-abcdefabcdef');
  });

  it('names how to configure as the caller says (the action names its inputs)', async () => {
    expect((await selectModel(config, { env: {}, howToConfigure: 'model-api-key / model-base-url' })).offlineReason).toBe(
      'no model endpoint configured (model-api-key / model-base-url)',
    );
  });

  it('lets overrides beat the config and env, and calls the endpoint they name with the key they give', async () => {
    const env = { TEST_MODEL_KEY: 'sk-from-env-000000', SELF_HARNESS_MODEL: 'env-model' };
    const selection = await selectModel(config, { env, overrides: { name: 'input-model', baseUrl: server.url, apiKey: 'sk-from-input-0000' } });
    expect(selection.settings).toMatchObject({ name: 'input-model', baseUrl: server.url, apiKey: 'sk-from-input-0000' });
    const reply = await selection.model!.complete({ messages: [{ role: 'user', content: 'hi' }] });
    expect(reply.text).toBe('ok');
    const request = server.requests.at(-1)!;
    expect(request.body.model).toBe('input-model');
    expect(request.headers.authorization).toBe('Bearer sk-from-input-0000');
  });

  it('keeps the env and config values an override leaves unset', async () => {
    const selection = await selectModel(config, { env: { TEST_MODEL_KEY: 'sk-from-env-000000', SELF_HARNESS_MODEL: 'env-model' }, overrides: {} });
    expect(selection.settings).toMatchObject({ name: 'env-model', apiKey: 'sk-from-env-000000' });
    expect(selection.model?.name).toBe('env-model');
  });

  it('returns a model sealed against the suite: a request naming a held-out id or its text is refused and never sent', async () => {
    const selection = await selectModel(config, { env: {}, overrides: { baseUrl: server.url, apiKey: 'sk-sealed-key-000000' } });
    const before = server.requests.length;
    await expect(selection.model!.complete({ messages: [{ role: 'user', content: 'look at secret-task again' }] })).rejects.toBeInstanceOf(HeldOutLeakError);
    await expect(
      selection.model!.complete({ messages: [{ role: 'user', content: 'quoted: Task secret-task: make the widget counter secret-task pass.' }] }),
    ).rejects.toThrow(/held-out/);
    expect(server.requests.length).toBe(before);
    await selection.model!.complete({ messages: [{ role: 'user', content: 't01 failed; key sk-sealed-key-000000 and password hunter2-x' }] });
    const sent = server.requests.at(-1)!.raw;
    expect(sent).toContain('t01 failed');
    expect(sent).not.toContain('sk-sealed-key-000000');
    expect(sent).not.toContain('hunter2-x');
  });
});
