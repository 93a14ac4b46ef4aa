import { describe, expect, it } from 'vitest';
import { BOT_PR_MARKER, evolvePullTitle, renderPullBody } from '../../src/report/pr-body.js';

describe('bot PR body', () => {
  it('states the trigger, base and commit, then the core report, then where the full report is', () => {
    const body = renderPullBody({
      result: { markdown: '## self-harness evolve: ✅ **Promote**\n\nreport body', baseCommit: 'b'.repeat(40), reportPath: '/tmp/r.json' },
      commit: 'c'.repeat(40),
      target: 'main',
      trigger: 'schedule event',
      runUrl: 'https://github.test/o/r/actions/runs/1',
    });
    expect(body.startsWith(BOT_PR_MARKER)).toBe(true);
    expect(body).toContain('(schedule event) on `main` at `bbbbbbbbbbbb`; change commit `cccccccccccc`');
    expect(body).toContain('report body');
    // The runner's path means nothing to a reader: the report is an artifact of the run.
    expect(
      body.trimEnd().endsWith('Full report: the job summary and the report artifact (`r.json`) of [this run](https://github.test/o/r/actions/runs/1).'),
    ).toBe(true);
  });

  it('explains a diversion without pinging the person whose commit was kept', () => {
    const body = renderPullBody({
      result: { markdown: 'r', baseCommit: 'b'.repeat(40), reportPath: 'r.json' },
      commit: 'c'.repeat(40),
      target: 'main',
      trigger: 'schedule event',
      diversion: { blockedBranch: 'self-harness/main', foreign: [{ sha: 'a'.repeat(40), authorName: '@alice', authorEmail: 'alice@example.com' }] },
    });
    expect(body).toContain('The bot branch `self-harness/main` has commits pushed by someone else (`aaaaaaa` by @\u200balice)');
  });

  it("states the run's error rate, with its alpha ledger behind it, before the report", () => {
    const statement = 'An evolve run like this one promotes an edit with no real effect at most 5% of the time: each promotion needed its own confirmation.';
    const body = renderPullBody({
      result: {
        markdown: '## report',
        baseCommit: 'b'.repeat(40),
        reportPath: 'r.json',
        errorControl: { alpha: 0.05, spent: 0.025, spends: [{ round: 1, test: 'held-out confirmation of c-1', alpha: 0.025, outcome: 'promote' }], statement },
      },
      commit: 'c'.repeat(40),
      target: 'main',
      trigger: 'schedule event',
    });
    expect(body).toContain(`**Recommendation**: merge if the diff reads right. The change validated. ${statement}`);
    expect(body.indexOf('**Recommendation**')).toBeLessThan(body.indexOf('## report'));
  });

  it("opens with what changed and why in the proposer's words, escaped, and renders no mention, HTML or link from them", () => {
    const body = renderPullBody({
      result: {
        markdown: '## report',
        baseCommit: 'b'.repeat(40),
        reportPath: 'r.json',
        decision: 'promote',
        changes: [
          {
            round: 1,
            candidateId: 'c-1',
            summary: 'add a check before finish for @octo/team <img src=x>',
            rationale: 'Traces show [completion](https://evil.test) claimed before #12 ran.',
          },
        ],
      },
      commit: 'c'.repeat(40),
      target: 'main',
      trigger: 'schedule event',
    });
    const firstScreen = body.split('\n').slice(1, 3).join('\n');
    expect(firstScreen).toContain(
      '**What changed**: add a check before finish for @\u200bocto/team &lt;img src=x>. **Why**: Traces show \\[completion](https://evil.test) claimed before #\u200b12 ran.',
    );
  });

  it('titles the PR with the train improvement', () => {
    expect(evolvePullTitle({ validation: { train: { delta: 0.25 } } as never }, 'main')).toBe(
      'self-harness: harness improvement for main (+25.0 pts on train)',
    );
    expect(evolvePullTitle({}, 'dev')).toBe('self-harness: harness improvement for dev');
  });
});
