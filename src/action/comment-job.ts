// `/self-harness evolve|validate` on a PR: only for writers, pinned to the PR head SHA read when the comment
// arrived, refused when the head moves before results are pushed or reported.
import { commenterPermission, react, reply } from '../github/comments.js';
import { getPull } from '../github/pulls.js';
import { ensureCommits } from '../github/branch.js';
import { fullReportHint, renderEvolveReply, renderValidateReply } from '../report/pr-body.js';
import { neutralizeUntrusted } from '../domain/markdown-limit.js';
import { commandUsage, type ParsedCommand } from './route.js';
import { runEvolveJob } from './evolve-job.js';
import { runValidateJob } from './validate-job.js';
import type { JobEnv } from './job.js';

export interface CommentRequest {
  issueNumber: number;
  commentId: number;
  commenter: string;
  command: ParsedCommand | { error: string };
}

export type CommentOutcome = 'refused' | 'done';

class HeadMoved extends Error {}

export async function runCommentJob(job: JobEnv, request: CommentRequest): Promise<CommentOutcome> {
  const { github, repo } = job;
  const hint = fullReportHint(job.ctx.runUrl, 'the report JSON');
  const refuse = async (why: string): Promise<CommentOutcome> => {
    job.logger.warn(`Refused: ${why}`);
    await react(github, repo, request.commentId, '-1');
    await reply(github, repo, request.issueNumber, `@${request.commenter} self-harness refused this command: ${why}`, hint);
    job.setOutput('decision', 'refused');
    return 'refused';
  };

  // Who may command the bot is decided by GitHub's permission API, before anything else is read or run.
  const permission = await commenterPermission(github, repo, request.commenter);
  if (!permission.allowed) {
    return refuse(
      `commands need write, maintain or admin permission on ${repo.owner}/${repo.repo}; your permission is "${neutralizeUntrusted(permission.level)}".`,
    );
  }
  if ('error' in request.command) return refuse(`${neutralizeUntrusted(request.command.error)}. Usage: ${commandUsage(job.settings.commandPrefix)}.`);
  const command = request.command;

  // The head SHA as of now, i.e. when the comment arrived: the only commit this command will act on.
  const pinned = await getPull(github, repo, request.issueNumber);
  if (pinned.state !== 'open') return refuse(`pull request #${pinned.number} is ${pinned.state}.`);
  // Episodes run the PR's code as the job's user, which can read this job's write token (e.g. from /proc): never for
  // a fork's code. Fork PRs are validated by the pull_request workflow, which gets a read-only token and no secrets.
  if (pinned.fromFork) {
    return refuse(
      "commands do not run on pull requests from forks: the episodes would run the fork's code in a job that holds this repository's write token. The pull_request validation workflow checks fork PRs with a read-only token.",
    );
  }
  await react(github, repo, request.commentId, 'eyes');
  job.logger.info(`Command ${command.verb} by ${request.commenter} (${permission.level}) pinned to ${pinned.headSha}`);

  const headMovedReason = async (): Promise<string | undefined> => {
    const now = await getPull(github, repo, request.issueNumber);
    if (now.headSha === pinned.headSha) return undefined;
    return `the pull request head moved from \`${pinned.headSha.slice(0, 12)}\` to \`${now.headSha.slice(0, 12)}\` while self-harness was working, so the result (for the old head) was not used. Comment again to run on the new head.`;
  };

  try {
    return await runAccepted(job, request, command, pinned, headMovedReason, refuse, hint);
  } catch (error) {
    if (error instanceof HeadMoved) return refuse(error.message);
    // Tell the commenter; the step then fails with the same message.
    const message = error instanceof Error ? error.message : String(error);
    await react(github, repo, request.commentId, 'confused').catch(() => undefined);
    await reply(github, repo, request.issueNumber, `self-harness ${command.verb} failed: ${neutralizeUntrusted(message.slice(0, 2000))}`, hint).catch(
      () => undefined,
    );
    throw error;
  }
}

async function runAccepted(
  job: JobEnv,
  request: CommentRequest,
  command: ParsedCommand,
  pinned: Awaited<ReturnType<typeof getPull>>,
  headMovedReason: () => Promise<string | undefined>,
  refuse: (why: string) => Promise<CommentOutcome>,
  hint: string,
): Promise<CommentOutcome> {
  const { github, repo } = job;
  if (command.verb === 'validate') {
    const outcome = await runValidateJob(job, {
      target: { headSha: pinned.headSha, baseSha: pinned.baseSha, label: `pull request #${pinned.number}` },
      maxAttempts: command.attempts,
      beforeReport: headMovedReason,
    });
    if (outcome.kind === 'withheld') return refuse(outcome.why);
    await react(github, repo, request.commentId, 'rocket');
    const text =
      outcome.kind === 'skipped'
        ? `self-harness validate: this pull request changes no harness file, so there is nothing to validate.`
        : renderValidateReply(outcome.result, outcome.checkRun?.htmlUrl, job.ctx.runUrl);
    await reply(github, repo, request.issueNumber, text, hint);
    return 'done';
  }

  await ensureCommits(job.ctx.workspace, job.settings.githubToken, [pinned.headSha]);
  const outcome = await runEvolveJob(job, {
    baseSha: pinned.headSha,
    target: pinned.headRef,
    rounds: command.rounds,
    focus: command.focus,
    trigger: `comment by @${request.commenter} on #${pinned.number}`,
    beforePush: async () => {
      const moved = await headMovedReason();
      if (moved) throw new HeadMoved(moved);
    },
  });
  await react(github, repo, request.commentId, 'rocket');
  await reply(github, repo, request.issueNumber, renderEvolveReply(outcome.result, outcome.pull, outcome.diversion, job.ctx.runUrl), hint);
  return 'done';
}
