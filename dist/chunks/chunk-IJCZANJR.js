import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  budgetOf,
  completeCheckRun,
  completedVerdictOn,
  ensureCommits,
  fencedText,
  fullReportHint,
  group,
  postCheckRun,
  trainDelta,
  tryStartCheckRun,
  verdictCheck,
  writeJobSummary
} from "./chunk-4MSJFZCU.js";
import {
  parseConfigText
} from "./chunk-CZPU55ZN.js";
import {
  GitError,
  classifyChangedPaths,
  git,
  locateProject,
  policyFromConfig
} from "./chunk-PLQTHMBR.js";

// src/action/gate-config.ts
async function gateConfigAt(workspaceLoaded, cwd, baseCommit, logger) {
  const location = await locateProject(workspaceLoaded);
  const relative = location.configFile;
  let text;
  try {
    text = await git(["show", `${baseCommit}:${relative}`], { cwd });
  } catch (error) {
    if (!(error instanceof GitError) || error.exitCode === void 0) throw error;
    logger.warn(`${relative} does not exist at the merge base ${baseCommit.slice(0, 12)}; judging with the pull request's config.`);
    return { loaded: workspaceLoaded, source: "workspace", location };
  }
  const config = parseConfigText(text, `${workspaceLoaded.path} (at ${baseCommit.slice(0, 12)})`);
  const changed = JSON.stringify(config) !== JSON.stringify(workspaceLoaded.config);
  if (changed) logger.warn(`This pull request changes ${relative}; the gate uses the config of the merge base ${baseCommit.slice(0, 12)}.`);
  return { loaded: { ...workspaceLoaded, config }, source: "base", location };
}

// src/action/validate-job.ts
function gateHarnessFiles(changed, loaded, configDir) {
  return classifyChangedPaths(changed, { policy: policyFromConfig(loaded), configDir }).harness;
}
async function changedPaths(cwd, base, head) {
  const out = await git(["diff", "--name-only", "--no-renames", "-z", base, head, "--"], { cwd });
  return out.split("\0").filter(Boolean);
}
function withMaxAttempts(loaded, maxAttempts) {
  if (maxAttempts === void 0) return loaded;
  return { ...loaded, config: { ...loaded.config, validate: { ...loaded.config.validate, "max-attempts": maxAttempts } } };
}
async function runValidateJob(job, request) {
  const { target } = request;
  const cwd = job.ctx.workspace;
  if (target.reuseVerdictOnBotBranch) {
    const existing = await completedVerdictOn(job, target.headSha);
    if (existing) {
      job.setOutput("decision", "none");
      job.logger.info(
        `${target.label}: head ${target.headSha.slice(0, 12)} already carries a completed "${job.settings.checkName}" check (${existing.conclusion}) from the evolve run that pushed it; not validating it again.`
      );
      return { kind: "skipped", why: "verdict already posted on this head" };
    }
  }
  await ensureCommits(cwd, job.settings.githubToken, [target.baseSha, target.headSha]);
  const base = await git(["merge-base", target.baseSha, target.headSha], { cwd });
  const { loaded: gateLoaded, location } = await gateConfigAt(job.loaded, cwd, base, job.logger);
  const loaded = withMaxAttempts(gateLoaded, request.maxAttempts);
  const harnessFiles = gateHarnessFiles(await changedPaths(cwd, base, target.headSha), loaded, location.configDir);
  if (harnessFiles.length === 0) {
    const checkRun2 = await postCheckRun(job, target.headSha, {
      conclusion: "success",
      title: "No harness files changed",
      summary: `This change touches no file of the harness surface (harness.include: ${loaded.config.harness.include.map((g) => `\`${g}\``).join(", ") || "empty"}), so it cannot change the agent's behaviour; nothing to validate.`,
      annotations: [],
      fullReportHint: ""
    });
    job.setOutput("decision", "none");
    job.logger.info(`${target.label} changes no harness file; reported a success check and stopped.`);
    return { kind: "skipped", why: "no harness files changed", checkRun: checkRun2 };
  }
  job.logger.info(`Harness files changed: ${harnessFiles.join(", ")}`);
  const checkRun = await tryStartCheckRun(job, target.headSha);
  const complete = async (result) => {
    if (checkRun) await completeCheckRun(job.github, job.repo, checkRun.id, result);
  };
  try {
    const result = await group(
      `self-harness validate ${base.slice(0, 12)}..${target.headSha.slice(0, 12)} (${target.label})`,
      () => job.flows.validateRefs({
        loaded,
        stateDir: job.stateDir,
        base,
        head: target.headSha,
        budget: budgetOf({ settings: job.settings, loaded }),
        logger: job.logger
      })
    );
    job.setOutput("report-path", result.reportPath);
    await writeJobSummary(result.markdown);
    const withheld = request.beforeReport ? await request.beforeReport() : void 0;
    if (withheld) {
      await complete({ conclusion: "cancelled", title: "Result withheld", summary: withheld, annotations: [], fullReportHint: "" });
      return { kind: "withheld", why: withheld, checkRun };
    }
    const report = result.report;
    job.setOutput("decision", report.decision);
    job.setOutput("train-delta", trainDelta(report.train.delta));
    await complete(
      verdictCheck(
        job,
        report,
        result.markdown,
        result.changedFiles,
        fullReportHint(job.ctx.runUrl, result.reportPath),
        loaded.config.validate["max-attempts"]
      )
    );
    job.logger.info(`Validation: ${report.decision}. ${report.reason}`);
    return { kind: "done", result, checkRun };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await complete({
      conclusion: "failure",
      title: "Validation could not run",
      summary: `self-harness could not validate this change:

${fencedText(message.slice(0, 4e3))}
`,
      annotations: [],
      fullReportHint: ""
    }).catch(() => void 0);
    throw error;
  }
}

export {
  runValidateJob
};
