// A loopback GitHub REST double: serves a small repository state (PRs, check runs, comments, reactions, permissions,
// labels, PR files) and checks EVERY request against GitHub's official OpenAPI description (the subset in
// test/fixtures/github/openapi-subset.json, extracted by scripts/extract-openapi.ts). An invalid request gets a 422
// and is recorded as a violation; tests assert there are none. Faults (5xx, secondary rate limit, "already exists")
// can be injected for the next N matching requests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkRequest } from '../github/openapi-check.js';

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface DoublePull {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  head: { ref: string; sha: string; repoFullName: string };
  base: { ref: string; sha: string };
  labels: string[];
  files: string[];
  user: string;
  /** Reviewers and team slugs requested on the PR. */
  requestedReviewers?: string[];
  requestedTeams?: string[];
}

export interface DoubleCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  details_url?: string;
  output: { title?: string; summary?: string; text?: string };
  annotations: any[];
  /** Requests that touched it (create + updates). */
  writes: number;
}

export interface DoubleComment {
  id: number;
  issue_number: number;
  body: string;
  user: string;
}

export interface RecordedApiRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: any;
  operationId?: string;
  status: number;
  authorization?: string;
}

export type FaultKind = '5xx' | 'secondary-rate-limit' | 'already-exists' | 'forbidden';

interface Fault {
  kind: FaultKind;
  remaining: number;
  method?: string;
  path?: RegExp;
}

export interface DoubleState {
  owner: string;
  repo: string;
  defaultBranch: string;
  pulls: DoublePull[];
  checkRuns: DoubleCheckRun[];
  comments: DoubleComment[];
  reactions: { commentId: number; content: string }[];
  permissions: Record<string, Permission>;
}

export interface GitHubDouble {
  url: string;
  state: DoubleState;
  requests: RecordedApiRequest[];
  violations: string[];
  /** The next `times` requests matching (method, path regex) fail with `kind`. */
  fail(kind: FaultKind, times: number, match?: { method?: string; path?: RegExp }): void;
  /** Called before each request is handled (after validation); may change the state (e.g. move a PR head). */
  onRequest?: (request: RecordedApiRequest, state: DoubleState) => void;
  addPull(pull: Partial<DoublePull> & { head: DoublePull['head']; base: DoublePull['base'] }): DoublePull;
  addComment(comment: Omit<DoubleComment, 'id'> & { id?: number }): DoubleComment;
  close(): Promise<void>;
}

export interface DoubleOptions {
  owner?: string;
  repo?: string;
  defaultBranch?: string;
  permissions?: Record<string, Permission>;
  /** Resolves a branch of the repository to its tip SHA (e.g. from the bare remote); undefined = no such branch. */
  resolveBranch?: (branch: string) => string | undefined;
}

const PR_BODY_MAX = 65_536;
const CHECK_TEXT_MAX_BYTES = 65_535;

export async function startGitHubDouble(options: DoubleOptions = {}): Promise<GitHubDouble> {
  const state: DoubleState = {
    owner: options.owner ?? 'octo-org',
    repo: options.repo ?? 'agent',
    defaultBranch: options.defaultBranch ?? 'main',
    pulls: [],
    checkRuns: [],
    comments: [],
    reactions: [],
    permissions: { ...(options.permissions ?? {}) },
  };
  const requests: RecordedApiRequest[] = [];
  const violations: string[] = [];
  const faults: Fault[] = [];
  let nextId = 1000;
  let baseUrl = '';

  const fullName = () => `${state.owner}/${state.repo}`;
  const pullJson = (pull: DoublePull) => ({
    id: pull.number + 500_000,
    number: pull.number,
    url: `${baseUrl}/repos/${fullName()}/pulls/${pull.number}`,
    html_url: `https://github.test/${fullName()}/pull/${pull.number}`,
    state: pull.state,
    title: pull.title,
    body: pull.body,
    user: { login: pull.user },
    labels: pull.labels.map((name) => ({ name })),
    head: {
      ref: pull.head.ref,
      sha: pull.head.sha,
      label: `${pull.head.repoFullName.split('/')[0]}:${pull.head.ref}`,
      repo: { full_name: pull.head.repoFullName },
    },
    base: { ref: pull.base.ref, sha: pull.base.sha, label: `${state.owner}:${pull.base.ref}`, repo: { full_name: fullName() } },
  });
  const checkJson = (run: DoubleCheckRun) => ({
    id: run.id,
    name: run.name,
    head_sha: run.head_sha,
    status: run.status,
    conclusion: run.conclusion,
    html_url: `https://github.test/${fullName()}/runs/${run.id}`,
    details_url: run.details_url ?? null,
    output: { ...run.output, annotations_count: run.annotations.length },
  });

  const double: GitHubDouble = {
    url: '',
    state,
    requests,
    violations,
    fail(kind, times, match = {}) {
      faults.push({ kind, remaining: times, ...match });
    },
    addPull(partial) {
      const pull: DoublePull = {
        number: partial.number ?? state.pulls.length + 1,
        title: partial.title ?? 'A pull request',
        body: partial.body ?? '',
        state: partial.state ?? 'open',
        head: partial.head,
        base: partial.base,
        labels: partial.labels ?? [],
        files: partial.files ?? [],
        user: partial.user ?? 'contributor',
      };
      state.pulls.push(pull);
      return pull;
    },
    addComment(comment) {
      const stored = { id: comment.id ?? nextId++, issue_number: comment.issue_number, body: comment.body, user: comment.user };
      state.comments.push(stored);
      return stored;
    },
    close: async () => {},
  };

  function send(res: http.ServerResponse, record: RecordedApiRequest, status: number, body: unknown, headers: Record<string, string> = {}) {
    record.status = status;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-remaining': '4999', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  }

  function violation(res: http.ServerResponse, record: RecordedApiRequest, message: string) {
    violations.push(`${record.method} ${record.path}: ${message}`);
    send(res, record, 422, { message: 'Validation Failed', errors: [{ message }], documentation_url: 'https://docs.github.test/rest' });
  }

  function paginate<T>(res: http.ServerResponse, record: RecordedApiRequest, items: T[]) {
    const perPage = Math.min(Number(record.query.per_page ?? 30) || 30, 100);
    const page = Math.max(Number(record.query.page ?? 1) || 1, 1);
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < items.length) {
      const next = new URL(`${baseUrl}${record.path}`);
      for (const [k, v] of Object.entries(record.query)) next.searchParams.set(k, v);
      next.searchParams.set('page', String(page + 1));
      next.searchParams.set('per_page', String(perPage));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    send(res, record, 200, slice, headers);
  }

  function handle(res: http.ServerResponse, record: RecordedApiRequest, operationId: string, p: Record<string, string>) {
    const body = record.body ?? {};
    if (p.owner !== state.owner || p.repo !== state.repo) return send(res, record, 404, { message: 'Not Found' });
    switch (operationId) {
      case 'repos/get':
        return send(res, record, 200, {
          id: 1,
          name: state.repo,
          full_name: fullName(),
          default_branch: state.defaultBranch,
          owner: { login: state.owner },
          private: false,
        });
      case 'repos/get-collaborator-permission-level': {
        const level = state.permissions[p.username!] ?? 'read';
        const legacy = level === 'maintain' ? 'write' : level === 'triage' ? 'read' : level;
        return send(res, record, 200, { permission: legacy, role_name: level, user: { login: p.username } });
      }
      case 'pulls/list': {
        let pulls = state.pulls.filter((pull) => (record.query.state ?? 'open') === 'all' || pull.state === (record.query.state ?? 'open'));
        if (record.query.head) {
          const [owner, ref] = record.query.head.split(':');
          pulls = pulls.filter((pull) => pull.head.ref === ref && pull.head.repoFullName.split('/')[0] === owner);
        }
        if (record.query.base) pulls = pulls.filter((pull) => pull.base.ref === record.query.base);
        return paginate(res, record, pulls.map(pullJson));
      }
      case 'pulls/get': {
        const pull = state.pulls.find((x) => x.number === Number(p.pull_number));
        return pull ? send(res, record, 200, pullJson(pull)) : send(res, record, 404, { message: 'Not Found' });
      }
      case 'pulls/create': {
        if (typeof body.body === 'string' && body.body.length > PR_BODY_MAX)
          return violation(res, record, `body is too long (maximum is ${PR_BODY_MAX} characters)`);
        const headSha = options.resolveBranch ? options.resolveBranch(body.head) : 'f'.repeat(40);
        if (!headSha) return violation(res, record, `head "${body.head}" is not a branch of ${fullName()}`);
        if (body.head === body.base) return violation(res, record, 'head and base are the same branch');
        const existing = state.pulls.find((x) => x.state === 'open' && x.head.ref === body.head && x.base.ref === body.base);
        if (existing) {
          return send(res, record, 422, {
            message: 'Validation Failed',
            errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${state.owner}:${body.head}.` }],
          });
        }
        const baseSha = options.resolveBranch?.(body.base) ?? 'e'.repeat(40);
        const pull = double.addPull({
          title: body.title,
          body: body.body ?? null,
          head: { ref: body.head, sha: headSha, repoFullName: fullName() },
          base: { ref: body.base, sha: baseSha },
          user: 'github-actions[bot]',
        });
        return send(res, record, 201, pullJson(pull));
      }
      case 'pulls/update': {
        const pull = state.pulls.find((x) => x.number === Number(p.pull_number));
        if (!pull) return send(res, record, 404, { message: 'Not Found' });
        if (typeof body.body === 'string' && body.body.length > PR_BODY_MAX)
          return violation(res, record, `body is too long (maximum is ${PR_BODY_MAX} characters)`);
        if (body.title !== undefined) pull.title = body.title;
        if (body.body !== undefined) pull.body = body.body;
        if (body.state !== undefined) pull.state = body.state;
        const tip = options.resolveBranch?.(pull.head.ref);
        if (tip) pull.head.sha = tip;
        return send(res, record, 200, pullJson(pull));
      }
      case 'pulls/list-files': {
        const pull = state.pulls.find((x) => x.number === Number(p.pull_number));
        if (!pull) return send(res, record, 404, { message: 'Not Found' });
        return paginate(
          res,
          record,
          pull.files.map((filename, i) => ({ sha: String(i).padStart(40, '0'), filename, status: 'modified', additions: 1, deletions: 0, changes: 1 })),
        );
      }
      case 'pulls/request-reviewers': {
        const pull = state.pulls.find((x) => x.number === Number(p.pull_number));
        if (!pull) return send(res, record, 404, { message: 'Not Found' });
        const reviewers: string[] = body.reviewers ?? [];
        if (reviewers.includes(pull.user)) return send(res, record, 422, { message: 'Review cannot be requested from pull request author.' });
        pull.requestedReviewers = [...new Set([...(pull.requestedReviewers ?? []), ...reviewers])];
        pull.requestedTeams = [...new Set([...(pull.requestedTeams ?? []), ...(body.team_reviewers ?? [])])];
        return send(res, record, 201, {
          ...pullJson(pull),
          requested_reviewers: pull.requestedReviewers.map((login) => ({ login })),
          requested_teams: pull.requestedTeams.map((slug) => ({ slug })),
        });
      }
      case 'issues/add-labels': {
        const pull = state.pulls.find((x) => x.number === Number(p.issue_number));
        if (!pull) return send(res, record, 404, { message: 'Not Found' });
        const names: string[] = (Array.isArray(body) ? body : (body.labels ?? [])).map((l: any) => (typeof l === 'string' ? l : l.name));
        for (const name of names) if (!pull.labels.includes(name)) pull.labels.push(name);
        return send(
          res,
          record,
          200,
          pull.labels.map((name) => ({ name })),
        );
      }
      case 'issues/create-comment': {
        if (!state.pulls.some((x) => x.number === Number(p.issue_number))) return send(res, record, 404, { message: 'Not Found' });
        if (body.body.length > PR_BODY_MAX) return violation(res, record, `comment body is too long (maximum is ${PR_BODY_MAX} characters)`);
        const comment = double.addComment({ issue_number: Number(p.issue_number), body: body.body, user: 'github-actions[bot]' });
        return send(res, record, 201, {
          id: comment.id,
          body: comment.body,
          user: { login: comment.user },
          html_url: `https://github.test/${fullName()}/pull/${p.issue_number}#issuecomment-${comment.id}`,
        });
      }
      case 'reactions/create-for-issue-comment': {
        if (!state.comments.some((c) => c.id === Number(p.comment_id))) return send(res, record, 404, { message: 'Not Found' });
        state.reactions.push({ commentId: Number(p.comment_id), content: body.content });
        return send(res, record, 201, { id: nextId++, content: body.content });
      }
      case 'checks/create':
      case 'checks/update': {
        const output = body.output ?? {};
        for (const field of ['summary', 'text'] as const) {
          if (typeof output[field] === 'string' && Buffer.byteLength(output[field], 'utf8') > CHECK_TEXT_MAX_BYTES) {
            return violation(res, record, `output.${field} is ${Buffer.byteLength(output[field], 'utf8')} bytes; the maximum is ${CHECK_TEXT_MAX_BYTES}`);
          }
        }
        if ((body.status === 'completed' || body.completed_at) && !body.conclusion)
          return violation(res, record, 'conclusion is required when status is completed');
        let run: DoubleCheckRun | undefined;
        if (operationId === 'checks/create') {
          if (!/^[0-9a-f]{40}$/.test(body.head_sha)) return violation(res, record, `head_sha ${JSON.stringify(body.head_sha)} is not a commit SHA`);
          run = {
            id: nextId++,
            name: body.name,
            head_sha: body.head_sha,
            status: body.status ?? 'queued',
            conclusion: null,
            output: {},
            annotations: [],
            writes: 0,
          };
          state.checkRuns.push(run);
        } else {
          run = state.checkRuns.find((x) => x.id === Number(p.check_run_id));
          if (!run) return send(res, record, 404, { message: 'Not Found' });
        }
        run.writes += 1;
        if (body.status) run.status = body.status;
        if (body.conclusion) {
          run.conclusion = body.conclusion;
          run.status = 'completed';
        }
        if (body.details_url) run.details_url = body.details_url;
        if (body.output) {
          const { annotations = [], ...rest } = body.output;
          run.output = { ...run.output, ...rest };
          run.annotations.push(...annotations);
        }
        return send(res, record, operationId === 'checks/create' ? 201 : 200, checkJson(run));
      }
      case 'checks/list-for-ref': {
        // Newest first, as GitHub lists them; `ref` is a SHA here (the action never lists by branch name).
        let runs = state.checkRuns.filter((run) => run.head_sha === p.ref).reverse();
        if (record.query.check_name) runs = runs.filter((run) => run.name === record.query.check_name);
        if (record.query.status) runs = runs.filter((run) => run.status === record.query.status);
        const perPage = Math.min(Number(record.query.per_page ?? 30) || 30, 100);
        return send(res, record, 200, { total_count: runs.length, check_runs: runs.slice(0, perPage).map(checkJson) });
      }
      default:
        return violation(res, record, `no handler for ${operationId}`);
    }
  }

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: RecordedApiRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      status: 0,
      authorization: req.headers.authorization,
    };
    requests.push(record);
    if (raw) {
      try {
        record.body = JSON.parse(raw);
      } catch {
        return violation(res, record, 'request body is not JSON');
      }
    }
    if (!/^(token|bearer) \S+$/i.test(req.headers.authorization ?? '')) {
      violations.push(`${record.method} ${record.path}: no token in the Authorization header`);
      return send(res, record, 401, { message: 'Requires authentication' });
    }
    const checked = checkRequest(record.method, record.path, record.query, record.body);
    if (checked.operationId) record.operationId = checked.operationId;
    if ('problem' in checked) return violation(res, record, checked.problem);
    const pathParams = checked.pathParams;

    const fault = faults.find((f) => f.remaining > 0 && (!f.method || f.method === record.method) && (!f.path || f.path.test(record.path)));
    if (fault) {
      fault.remaining -= 1;
      if (fault.kind === '5xx') return send(res, record, 502, { message: 'Server Error' });
      if (fault.kind === 'forbidden') {
        // What a read-only token (fork PR under pull_request) gets for a write.
        return send(res, record, 403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.test/rest', status: '403' });
      }
      if (fault.kind === 'secondary-rate-limit') {
        return send(
          res,
          record,
          403,
          {
            message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
            documentation_url: 'https://docs.github.test/rest/overview/rate-limits',
          },
          { 'retry-after': '1' },
        );
      }
      if (fault.kind === 'already-exists' && record.operationId === 'pulls/create') {
        // A concurrent run opened the same PR between our lookup and our create.
        const headSha = options.resolveBranch?.(record.body.head) ?? 'f'.repeat(40);
        double.addPull({
          title: record.body.title,
          body: 'opened by a concurrent run',
          head: { ref: record.body.head, sha: headSha, repoFullName: fullName() },
          base: { ref: record.body.base, sha: 'e'.repeat(40) },
          user: 'github-actions[bot]',
        });
        return send(res, record, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${state.owner}:${record.body.head}.` }],
        });
      }
    }
    double.onRequest?.(record, state);
    handle(res, record, checked.operationId, pathParams);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  double.url = baseUrl;
  double.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return double;
}
