import { afterEach, describe, expect, it } from 'vitest';
import { createGitHub } from '../../src/github/client.js';
import { listPullFiles } from '../../src/github/pulls.js';
import { startGitHubDouble, type GitHubDouble } from '../helpers/github-double.js';

let double: GitHubDouble;
afterEach(async () => {
  await double?.close();
});

function client(url: string) {
  return createGitHub({ token: 'ghs_test', baseUrl: url, timeUnitMs: 1 });
}

describe('GitHub client against the REST double', () => {
  it('retries a 5xx answer and then succeeds', async () => {
    double = await startGitHubDouble();
    double.fail('5xx', 2, { method: 'GET' });
    const { data } = await client(double.url).rest.repos.get({ owner: 'octo-org', repo: 'agent' });
    expect(data.default_branch).toBe('main');
    expect(double.requests.map((r) => r.status)).toEqual([502, 502, 200]);
    expect(double.violations).toEqual([]);
  });

  it('retries a 403 secondary rate limit honouring retry-after', async () => {
    double = await startGitHubDouble();
    double.addPull({ head: { ref: 'feature', sha: 'a'.repeat(40), repoFullName: 'octo-org/agent' }, base: { ref: 'main', sha: 'b'.repeat(40) } });
    double.fail('secondary-rate-limit', 1, { method: 'POST' });
    await client(double.url).rest.issues.createComment({ owner: 'octo-org', repo: 'agent', issue_number: 1, body: 'hello' });
    expect(double.requests.map((r) => r.status)).toEqual([403, 201]);
    expect(double.state.comments.map((c) => c.body)).toEqual(['hello']);
    expect(double.violations).toEqual([]);
  });

  it('gives up on rate limits after a bounded number of retries', async () => {
    double = await startGitHubDouble();
    double.fail('secondary-rate-limit', 10, { method: 'GET' });
    await expect(client(double.url).rest.repos.get({ owner: 'octo-org', repo: 'agent' })).rejects.toMatchObject({ status: 403 });
    expect(double.requests).toHaveLength(4);
  });

  it('pages through every file of a large pull request', async () => {
    double = await startGitHubDouble();
    const files = Array.from({ length: 250 }, (_, i) => `src/file-${i}.ts`);
    double.addPull({ head: { ref: 'feature', sha: 'a'.repeat(40), repoFullName: 'octo-org/agent' }, base: { ref: 'main', sha: 'b'.repeat(40) }, files });
    const listed = await listPullFiles(client(double.url), { owner: 'octo-org', repo: 'agent' }, 1);
    expect(listed).toEqual(files);
    expect(double.requests.filter((r) => r.operationId === 'pulls/list-files')).toHaveLength(3);
    expect(double.violations).toEqual([]);
  });

  it('the double rejects and records a request that breaks the OpenAPI description', async () => {
    double = await startGitHubDouble();
    const github = client(double.url);
    await expect(
      github.request('POST /repos/{owner}/{repo}/check-runs', {
        owner: 'octo-org',
        repo: 'agent',
        name: 'x',
        head_sha: 'a'.repeat(40),
        status: 'bogus' as 'queued',
      }),
    ).rejects.toMatchObject({ status: 422 });
    expect(double.violations).toHaveLength(1);
    expect(double.violations[0]).toMatch(/status/);
  });
});
