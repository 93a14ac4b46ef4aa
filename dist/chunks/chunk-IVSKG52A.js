import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  historyFile,
  importEvals
} from "./chunk-DDK3XOV5.js";
import {
  DEFAULT_BOT_IDENTITY,
  PR_BODY_LIMIT,
  assertNotDefaultBranch,
  botBranchName,
  budgetOf,
  completedVerdictOn,
  defaultBranchOf,
  evolvePullTitle,
  fullReportHint,
  group,
  neutralizeReferences,
  outgoing,
  postCheckRun,
  pushBotBranch,
  renderPullBody,
  statusOf,
  trainDelta,
  trendFromHistory,
  truncateMarkdown,
  validationMessages,
  verdictCheck,
  writeJobSummary
} from "./chunk-4MSJFZCU.js";
import {
  headIsFork
} from "./chunk-SRSIVSPE.js";
import {
  classifyChangedPaths,
  git,
  glob,
  locateProject,
  policyFromConfig,
  resolveRunSettings,
  runSecrets
} from "./chunk-PLQTHMBR.js";
import {
  UserError
} from "./chunk-LYOLHC7T.js";

// src/action/evolve-job.ts
import path2 from "node:path";

// src/github/pulls.ts
async function findOpenPull(github, repo, head, base) {
  const direct = await github.rest.pulls.list({ ...repo, state: "open", head: `${repo.owner}:${head}`, base, per_page: 100 });
  const hit = direct.data.find((pull) => pull.head.ref === head);
  if (hit) return { number: hit.number, url: hit.html_url };
  const all = await github.paginate(github.rest.pulls.list, { ...repo, state: "open", base, per_page: 100 });
  const found = all.find((pull) => pull.head.ref === head && pull.head.repo?.full_name === `${repo.owner}/${repo.repo}`);
  return found ? { number: found.number, url: found.html_url } : void 0;
}
function isAlreadyExists(error) {
  return statusOf(error) === 422 && validationMessages(error).some((m) => /pull request already exists/i.test(m));
}
async function upsertPull(github, repo, spec) {
  const title = await outgoing(spec.title);
  const body = truncateMarkdown(
    await outgoing(spec.body),
    PR_BODY_LIMIT - 1,
    "chars",
    `The PR body was truncated to fit GitHub's limit. ${spec.fullReportHint}`
  );
  let existing = await findOpenPull(github, repo, spec.head, spec.base);
  let operation = "updated";
  if (!existing) {
    try {
      const { data } = await github.rest.pulls.create({
        ...repo,
        head: spec.head,
        base: spec.base,
        title,
        body,
        maintainer_can_modify: false,
        ...spec.draft ? { draft: true } : {}
      });
      existing = { number: data.number, url: data.html_url };
      operation = "created";
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      existing = await findOpenPull(github, repo, spec.head, spec.base);
      if (!existing)
        throw new Error(
          `GitHub says a pull request from ${spec.head} into ${spec.base} already exists, but none is open; close stale PRs from that branch and re-run.`,
          { cause: error }
        );
    }
  }
  if (operation === "updated") {
    await github.rest.pulls.update({ ...repo, pull_number: existing.number, title, body });
  }
  if (spec.labels.length > 0) {
    await github.rest.issues.addLabels({ ...repo, issue_number: existing.number, labels: spec.labels });
  }
  const reviewers = spec.reviewers ?? [];
  const teamReviewers = spec.teamReviewers ?? [];
  if (operation === "created" && (reviewers.length > 0 || teamReviewers.length > 0)) {
    try {
      await github.rest.pulls.requestReviewers({ ...repo, pull_number: existing.number, reviewers, team_reviewers: teamReviewers });
    } catch (error) {
      return { ...existing, operation, reviewersError: error.message };
    }
  }
  return { ...existing, operation };
}
async function getPull(github, repo, pullNumber) {
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
    headRepo
  };
}

// src/action/artifacts.ts
import { existsSync } from "node:fs";
import path from "node:path";
var SHOWN = 5;
async function expandArtifacts(patterns, workspace) {
  const found = [];
  for (const pattern of patterns) {
    const plain = !/[*?[\]{}]/.test(pattern);
    const matches = plain ? existsSync(path.resolve(workspace, pattern)) ? [path.resolve(workspace, pattern)] : [] : await glob([pattern], { cwd: workspace, onlyFiles: false, expandDirectories: false, absolute: true, dot: true });
    if (matches.length === 0) {
      throw new UserError(
        `input "artifacts": ${JSON.stringify(pattern)} matches nothing under ${workspace}. Check the path the artifacts were downloaded to (actions/download-artifact's \`path:\`), or drop the pattern.`
      );
    }
    found.push(...matches.map((m) => path.resolve(m)));
  }
  const unique = [...new Set(found)].sort();
  return unique.filter((p) => !unique.some((outer) => outer !== p && p.startsWith(outer + path.sep)));
}
async function artifactsRef(job, baseSha) {
  const head = job.ctx.payload.workflow_run?.head_sha;
  if (typeof head !== "string" || !/^[0-9a-f]{40}$/.test(head)) return baseSha;
  const present = await git(["cat-file", "-e", `${head}^{commit}`], { cwd: job.ctx.workspace }).then(
    () => true,
    () => false
  );
  if (present) return head;
  job.logger.warn(
    `the workflow run that produced the artifacts ran on ${head.slice(0, 12)}, which this checkout does not have (use fetch-depth: 0); artifacts that record no commit are imported under ${baseSha.slice(0, 12)}.`
  );
  return baseSha;
}
async function importArtifacts(job, baseSha) {
  const patterns = job.settings.artifacts;
  if (patterns.length === 0) return void 0;
  const paths = await expandArtifacts(patterns, job.ctx.workspace);
  const ref = await artifactsRef(job, baseSha);
  const report = await importEvals(paths, { loaded: job.loaded, stateDir: job.stateDir, ref, logger: job.logger });
  const byOutcome = /* @__PURE__ */ new Map();
  for (const episode of report.added) byOutcome.set(episode.outcome, (byOutcome.get(episode.outcome) ?? 0) + 1);
  const outcomes = [...byOutcome.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([outcome, n]) => `${n} ${outcome}`).join(", ");
  job.logger.info(
    `Imported ${report.added.length} episode(s) from ${paths.length} artifact path(s)${outcomes ? ` (${outcomes})` : ""}; ${report.duplicates.length} already in the ledger; ${report.skipped.length} file(s) skipped.`
  );
  for (const version of report.versions) job.logger.info(`  harness ${version.hash.slice(0, 12)}: ${version.label}, ${version.why}`);
  for (const skipped of report.skipped.slice(0, SHOWN)) job.logger.info(`  skipped ${skipped.file}: ${skipped.reason}`);
  if (report.skipped.length > SHOWN) job.logger.info(`  and ${report.skipped.length - SHOWN} more skipped`);
  if (report.added.length === 0 && report.duplicates.length === 0) {
    job.logger.warn(`input "artifacts" (${patterns.join(", ")}): nothing could be imported; evolve mines its own train run instead.`);
  }
  return report;
}

// src/action/evolve-job.ts
function surfaceRefusals(changed, loaded, configDir) {
  const history = historyPathInRepo(loaded, configDir);
  return classifyChangedPaths(
    changed.filter((file) => file !== history),
    { policy: policyFromConfig(loaded), configDir }
  ).outside.map((o) => o.reason);
}
function historyPathInRepo(loaded, configDir) {
  return path2.posix.join(configDir, path2.relative(loaded.root, historyFile(loaded.root)).split(path2.sep).join("/"));
}
async function trendAt(job, commit) {
  const { configDir } = await locateProject(job.loaded);
  try {
    return trendFromHistory(await git(["show", `${commit}:${historyPathInRepo(job.loaded, configDir)}`], { cwd: job.ctx.workspace }));
  } catch {
    return [];
  }
}
async function assertOnSurface(job, result) {
  const cwd = job.ctx.workspace;
  const { configDir } = await locateProject(job.loaded);
  const changed = (await git(["diff", "--name-only", "--no-renames", "-z", result.baseCommit, result.commit, "--"], { cwd })).split("\0").filter(Boolean);
  const refused = surfaceRefusals(changed, job.loaded, configDir);
  if (refused.length > 0) {
    throw new UserError(
      `refusing to push: the promoted change touches files outside the harness surface:
${refused.join("\n")}
Check harness.include/exclude in ${job.loaded.path}.`
    );
  }
}
async function postEvolveCheck(job, result, headSha, unchanged) {
  if (unchanged) {
    const existing = await completedVerdictOn(job, headSha);
    if (existing) {
      job.logger.info(`${headSha.slice(0, 12)} already carries a completed "${job.settings.checkName}" check (${existing.conclusion}); kept.`);
      job.setOutput("check-run-id", existing.id);
      if (existing.htmlUrl) job.setOutput("check-run-url", existing.htmlUrl);
      return { id: existing.id, htmlUrl: existing.htmlUrl };
    }
  }
  if (!result.validation) {
    job.logger.warn("The promoted change carries no validation report; no check run was posted. Comment `/self-harness validate` on the PR to get one.");
    return void 0;
  }
  const check = verdictCheck(
    job,
    result.validation,
    result.markdown,
    result.changedFiles,
    fullReportHint(job.ctx.runUrl, result.reportPath),
    job.loaded.config.validate["max-attempts"]
  );
  return postCheckRun(job, headSha, check);
}
async function botCommit(cwd, result, baseSha, commitMessage) {
  const tree = await git(["rev-parse", `${result.commit}^{tree}`], { cwd });
  const message = commitMessage !== void 0 ? `${commitMessage.replace(/\n*$/, "")}
` : `self-harness: harness change (${result.decision})

${neutralizeReferences(result.reason)}
`;
  const bot = DEFAULT_BOT_IDENTITY;
  return git(["commit-tree", tree, "-p", baseSha, "-F", "-"], {
    cwd,
    input: message,
    env: { GIT_AUTHOR_NAME: bot.name, GIT_AUTHOR_EMAIL: bot.email, GIT_COMMITTER_NAME: bot.name, GIT_COMMITTER_EMAIL: bot.email }
  });
}
async function runEvolveJob(job, request) {
  const defaultBranch = await defaultBranchOf(job);
  const branch = botBranchName(job.settings.branchPrefix, request.target);
  assertNotDefaultBranch(branch, defaultBranch);
  if (branch === request.target) throw new UserError(`branch-prefix "${job.settings.branchPrefix}" makes the bot branch equal the target "${request.target}".`);
  const { rounds } = resolveRunSettings(job.loaded.config, { rounds: request.rounds ?? job.settings.rounds });
  if (job.settings.artifacts.length > 0) await group("Import artifacts", () => importArtifacts(job, request.baseSha));
  const result = await group(
    `self-harness evolve (${rounds} round${rounds === 1 ? "" : "s"}) from ${request.baseSha.slice(0, 12)}`,
    () => job.flows.evolve({
      loaded: job.loaded,
      stateDir: job.stateDir,
      baseRef: request.baseSha,
      rounds,
      budget: budgetOf(job),
      focus: request.focus,
      model: job.model,
      // Literal secrets redacted from anything the model sees (the env was scrubbed of INPUT_* before episodes ran).
      secrets: runSecrets(process.env, job.settings.githubToken, job.settings.modelApiKey),
      // The local branch carries the bot branch's name, so the report's "reproduce" lines name the pushed branch.
      branch,
      logger: job.logger
    })
  );
  job.setOutput("decision", result.decision);
  job.setOutput("report-path", result.reportPath);
  if (result.validation) job.setOutput("train-delta", trainDelta(result.validation.train.delta));
  await writeJobSummary(result.markdown);
  job.logger.info(`Decision: ${result.decision}. ${result.reason}`);
  if (result.decision !== "promote" || !result.commit) return { result };
  const cwd = job.ctx.workspace;
  await assertOnSurface(job, result);
  const commit = await botCommit(cwd, result, result.baseCommit, job.settings.commitMessage);
  if (request.beforePush) await request.beforePush();
  const { plan } = await group(
    `Push ${branch}`,
    () => pushBotBranch({ cwd, token: job.settings.githubToken, branch, defaultBranch, newCommit: commit, baseCommit: result.baseCommit })
  );
  const pushed = plan.kind === "unchanged" ? plan.tip : commit;
  if (plan.kind === "unchanged") job.logger.info(`${branch} already holds this change; nothing pushed.`);
  const diversion = plan.kind === "divert" ? { blockedBranch: plan.blockedBranch, foreign: plan.foreign } : void 0;
  if (diversion) job.logger.warn(`${branch} has commits by someone else; pushed to ${plan.branch} instead and left theirs untouched.`);
  const trend = await trendAt(job, pushed);
  const checkRun = await group(`Check run on ${pushed.slice(0, 12)}`, () => postEvolveCheck(job, result, pushed, plan.kind === "unchanged"));
  const pull = await group(
    "Create or update the pull request",
    () => upsertPull(job.github, job.repo, {
      head: plan.branch,
      base: request.target,
      title: job.settings.title ?? evolvePullTitle(result, request.target),
      draft: job.settings.draft,
      reviewers: job.settings.reviewers,
      teamReviewers: job.settings.teamReviewers,
      body: renderPullBody({ result, commit: pushed, target: request.target, trigger: request.trigger, diversion, runUrl: job.ctx.runUrl, trend }),
      labels: job.settings.labels,
      fullReportHint: fullReportHint(job.ctx.runUrl, result.reportPath)
    })
  );
  job.logger.info(`Pull request #${pull.number} ${pull.operation}: ${pull.url}`);
  if (pull.reviewersError)
    job.logger.warn(
      `Could not request reviewers on #${pull.number} (${pull.reviewersError}); check the reviewers and team-reviewers inputs (a person must be a collaborator, a team must have access; teams need a token that can read the organization).`
    );
  job.setOutput("pr-number", pull.number);
  job.setOutput("pr-url", pull.url);
  return { result, pull, diversion, pushedBranch: plan.branch, checkRun };
}

export {
  getPull,
  surfaceRefusals,
  runEvolveJob
};
