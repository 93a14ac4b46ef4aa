import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  getPull,
  runEvolveJob
} from "./chunk-IVSKG52A.js";
import "./chunk-DDK3XOV5.js";
import {
  runValidateJob
} from "./chunk-IJCZANJR.js";
import {
  COMMENT_LIMIT,
  ensureCommits,
  fullReportHint,
  neutralizeUntrusted,
  outgoing,
  renderEvolveReply,
  renderValidateReply,
  statusOf,
  truncateMarkdown
} from "./chunk-4MSJFZCU.js";
import {
  commandUsage
} from "./chunk-SRSIVSPE.js";
import "./chunk-B27T5SMF.js";
import "./chunk-7UCGPLZP.js";
import "./chunk-BNPSNPX4.js";
import "./chunk-5UNDODIP.js";
import "./chunk-CZPU55ZN.js";
import "./chunk-PLQTHMBR.js";
import "./chunk-EPB3JLRR.js";
import "./chunk-WD63SZHH.js";
import "./chunk-LYOLHC7T.js";
import "./chunk-GSGZFBKP.js";

// src/github/comments.ts
var WRITERS = /* @__PURE__ */ new Set(["admin", "write"]);
async function commenterPermission(github, repo, username) {
  try {
    const { data } = await github.rest.repos.getCollaboratorPermissionLevel({ ...repo, username });
    const level = data.role_name || data.permission;
    return { allowed: WRITERS.has(data.permission), level };
  } catch (error) {
    if (statusOf(error) === 404) return { allowed: false, level: "none" };
    throw error;
  }
}
async function react(github, repo, commentId, content) {
  await github.rest.reactions.createForIssueComment({ ...repo, comment_id: commentId, content });
}
async function reply(github, repo, issueNumber, body, fullReportHint2) {
  const text = truncateMarkdown(await outgoing(body), COMMENT_LIMIT - 1, "chars", `Reply truncated to fit GitHub's limit. ${fullReportHint2}`);
  const { data } = await github.rest.issues.createComment({ ...repo, issue_number: issueNumber, body: text });
  return data.id;
}

// src/action/comment-job.ts
var HeadMoved = class extends Error {
};
async function runCommentJob(job, request) {
  const { github, repo } = job;
  const hint = fullReportHint(job.ctx.runUrl, "the report JSON");
  const refuse = async (why) => {
    job.logger.warn(`Refused: ${why}`);
    await react(github, repo, request.commentId, "-1");
    await reply(github, repo, request.issueNumber, `@${request.commenter} self-harness refused this command: ${why}`, hint);
    job.setOutput("decision", "refused");
    return "refused";
  };
  const permission = await commenterPermission(github, repo, request.commenter);
  if (!permission.allowed) {
    return refuse(
      `commands need write, maintain or admin permission on ${repo.owner}/${repo.repo}; your permission is "${neutralizeUntrusted(permission.level)}".`
    );
  }
  if ("error" in request.command) return refuse(`${neutralizeUntrusted(request.command.error)}. Usage: ${commandUsage(job.settings.commandPrefix)}.`);
  const command = request.command;
  const pinned = await getPull(github, repo, request.issueNumber);
  if (pinned.state !== "open") return refuse(`pull request #${pinned.number} is ${pinned.state}.`);
  if (pinned.fromFork) {
    return refuse(
      "commands do not run on pull requests from forks: the episodes would run the fork's code in a job that holds this repository's write token. The pull_request validation workflow checks fork PRs with a read-only token."
    );
  }
  await react(github, repo, request.commentId, "eyes");
  job.logger.info(`Command ${command.verb} by ${request.commenter} (${permission.level}) pinned to ${pinned.headSha}`);
  const headMovedReason = async () => {
    const now = await getPull(github, repo, request.issueNumber);
    if (now.headSha === pinned.headSha) return void 0;
    return `the pull request head moved from \`${pinned.headSha.slice(0, 12)}\` to \`${now.headSha.slice(0, 12)}\` while self-harness was working, so the result (for the old head) was not used. Comment again to run on the new head.`;
  };
  try {
    return await runAccepted(job, request, command, pinned, headMovedReason, refuse, hint);
  } catch (error) {
    if (error instanceof HeadMoved) return refuse(error.message);
    const message = error instanceof Error ? error.message : String(error);
    await react(github, repo, request.commentId, "confused").catch(() => void 0);
    await reply(github, repo, request.issueNumber, `self-harness ${command.verb} failed: ${neutralizeUntrusted(message.slice(0, 2e3))}`, hint).catch(
      () => void 0
    );
    throw error;
  }
}
async function runAccepted(job, request, command, pinned, headMovedReason, refuse, hint) {
  const { github, repo } = job;
  if (command.verb === "validate") {
    const outcome2 = await runValidateJob(job, {
      target: { headSha: pinned.headSha, baseSha: pinned.baseSha, label: `pull request #${pinned.number}` },
      maxAttempts: command.attempts,
      beforeReport: headMovedReason
    });
    if (outcome2.kind === "withheld") return refuse(outcome2.why);
    await react(github, repo, request.commentId, "rocket");
    const text = outcome2.kind === "skipped" ? `self-harness validate: this pull request changes no harness file, so there is nothing to validate.` : renderValidateReply(outcome2.result, outcome2.checkRun?.htmlUrl, job.ctx.runUrl);
    await reply(github, repo, request.issueNumber, text, hint);
    return "done";
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
    }
  });
  await react(github, repo, request.commentId, "rocket");
  await reply(github, repo, request.issueNumber, renderEvolveReply(outcome.result, outcome.pull, outcome.diversion, job.ctx.runUrl), hint);
  return "done";
}
export {
  runCommentJob
};
