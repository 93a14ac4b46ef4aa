import { describe, expect, it } from 'vitest';
import { parseCommand, routeEvent } from '../../src/action/route.js';

const pull = (extra: Record<string, unknown> = {}) => ({
  number: 3,
  head: { sha: 'h'.repeat(40), ref: 'feature', repo: { full_name: 'o/r' } },
  base: { sha: 'b'.repeat(40), ref: 'main', repo: { full_name: 'o/r' } },
  ...extra,
});
const comment = (body: string, action = 'created') => ({
  action,
  issue: { number: 3, pull_request: { url: 'x' } },
  comment: { id: 9, body, user: { login: 'maya' } },
});

describe('parseCommand', () => {
  it('parses validate and evolve with rounds and a focus that takes the rest of the line', () => {
    expect(parseCommand('/self-harness validate', '/self-harness')).toEqual({ verb: 'validate' });
    expect(parseCommand('/self-harness evolve', '/self-harness')).toEqual({ verb: 'evolve' });
    expect(parseCommand('  /self-harness evolve rounds=3 focus=tool errors @ step 2\nignored line', '/self-harness')).toEqual({
      verb: 'evolve',
      rounds: 3,
      focus: 'tool errors @ step 2',
    });
  });

  it('parses validate attempts=N, the comment an inconclusive check asks for', () => {
    expect(parseCommand('/self-harness validate attempts=16', '/self-harness')).toEqual({ verb: 'validate', attempts: 16 });
  });

  it('returns null for comments not addressed to the bot', () => {
    expect(parseCommand('LGTM /self-harness validate', '/self-harness')).toBeNull();
    expect(parseCommand('/self-harnessvalidate', '/self-harness')).toBeNull();
    expect(parseCommand('thanks\n/self-harness validate', '/self-harness')).toBeNull();
  });

  it('rejects unknown verbs, unknown arguments, bad rounds and arguments to validate', () => {
    expect(parseCommand('/self-harness deploy', '/self-harness')).toEqual({ error: expect.stringContaining('unknown command "deploy"') });
    expect(parseCommand('/self-harness evolve rounds=0', '/self-harness')).toEqual({ error: expect.stringContaining('from 1 to 20') });
    expect(parseCommand('/self-harness evolve rounds=2 rounds=3', '/self-harness')).toEqual({ error: expect.stringContaining('twice') });
    expect(parseCommand('/self-harness evolve --force', '/self-harness')).toEqual({ error: expect.stringContaining('unknown argument "--force"') });
    expect(parseCommand('/self-harness validate now', '/self-harness')).toEqual({ error: expect.stringContaining('takes only `attempts=N`') });
    expect(parseCommand('/self-harness validate attempts=0', '/self-harness')).toEqual({ error: expect.stringContaining('from 1 to 64') });
    expect(parseCommand('/self-harness validate attempts=65', '/self-harness')).toEqual({ error: expect.stringContaining('from 1 to 64') });
    expect(parseCommand('/self-harness', '/self-harness')).toEqual({ error: expect.stringContaining('missing command') });
    expect(parseCommand(`/self-harness evolve focus=${'x'.repeat(201)}`, '/self-harness')).toEqual({ error: expect.stringContaining('200') });
  });
});

describe('routeEvent', () => {
  it('evolves on schedule and workflow_dispatch', () => {
    expect(routeEvent('schedule', {}, 'auto', '/sh')).toMatchObject({ kind: 'evolve' });
    expect(routeEvent('workflow_dispatch', {}, 'auto', '/sh')).toMatchObject({ kind: 'evolve' });
  });

  it('evolves when another workflow completed (workflow_run, its artifacts as evidence), not when it is requested', () => {
    const completed = { action: 'completed', repository: { full_name: 'o/r' }, workflow_run: { head_repository: { full_name: 'O/r' } } };
    expect(routeEvent('workflow_run', completed, 'auto', '/sh')).toMatchObject({ kind: 'evolve' });
    expect(routeEvent('workflow_run', completed, 'evolve', '/sh')).toMatchObject({ kind: 'evolve' });
    expect(routeEvent('workflow_run', { action: 'requested' }, 'auto', '/sh').kind).toBe('ignore');
    expect(routeEvent('workflow_run', { action: 'completed' }, 'validate', '/sh').kind).toBe('ignore');
    const fromFork = { action: 'completed', repository: { full_name: 'o/r' }, workflow_run: { head_repository: { full_name: 'fork/r' } } };
    expect(routeEvent('workflow_run', fromFork, 'auto', '/sh')).toMatchObject({ kind: 'ignore', why: expect.stringMatching(/fork/) });
  });

  it('validates opened/synchronize/reopened pull requests using the head SHA, not the merge commit', () => {
    for (const action of ['opened', 'synchronize', 'reopened']) {
      expect(routeEvent('pull_request', { action, pull_request: pull() }, 'auto', '/sh')).toEqual({
        kind: 'validate-pr',
        pull: { number: 3, headSha: 'h'.repeat(40), headRef: 'feature', baseSha: 'b'.repeat(40), baseRef: 'main', fromFork: false },
      });
    }
    expect(routeEvent('pull_request', { action: 'labeled', pull_request: pull() }, 'auto', '/sh').kind).toBe('ignore');
  });

  it('marks fork pull requests (another repository, or a deleted one), not case variants of the same repository', () => {
    const fork = pull({ head: { sha: 'h'.repeat(40), ref: 'main', repo: { full_name: 'someone/r' } } });
    expect(routeEvent('pull_request', { action: 'opened', pull_request: fork }, 'auto', '/sh')).toMatchObject({ pull: { fromFork: true } });
    const deleted = pull({ head: { sha: 'h'.repeat(40), ref: 'main', repo: null } });
    expect(routeEvent('pull_request', { action: 'opened', pull_request: deleted }, 'auto', '/sh')).toMatchObject({ pull: { fromFork: true } });
    const sameRepo = pull({ head: { sha: 'h'.repeat(40), ref: 'x', repo: { full_name: 'O/R' } } });
    expect(routeEvent('pull_request', { action: 'opened', pull_request: sameRepo }, 'auto', '/sh')).toMatchObject({ pull: { fromFork: false } });
  });

  it('handles only created comments on pull requests that start with the prefix', () => {
    expect(routeEvent('issue_comment', comment('/sh validate'), 'auto', '/sh')).toEqual({
      kind: 'comment',
      issueNumber: 3,
      commentId: 9,
      commenter: 'maya',
      command: { verb: 'validate' },
    });
    expect(routeEvent('issue_comment', comment('/sh validate', 'edited'), 'auto', '/sh').kind).toBe('ignore');
    expect(routeEvent('issue_comment', { ...comment('/sh validate'), issue: { number: 3 } }, 'auto', '/sh').kind).toBe('ignore');
    expect(routeEvent('issue_comment', comment('nice'), 'auto', '/sh').kind).toBe('ignore');
  });

  it('validates a merge group head against its base; ignores other merge_group actions', () => {
    const head = 'a'.repeat(40);
    const base = 'b'.repeat(40);
    const payload = { action: 'checks_requested', merge_group: { head_sha: head, base_sha: base, head_ref: 'refs/heads/gh-readonly-queue/main/pr-7-x' } };
    expect(routeEvent('merge_group', payload, 'auto', '/sh')).toEqual({
      kind: 'validate-merge-group',
      group: { headSha: head, baseSha: base, headRef: 'refs/heads/gh-readonly-queue/main/pr-7-x' },
    });
    expect(routeEvent('merge_group', payload, 'validate', '/sh').kind).toBe('validate-merge-group');
    expect(routeEvent('merge_group', payload, 'evolve', '/sh').kind).toBe('ignore');
    expect(routeEvent('merge_group', { ...payload, action: 'destroyed' }, 'auto', '/sh').kind).toBe('ignore');
    expect(routeEvent('merge_group', { action: 'checks_requested', merge_group: { head_sha: 'main', base_sha: base } }, 'auto', '/sh').kind).toBe('ignore');
  });

  it('never handles pull_request_target or unknown events', () => {
    expect(routeEvent('pull_request_target', { action: 'opened', pull_request: pull() }, 'auto', '/sh')).toMatchObject({
      kind: 'ignore',
      why: expect.stringContaining('pull_request_target'),
    });
    expect(routeEvent('release', {}, 'auto', '/sh').kind).toBe('ignore');
  });

  it('restricts jobs to the mode', () => {
    expect(routeEvent('pull_request', { action: 'opened', pull_request: pull() }, 'evolve', '/sh').kind).toBe('ignore');
    expect(routeEvent('push', {}, 'evolve', '/sh').kind).toBe('evolve');
    expect(routeEvent('schedule', {}, 'validate', '/sh').kind).toBe('ignore');
    expect(routeEvent('issue_comment', comment('/sh evolve'), 'validate', '/sh').kind).toBe('ignore');
    expect(routeEvent('issue_comment', comment('/sh validate'), 'validate', '/sh').kind).toBe('comment');
  });
});
