// Everything posted to GitHub is redacted first: the PR title and body, the check run's title, summary and
// annotations, and comment replies, as the GitHub REST double receives them.
import { afterEach, describe, expect, it } from 'vitest';
import { createGitHub } from '../../src/github/client.js';
import { completeCheckRun, startCheckRun } from '../../src/github/check-run.js';
import { reply } from '../../src/github/comments.js';
import { upsertPull } from '../../src/github/pulls.js';
import { startGitHubDouble, type GitHubDouble } from '../helpers/github-double.js';

let double: GitHubDouble | undefined;
afterEach(async () => {
  delete process.env.OUTGOING_TEST_API_TOKEN;
  if (!double) return;
  expect(double.violations).toEqual([]);
  await double.close();
  double = undefined;
});

const repo = { owner: 'octo-org', repo: 'agent' };
// A shape only secretlint's preset knows (the pattern rules let it through), a JWT the pattern rules know, and the
// value of a secret-looking env var.
const oauthToken = '0123456789abcdef0123456789abcdef01234567';
const leaky = (label: string) =>
  `${label}: git clone https://${oauthToken}:x-oauth-basic@github.com/o/r.git; jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36; env plain-env-secret-value-4242`;
const secrets = [oauthToken, 'SflKxwRJSMeKKF2QT4fwpMeJf36', 'plain-env-secret-value-4242'];

describe('text posted to GitHub', () => {
  it('is redacted in PR titles and bodies, check runs (title, summary, annotations) and comment replies', async () => {
    process.env.OUTGOING_TEST_API_TOKEN = 'plain-env-secret-value-4242';
    double = await startGitHubDouble({});
    const github = createGitHub({ token: 't', baseUrl: double.url, timeUnitMs: 1 });
    await upsertPull(github, repo, { head: 'self-harness/main', base: 'main', title: leaky('title'), body: leaky('body'), labels: [], fullReportHint: '' });
    const run = await startCheckRun(github, repo, 'self-harness', 'a'.repeat(40));
    await completeCheckRun(github, repo, run.id, {
      conclusion: 'success',
      title: leaky('check'),
      summary: leaky('summary'),
      annotations: [
        { path: 'harness/prompt.md', start_line: 1, end_line: 1, annotation_level: 'notice', title: leaky('a-title'), message: leaky('a-message') },
      ],
      fullReportHint: '',
    });
    await reply(github, repo, 1, leaky('reply'), '');
    const posted = double.requests.map((r) => JSON.stringify(r.body ?? '')).join('\n');
    for (const label of ['body', 'summary', 'a-message', 'reply']) expect(posted).toContain(label);
    for (const secret of secrets) expect(posted).not.toContain(secret);
    expect(posted).toContain('[REDACTED:basicauth]');
    expect(posted).toContain('[REDACTED:jwt]');
    expect(posted).toContain('[REDACTED:env]');
  });
});
