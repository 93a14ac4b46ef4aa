// Pure event routing: which job (if any) a GitHub event asks for. No I/O; the payload is untrusted data.
import type { ActionMode } from './settings.js';
import type { PullRef } from '../github/pulls.js';
import { headIsFork } from '../github/fork.js';
export type { PullRef };

export type ParsedCommand = { verb: 'evolve'; rounds?: number; focus?: string } | { verb: 'validate'; attempts?: number };

/** A merge queue's temporary head: the queued PRs merged onto the base, validated like a PR of its own. */
export interface MergeGroupRef {
  headSha: string;
  baseSha: string;
  headRef: string;
}

export type Route =
  | { kind: 'evolve'; why: string }
  | { kind: 'validate-pr'; pull: PullRef }
  | { kind: 'validate-merge-group'; group: MergeGroupRef }
  | { kind: 'comment'; issueNumber: number; commentId: number; commenter: string; command: ParsedCommand | { error: string } }
  | { kind: 'ignore'; why: string };

export const MAX_COMMAND_ROUNDS = 20;
/** Upper bound of `validate attempts=N` (paired attempts per task and side): more evidence, bounded cost. */
export const MAX_COMMAND_ATTEMPTS = 64;
export const MAX_FOCUS_CHARS = 200;

export function commandUsage(prefix: string): string {
  return `\`${prefix} evolve [rounds=N] [focus=TEXT]\` or \`${prefix} validate [attempts=N]\``;
}

/**
 * Parses the first line of a comment. Returns null when the comment is not addressed to us
 * (does not start with the prefix as a whole word), an error when it is but does not parse.
 */
export function parseCommand(body: string, prefix: string): ParsedCommand | { error: string } | null {
  const firstLine = (body.split(/\r?\n/, 1)[0] ?? '').replace(/^[ \t]+|[ \t]+$/g, '');
  if (firstLine !== prefix && !firstLine.startsWith(`${prefix} `) && !firstLine.startsWith(`${prefix}\t`)) return null;
  const rest = firstLine.slice(prefix.length).replace(/^[ \t]+/, '');
  const verbMatch = /^(\S+)(?:[ \t]+(.*))?$/.exec(rest);
  if (!verbMatch) return { error: `missing command; use ${commandUsage(prefix)}` };
  const verb = verbMatch[1]!;
  let args = verbMatch[2] ?? '';
  if (verb === 'validate') {
    const rest = args.trim();
    if (rest === '') return { verb: 'validate' };
    const attempts = /^attempts=(\d{1,3})$/.exec(rest);
    if (!attempts) return { error: `\`validate\` takes only \`attempts=N\`, got ${JSON.stringify(rest.slice(0, 60))}` };
    const n = Number(attempts[1]);
    if (n < 1 || n > MAX_COMMAND_ATTEMPTS) return { error: `\`attempts=\` must be from 1 to ${MAX_COMMAND_ATTEMPTS}, got ${n}` };
    return { verb: 'validate', attempts: n };
  }
  if (verb !== 'evolve') return { error: `unknown command ${JSON.stringify(verb.slice(0, 40))}; use ${commandUsage(prefix)}` };
  const command: { verb: 'evolve'; rounds?: number; focus?: string } = { verb: 'evolve' };
  while (args.trim() !== '') {
    args = args.replace(/^[ \t]+/, '');
    if (args.startsWith('focus=')) {
      // focus takes the rest of the line; it is data for the miner, never instructions.
      const focus = args
        .slice('focus='.length)
        .replace(/[\u0000-\u001f\u007f]/g, ' ')
        .trim();
      if (focus === '') return { error: '`focus=` needs a text, e.g. focus=timeouts in the build step' };
      if (focus.length > MAX_FOCUS_CHARS) return { error: `\`focus=\` is limited to ${MAX_FOCUS_CHARS} characters` };
      command.focus = focus;
      break;
    }
    const token = /^\S+/.exec(args)![0];
    args = args.slice(token.length);
    const rounds = /^rounds=(\d{1,3})$/.exec(token);
    if (rounds) {
      if (command.rounds !== undefined) return { error: '`rounds=` given twice' };
      const n = Number(rounds[1]);
      if (n < 1 || n > MAX_COMMAND_ROUNDS) return { error: `\`rounds=\` must be from 1 to ${MAX_COMMAND_ROUNDS}, got ${n}` };
      command.rounds = n;
      continue;
    }
    return { error: `unknown argument ${JSON.stringify(token.slice(0, 40))}; use ${commandUsage(prefix)}` };
  }
  return command;
}

function pullRefFrom(pull: any): PullRef | undefined {
  if (!pull || typeof pull.number !== 'number' || typeof pull.head?.sha !== 'string' || typeof pull.base?.sha !== 'string') return undefined;
  const headRepo = pull.head?.repo?.full_name;
  const baseRepo = pull.base?.repo?.full_name;
  return {
    number: pull.number,
    headSha: pull.head.sha,
    headRef: String(pull.head.ref ?? ''),
    baseSha: pull.base.sha,
    baseRef: String(pull.base.ref ?? ''),
    fromFork: headIsFork(headRepo, baseRepo),
  };
}

export { pullRefFrom };

const PULL_ACTIONS = new Set(['opened', 'synchronize', 'reopened']);

/** Routes an event (mode auto), then keeps only what the mode allows. */
export function routeEvent(eventName: string, payload: Record<string, any>, mode: ActionMode, commandPrefix: string): Route {
  const route = autoRoute(eventName, payload, commandPrefix);
  if (mode === 'evolve' && eventName === 'push') return { kind: 'evolve', why: 'mode evolve on a push' };
  if (mode === 'auto' || route.kind === 'ignore') return route;
  if (mode === 'evolve') {
    if (route.kind === 'evolve') return route;
    if (route.kind === 'comment' && !('error' in route.command) && route.command.verb === 'evolve') return route;
    return { kind: 'ignore', why: `mode is "evolve" and this ${eventName} event asks for validation` };
  }
  if (route.kind === 'validate-pr' || route.kind === 'validate-merge-group') return route;
  if (route.kind === 'comment' && !('error' in route.command) && route.command.verb === 'validate') return route;
  return { kind: 'ignore', why: `mode is "validate" and this ${eventName} event asks for evolution` };
}

function autoRoute(eventName: string, payload: Record<string, any>, commandPrefix: string): Route {
  switch (eventName) {
    case 'schedule':
    case 'workflow_dispatch':
      return { kind: 'evolve', why: `${eventName} event` };
    case 'workflow_run':
      // Another workflow finished: evolve from this checkout, with its downloaded output as evidence (input artifacts).
      if (payload.action !== 'completed') return { kind: 'ignore', why: `workflow_run action "${payload.action}" (only "completed" is handled)` };
      // A run of a fork's workflow (a pull request from a fork) produced what it uploaded from code nobody here
      // reviewed: its artifacts are not evidence this repository's harness is mined from.
      if (headIsFork(payload.workflow_run?.head_repository?.full_name, payload.repository?.full_name)) {
        return { kind: 'ignore', why: "workflow_run of a fork's workflow run (its artifacts are not trusted evidence)" };
      }
      return { kind: 'evolve', why: 'workflow_run event (a workflow completed)' };
    case 'pull_request': {
      if (!PULL_ACTIONS.has(payload.action)) return { kind: 'ignore', why: `pull_request action "${payload.action}" is not opened/synchronize/reopened` };
      const pull = pullRefFrom(payload.pull_request);
      if (!pull) return { kind: 'ignore', why: 'pull_request payload without a pull request' };
      return { kind: 'validate-pr', pull };
    }
    case 'issue_comment': {
      // Only new comments: an edited old comment must not re-run with today's token.
      if (payload.action !== 'created') return { kind: 'ignore', why: `issue_comment action "${payload.action}" (only "created" is handled)` };
      if (!payload.issue?.pull_request) return { kind: 'ignore', why: 'comment on an issue, not a pull request' };
      const body = typeof payload.comment?.body === 'string' ? payload.comment.body : '';
      const command = parseCommand(body, commandPrefix);
      if (command === null) return { kind: 'ignore', why: `comment does not start with ${commandPrefix}` };
      const commenter = payload.comment?.user?.login;
      if (typeof commenter !== 'string' || typeof payload.comment?.id !== 'number' || typeof payload.issue?.number !== 'number') {
        return { kind: 'ignore', why: 'issue_comment payload without comment id, author or issue number' };
      }
      return { kind: 'comment', issueNumber: payload.issue.number, commentId: payload.comment.id, commenter, command };
    }
    case 'merge_group': {
      const group = payload.merge_group;
      if (payload.action !== 'checks_requested') return { kind: 'ignore', why: `merge_group action "${payload.action}" (only "checks_requested" is handled)` };
      const sha = /^[0-9a-f]{40}$/;
      if (!group || !sha.test(String(group.head_sha)) || !sha.test(String(group.base_sha)))
        return { kind: 'ignore', why: 'merge_group payload without head_sha/base_sha' };
      return { kind: 'validate-merge-group', group: { headSha: group.head_sha, baseSha: group.base_sha, headRef: String(group.head_ref ?? '') } };
    }
    case 'pull_request_target':
      return { kind: 'ignore', why: 'pull_request_target is not supported: it runs with write access next to untrusted code (use pull_request)' };
    default:
      return { kind: 'ignore', why: `event "${eventName}" is not one the action handles` };
  }
}
