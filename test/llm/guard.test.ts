// The held-out guard: every outgoing request is checked, and one naming the sealed split is never sent.
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIChatModel } from '../../src/llm/openai.js';
import { checkRequest, findHeldOut, guardModel, HeldOutLeakError, sealHoldout } from '../../src/llm/guard.js';
import { startModelServer, type ModelServer } from '../helpers/model-server.js';

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const sealed = sealHoldout(
  ['fix-parser', 't05'],
  ['Repair the tokenizer so that nested brackets parse.\nWrite the answer to /app/output.txt\n'],
  ['Write the answer to /app/output.txt\n'],
);

describe('findHeldOut', () => {
  it.each([
    ['the task fix-parser failed twice', 'held-out task id "fix-parser"'],
    ['see tasks/t05/instruction.md', 'held-out task id "t05"'],
    ['T05 again', 'held-out task id "T05"'],
    ['evidence: repair   the tokenizer so that NESTED brackets parse.', 'text of a held-out task'],
  ])('finds %j', (text, found) => {
    expect(findHeldOut(text, sealed)).toContain(found);
  });

  it.each([
    'the task fix-parser-v2 is a train task',
    'prefix-fix-parser is another id',
    't055 and t5 and at05 are other ids',
    'Write the answer to /app/output.txt (boilerplate every train task shares)',
  ])('leaves %j alone', (text) => {
    expect(findHeldOut(text, sealed)).toBeUndefined();
  });
});

describe('guardModel', () => {
  it('refuses a request naming a held-out id before it leaves the machine, and says where', async () => {
    server = await startModelServer(() => ({ content: 'ok' }));
    const model = new OpenAIChatModel(
      { name: 'm', baseUrl: server.url, apiKey: 'k', inputUsdPerMtok: 0, outputUsdPerMtok: 0, temperature: 0, maxRetries: 0 },
      sealHoldout([], []),
    );
    const guarded = guardModel(model, sealed);
    const leak = guarded.complete({
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'harness file notes.md: never solve t05 like this' },
      ],
    });
    await expect(leak).rejects.toBeInstanceOf(HeldOutLeakError);
    await expect(leak).rejects.toThrow(/message 2 \(user\) contains held-out task id "t05"; the held-out split is sealed/);
    expect(server.requests).toHaveLength(0);
    await expect(guarded.complete({ messages: [{ role: 'user', content: 'train task t01 failed' }] })).resolves.toMatchObject({ text: 'ok' });
    expect(server.requests).toHaveLength(1);
  });

  it('leaves a transport sealed against the same split as it is: each request is checked and redacted once', async () => {
    server = await startModelServer(() => ({ content: 'ok' }));
    const settings = { name: 'm', baseUrl: server.url, apiKey: 'k', inputUsdPerMtok: 0, outputUsdPerMtok: 0, temperature: 0, maxRetries: 0 };
    const model = new OpenAIChatModel(settings, sealed);
    expect(guardModel(model, sealed)).toBe(model);
    expect(guardModel(model, sealHoldout(['t05'], []))).toBe(model);
    // The transport refuses on its own: nothing is sent.
    await expect(model.complete({ messages: [{ role: 'user', content: 'never solve t05 like this' }] })).rejects.toBeInstanceOf(HeldOutLeakError);
    expect(server.requests).toHaveLength(0);
    // A wider sealed set, or another redaction, still gets its own guard.
    expect(guardModel(model, sealHoldout(['t05', 'other-held-out'], []))).not.toBe(model);
    expect(guardModel(model, sealed, (text) => text)).not.toBe(model);
  });

  it('checks every message, the system prompt included', () => {
    expect(() => checkRequest({ messages: [{ role: 'system', content: 'fix-parser' }] }, sealed)).toThrow(/message 1 \(system\)/);
  });
});
