import { afterEach, describe, expect, it } from 'vitest';
import { createGitHub } from '../../src/github/client.js';
import { upsertPull } from '../../src/github/pulls.js';
import { commenterPermission } from '../../src/github/comments.js';
import { startGitHubDouble, type GitHubDouble } from '../helpers/github-double.js';

let double: GitHubDouble | undefined;
afterEach(async () => {
  if (!double) return;
  expect(double.violations).toEqual([]);
  await double.close();
  double = undefined;
});

const repo = { owner: 'octo-org', repo: 'agent' };
const spec = (body: string) => ({
  head: 'self-harness/main',
  base: 'main',
  title: 'self-harness: change',
  body,
  labels: ['self-harness', 'bot'],
  fullReportHint: 'Full report: https://run',
});

async function setup() {
  double = await startGitHubDouble({ permissions: { ada: 'admin', maya: 'maintain', wes: 'write', tria: 'triage', rita: 'read' } });
  return { github: createGitHub({ token: 't', baseUrl: double.url, timeUnitMs: 1 }), double };
}

describe('upsertPull', () => {
  it('creates once, then updates the same PR', async () => {
    const { github, double } = await setup();
    expect(await upsertPull(github, repo, spec('first'))).toMatchObject({ number: 1, operation: 'created' });
    expect(await upsertPull(github, repo, spec('second'))).toMatchObject({ number: 1, operation: 'updated' });
    expect(double.state.pulls).toHaveLength(1);
    expect(double.state.pulls[0]).toMatchObject({ body: 'second', labels: ['self-harness', 'bot'] });
  });

  it('finds and updates the PR when create answers 422 "already exists"', async () => {
    const { github, double } = await setup();
    double.fail('already-exists', 1, { method: 'POST', path: /\/pulls$/ });
    expect(await upsertPull(github, repo, spec('mine'))).toMatchObject({ number: 1, operation: 'updated' });
    expect(double.state.pulls).toHaveLength(1);
    expect(double.state.pulls[0]!.body).toBe('mine');
  });

  it('truncates a body over 65,536 characters at a line boundary with a link to the full report', async () => {
    const { github, double } = await setup();
    const body = ['## Report', '```diff', ...Array.from({ length: 5000 }, (_, i) => `+ line ${i} of a very long diff`), '```'].join('\n');
    await upsertPull(github, repo, spec(body));
    const stored = double.state.pulls[0]!.body!;
    expect(stored.length).toBeLessThan(65_536);
    expect(stored).toMatch(/```\n\n---\n> ✂️ The PR body was truncated .*Full report: https:\/\/run\n$/);
  });
});

describe('commenterPermission', () => {
  it('allows write, maintain and admin; refuses triage and read', async () => {
    const { github } = await setup();
    const results = await Promise.all(['ada', 'maya', 'wes', 'tria', 'rita'].map((u) => commenterPermission(github, repo, u)));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results.map((r) => r.level)).toEqual(['admin', 'maintain', 'write', 'triage', 'read']);
  });
});
