// Comment commands' GitHub side: who may command the bot, reactions, and replies.
import { outgoing } from './outgoing.js';
import type { GitHub, RepoId } from './client.js';
import { statusOf } from './client.js';
import { COMMENT_LIMIT, truncateMarkdown } from '../domain/markdown-limit.js';

export type Reaction = '+1' | '-1' | 'eyes' | 'rocket' | 'confused';

/** Permission levels that may run commands; `permission` collapses maintain into write and triage into read. */
const WRITERS = new Set(['admin', 'write']);

export interface CommenterPermission {
  allowed: boolean;
  /** What GitHub reported (role name when given), for the refusal message. */
  level: string;
}

/**
 * Asks GitHub for the commenter's permission on the repository (author_association is not trusted:
 * it misses team access and private org membership). Anything but write/maintain/admin is refused.
 */
export async function commenterPermission(github: GitHub, repo: RepoId, username: string): Promise<CommenterPermission> {
  try {
    const { data } = await github.rest.repos.getCollaboratorPermissionLevel({ ...repo, username });
    const level = (data as { role_name?: string }).role_name || data.permission;
    return { allowed: WRITERS.has(data.permission), level };
  } catch (error) {
    // Not a collaborator: GitHub answers 404 on some setups.
    if (statusOf(error) === 404) return { allowed: false, level: 'none' };
    throw error;
  }
}

export async function react(github: GitHub, repo: RepoId, commentId: number, content: Reaction): Promise<void> {
  await github.rest.reactions.createForIssueComment({ ...repo, comment_id: commentId, content });
}

export async function reply(github: GitHub, repo: RepoId, issueNumber: number, body: string, fullReportHint: string): Promise<number> {
  const text = truncateMarkdown(await outgoing(body), COMMENT_LIMIT - 1, 'chars', `Reply truncated to fit GitHub's limit. ${fullReportHint}`);
  const { data } = await github.rest.issues.createComment({ ...repo, issue_number: issueNumber, body: text });
  return data.id;
}
