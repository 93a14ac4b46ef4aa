// A loopback OpenAI-compatible server for tests: records every request and answers with a scripted reply.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: any;
  raw: string;
}

/** Returns the chat-completions `message` object (content and/or tool_calls), or a full response body via `{ raw }`. */
export type ModelScript = (
  body: any,
  index: number,
) =>
  | { content?: string | null; tool_calls?: unknown[]; usage?: { prompt_tokens: number; completion_tokens: number } }
  | { status: number; error: string }
  | Promise<any>;

export interface ModelServer {
  url: string; // base URL ending in /v1
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startModelServer(script: ModelScript): Promise<ModelServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = null;
    }
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, raw });
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const reply = await script(body, requests.length - 1);
    if (reply && typeof reply.status === 'number') {
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: reply.error, type: 'server_error' } }));
      return;
    }
    const message = { role: 'assistant', content: reply.content ?? null, ...(reply.tool_calls ? { tool_calls: reply.tool_calls } : {}) };
    const usage = reply.usage ?? { prompt_tokens: Math.ceil(raw.length / 4), completion_tokens: Math.ceil(JSON.stringify(message).length / 4) };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body?.model ?? 'test-model',
        choices: [{ index: 0, message, finish_reason: reply.tool_calls ? 'tool_calls' : 'stop' }],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
