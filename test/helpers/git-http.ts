// A real git remote over HTTP on loopback: `git http-backend` (ships with git) run as a CGI per request.
// Pushes and fetches are real; every request's Authorization header is recorded; a token can be required.
import http from 'node:http';
import { spawn, execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface GitHttpRequest {
  method: string;
  url: string;
  authorization?: string;
}

export interface GitHttpServer {
  /** Base URL; a bare repo at `<root>/<name>.git` is `${url}/<name>.git`. */
  url: string;
  requests: GitHttpRequest[];
  close(): Promise<void>;
}

const backend = path.join(execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim(), 'git-http-backend');

/**
 * Serves the bare repositories under `projectRoot`. With `token`, every request must carry
 * `Authorization: basic base64(x-access-token:<token>)` (as GitHub accepts), else 401.
 */
export async function startGitHttp(projectRoot: string, options: { token?: string } = {}): Promise<GitHttpServer> {
  const requests: GitHttpRequest[] = [];
  const expected = options.token ? `basic ${Buffer.from(`x-access-token:${options.token}`).toString('base64')}` : undefined;
  const server = http.createServer((req, res) => {
    const authorization = req.headers.authorization;
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization });
    if (expected && authorization?.toLowerCase() !== expected.toLowerCase()) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="test"', 'content-type': 'text/plain' });
      res.end('authentication required\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const child = spawn(backend, [], {
      env: {
        PATH: process.env.PATH ?? '',
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: projectRoot,
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
        HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        // Enables receive-pack (pushes), as an authenticated user would on GitHub.
        REMOTE_USER: 'x-access-token',
        REMOTE_ADDR: '127.0.0.1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    req.pipe(child.stdin);
    let headerDone = false;
    let buffered = Buffer.alloc(0);
    child.stdout.on('data', (chunk: Buffer) => {
      if (headerDone) {
        res.write(chunk);
        return;
      }
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      const endLf = end < 0 ? buffered.indexOf('\n\n') : -1;
      if (end < 0 && endLf < 0) return;
      const cut = end >= 0 ? end : endLf;
      const sepLen = end >= 0 ? 4 : 2;
      const headerText = buffered.subarray(0, cut).toString('utf8');
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of headerText.split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i < 0) continue;
        const name = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]) || 200;
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      headerDone = true;
      res.write(buffered.subarray(cut + sepLen));
    });
    child.stderr.resume();
    child.on('close', () => {
      if (!headerDone) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
