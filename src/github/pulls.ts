// Pull requests: find-or-create the bot's PR (422 "already exists" is found and updated, never duplicated), labels,
// the PR's file list (paginated) and its current head.
import { outgoing } from './outgoing.js';
import type { GitHub, RepoId } from './client.js';
import { statusOf, validationMessages } from './client.js';
import { headIsFork } from './fork.js';
import { PR_BODY_LIMIT, truncateMarkdown } from '../domain/markdown-limit.js';

export interface PullRef {
  number: number;
  headSha: string;
  headRef: string;
  baseSha: string;
  baseRef: string;
  /** The head lives in another repository (a fork): no pushes to it. */
  fromFork: boolean;
}

export interface UpsertedPull {
  number: number;
  url: string;
  operation: 'created' | 'updated';
  /** Set when reviewers were asked for and GitHub refused (the PR exists either way). */
  reviewersError?: string;
}

export interface PullSpec {
  /** Branch in this repository holding the change. */
  head: string;
  base: string;
  title: string;
  body: string;
  labels: string[];
  /** Appended to the body when it has to be cut ("Full report: <run url>"). */
  fullReportHint: string;
  /** Open a new PR as a draft (an existing one keeps its state). */
  draft?: boolean;
  /** People (logins) and teams (slugs) asked to review a new PR; an existing PR's reviewers are left as they are. */
  reviewers?: string[];
  teamReviewers?: string[];
}

export async function findOpenPull(github: GitHub, repo: RepoId, head: string, base: string): Promise<{ number: number; url: string } | undefined> {
  const direct = await github.rest.pulls.list({ ...repo, state: 'open', head: `${repo.owner}:${head}`, base, per_page: 100 });
  const hit = direct.data.find((pull) => pull.head.ref === head);
  if (hit) return { number: hit.number, url: hit.html_url };
  // The head filter is unreliable in some setups; fall back to every open PR on the base.
  const all = await github.paginate(github.rest.pulls.list, { ...repo, state: 'open', base, per_page: 100 });
  const found = all.find((pull) => pull.head.ref === head && pull.head.repo?.full_name === `${repo.owner}/${repo.repo}`);
  return found ? { number: found.number, url: found.html_url } : undefined;
}

function isAlreadyExists(error: unknown): boolean {
  return statusOf(error) === 422 && validationMessages(error).some((m) => /pull request already exists/i.test(m));
}

export async function upsertPull(github: GitHub, repo: RepoId, spec: PullSpec): Promise<UpsertedPull> {
  const title = await outgoing(spec.title);
  const body = truncateMarkdown(
    await outgoing(spec.body),
    PR_BODY_LIMIT - 1,
    'chars',
    `The PR body was truncated to fit GitHub's limit. ${spec.fullReportHint}`,
  );
  let existing = await findOpenPull(github, repo, spec.head, spec.base);
  let operation: UpsertedPull['operation'] = 'updated';
  if (!existing) {
    try {
      const { data } = await github.rest.pulls.create({
        ...repo,
        head: spec.head,
        base: spec.base,
        title,
        body,
        maintainer_can_modify: false,
        ...(spec.draft ? { draft: true } : {}),
      });
      existing = { number: data.number, url: data.html_url };
      operation = 'created';
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      // Another run (or a person) opened it between our lookup and our create: update that one.
      existing = await findOpenPull(github, repo, spec.head, spec.base);
      if (!existing)
        throw new Error(
          `GitHub says a pull request from ${spec.head} into ${spec.base} already exists, but none is open; close stale PRs from that branch and re-run.`,
          { cause: error },
        );
    }
  }
  if (operation === 'updated') {
    await github.rest.pulls.update({ ...repo, pull_number: existing.number, title, body });
  }
  if (spec.labels.length > 0) {
    await github.rest.issues.addLabels({ ...repo, issue_number: existing.number, labels: spec.labels });
  }
  const reviewers = spec.reviewers ?? [];
  const teamReviewers = spec.teamReviewers ?? [];
  if (operation === 'created' && (reviewers.length > 0 || teamReviewers.length > 0)) {
    try {
      await github.rest.pulls.requestReviewers({ ...repo, pull_number: existing.number, reviewers, team_reviewers: teamReviewers });
    } catch (error) {
      return { ...existing, operation, reviewersError: (error as Error).message };
    }
  }
  return { ...existing, operation };
}

/** Every file path a PR changes (renames count with both names), paginated. */
export async function listPullFiles(github: GitHub, repo: RepoId, pullNumber: number): Promise<string[]> {
  const files = await github.paginate(github.rest.pulls.listFiles, { ...repo, pull_number: pullNumber, per_page: 100 });
  const names = new Set<string>();
  for (const file of files) {
    names.add(file.filename);
    if (file.previous_filename) names.add(file.previous_filename);
  }
  return [...names];
}

/** The PR as it is now (head and base SHAs read from the API, not from a possibly stale payload). */
export async function getPull(github: GitHub, repo: RepoId, pullNumber: number): Promise<PullRef & { state: string; headRepo?: string }> {
  const { data } = await github.rest.pulls.get({ ...repo, pull_number: pullNumber });
  const headRepo = data.head.repo?.full_name;
  return {
    number: data.number,
    headSha: data.head.sha,
    headRef: data.head.ref,
    baseSha: data.base.sha,
    baseRef: data.base.ref,
    fromFork: headIsFork(headRepo, data.base.repo?.full_name ?? `${repo.owner}/${repo.repo}`),
    state: data.state,
    headRepo,
  };
}
