// Evolve -> (if promoted) the bot's commit on the bot branch -> create or update the bot's PR.
import { runSecrets } from '../domain/secrets.js';
import path from 'node:path';
import type { EvolveResult } from '../domain/flows.js';
import { UserError } from '../domain/types.js';
import { neutralizeReferences } from '../domain/markdown-limit.js';
import { git } from '../git/git.js';
import { classifyChangedPaths, locateProject, policyFromConfig } from '../harness/surface.js';
import { historyFile } from '../propose/history.js';
import type { StartedCheckRun } from '../github/check-run.js';
import type { LoadedConfig } from '../config/schema.js';
import { assertNotDefaultBranch, botBranchName, DEFAULT_BOT_IDENTITY, pushBotBranch } from '../github/branch.js';
import { upsertPull, type UpsertedPull } from '../github/pulls.js';
import { evolvePullTitle, fullReportHint, renderPullBody, type Diversion } from '../report/pr-body.js';
import { trendFromHistory, type TrendPoint } from '../report/trend.js';
import { resolveRunSettings } from '../flows/run-settings.js';
import { budgetOf, defaultBranchOf, group, writeJobSummary, type JobEnv } from './job.js';
import { trainDelta, completedVerdictOn, postCheckRun, verdictCheck } from './check.js';
import { importArtifacts } from './artifacts.js';

export interface EvolveRequest {
  /** Commit evolution starts from (checked out or fetched in the workspace). */
  baseSha: string;
  /** Branch the change targets (the PR's base); the bot branch is `<prefix><target>`. */
  target: string;
  rounds?: number;
  focus?: string;
  trigger: string;
  /** Called right before anything is pushed; throws to refuse (e.g. the PR head moved). */
  beforePush?: () => Promise<void>;
}

export interface EvolveJobResult {
  result: EvolveResult;
  pull?: UpsertedPull;
  diversion?: Diversion;
  pushedBranch?: string;
  /** The completed check on the pushed head (undefined without `checks: write`). */
  checkRun?: StartedCheckRun;
}

/**
 * Why each changed path (repo-relative) may not be pushed, by the one surface rule; the candidate history travels
 * with the change on purpose (lineage): it is bookkeeping, not harness.
 */
export function surfaceRefusals(changed: readonly string[], loaded: LoadedConfig, configDir: string): string[] {
  const history = historyPathInRepo(loaded, configDir);
  return classifyChangedPaths(
    changed.filter((file) => file !== history),
    { policy: policyFromConfig(loaded), configDir },
  ).outside.map((o) => o.reason);
}

/** The committed candidate history's path relative to the repository root (git's view). */
function historyPathInRepo(loaded: LoadedConfig, configDir: string): string {
  return path.posix.join(configDir, path.relative(loaded.root, historyFile(loaded.root)).split(path.sep).join('/'));
}

/** The promoted versions in the history committed with `commit` (none when it has no history file). */
async function trendAt(job: JobEnv, commit: string): Promise<TrendPoint[]> {
  const { configDir } = await locateProject(job.loaded);
  try {
    return trendFromHistory(await git(['show', `${commit}:${historyPathInRepo(job.loaded, configDir)}`], { cwd: job.ctx.workspace }));
  } catch {
    return [];
  }
}

/** Fails closed if the promoted tree touches anything outside the harness surface (the core checks too; this is the gate before a push). */
async function assertOnSurface(job: JobEnv, result: EvolveResult): Promise<void> {
  const cwd = job.ctx.workspace;
  const { configDir } = await locateProject(job.loaded);
  const changed = (await git(['diff', '--name-only', '--no-renames', '-z', result.baseCommit, result.commit!, '--'], { cwd })).split('\0').filter(Boolean);
  const refused = surfaceRefusals(changed, job.loaded, configDir);
  if (refused.length > 0) {
    throw new UserError(
      `refusing to push: the promoted change touches files outside the harness surface:\n${refused.join('\n')}\nCheck harness.include/exclude in ${job.loaded.path}.`,
    );
  }
}

/**
 * The check run on the pushed head, completed with the report this run just computed: pushes made with
 * GITHUB_TOKEN start no workflow, so nothing else would ever post it, and with an App token the pull_request run
 * finds it and does not validate the same commit again. An unchanged head that already has a verdict keeps it.
 */
async function postEvolveCheck(job: JobEnv, result: EvolveResult, headSha: string, unchanged: boolean): Promise<StartedCheckRun | undefined> {
  if (unchanged) {
    const existing = await completedVerdictOn(job, headSha);
    if (existing) {
      job.logger.info(`${headSha.slice(0, 12)} already carries a completed "${job.settings.checkName}" check (${existing.conclusion}); kept.`);
      job.setOutput('check-run-id', existing.id);
      if (existing.htmlUrl) job.setOutput('check-run-url', existing.htmlUrl);
      return { id: existing.id, htmlUrl: existing.htmlUrl };
    }
  }
  if (!result.validation) {
    job.logger.warn('The promoted change carries no validation report; no check run was posted. Comment `/self-harness validate` on the PR to get one.');
    return undefined;
  }
  const check = verdictCheck(
    job,
    result.validation,
    result.markdown,
    result.changedFiles,
    fullReportHint(job.ctx.runUrl, result.reportPath),
    job.loaded.config.validate['max-attempts'],
  );
  return postCheckRun(job, headSha, check);
}

/** Re-commits the promoted tree as one commit by the bot on top of the base: the author check relies on it. */
async function botCommit(cwd: string, result: EvolveResult, baseSha: string, commitMessage?: string): Promise<string> {
  const tree = await git(['rev-parse', `${result.commit}^{tree}`], { cwd });
  // The reason may quote model or trace text: a commit message renders mentions and references on GitHub too.
  const message =
    commitMessage !== undefined
      ? `${commitMessage.replace(/\n*$/, '')}\n`
      : `self-harness: harness change (${result.decision})\n\n${neutralizeReferences(result.reason)}\n`;
  const bot = DEFAULT_BOT_IDENTITY;
  return git(['commit-tree', tree, '-p', baseSha, '-F', '-'], {
    cwd,
    input: message,
    env: { GIT_AUTHOR_NAME: bot.name, GIT_AUTHOR_EMAIL: bot.email, GIT_COMMITTER_NAME: bot.name, GIT_COMMITTER_EMAIL: bot.email },
  });
}

export async function runEvolveJob(job: JobEnv, request: EvolveRequest): Promise<EvolveJobResult> {
  const defaultBranch = await defaultBranchOf(job);
  const branch = botBranchName(job.settings.branchPrefix, request.target);
  // Checked before any work, again by the push itself.
  assertNotDefaultBranch(branch, defaultBranch);
  if (branch === request.target) throw new UserError(`branch-prefix "${job.settings.branchPrefix}" makes the bot branch equal the target "${request.target}".`);

  const { rounds } = resolveRunSettings(job.loaded.config, { rounds: request.rounds ?? job.settings.rounds });
  if (job.settings.artifacts.length > 0) await group('Import artifacts', () => importArtifacts(job, request.baseSha));
  const result = await group(`self-harness evolve (${rounds} round${rounds === 1 ? '' : 's'}) from ${request.baseSha.slice(0, 12)}`, () =>
    job.flows.evolve({
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
      logger: job.logger,
    }),
  );
  job.setOutput('decision', result.decision);
  job.setOutput('report-path', result.reportPath);
  if (result.validation) job.setOutput('train-delta', trainDelta(result.validation.train.delta));
  await writeJobSummary(result.markdown);
  job.logger.info(`Decision: ${result.decision}. ${result.reason}`);
  if (result.decision !== 'promote' || !result.commit) return { result };

  const cwd = job.ctx.workspace;
  await assertOnSurface(job, result);
  const commit = await botCommit(cwd, result, result.baseCommit, job.settings.commitMessage);
  if (request.beforePush) await request.beforePush();
  const { plan } = await group(`Push ${branch}`, () =>
    pushBotBranch({ cwd, token: job.settings.githubToken, branch, defaultBranch, newCommit: commit, baseCommit: result.baseCommit }),
  );
  const pushed = plan.kind === 'unchanged' ? plan.tip : commit;
  if (plan.kind === 'unchanged') job.logger.info(`${branch} already holds this change; nothing pushed.`);
  const diversion = plan.kind === 'divert' ? { blockedBranch: plan.blockedBranch, foreign: plan.foreign } : undefined;
  if (diversion) job.logger.warn(`${branch} has commits by someone else; pushed to ${plan.branch} instead and left theirs untouched.`);

  const trend = await trendAt(job, pushed);
  const checkRun = await group(`Check run on ${pushed.slice(0, 12)}`, () => postEvolveCheck(job, result, pushed, plan.kind === 'unchanged'));
  const pull = await group('Create or update the pull request', () =>
    upsertPull(job.github, job.repo, {
      head: plan.branch,
      base: request.target,
      title: job.settings.title ?? evolvePullTitle(result, request.target),
      draft: job.settings.draft,
      reviewers: job.settings.reviewers,
      teamReviewers: job.settings.teamReviewers,
      body: renderPullBody({ result, commit: pushed, target: request.target, trigger: request.trigger, diversion, runUrl: job.ctx.runUrl, trend }),
      labels: job.settings.labels,
      fullReportHint: fullReportHint(job.ctx.runUrl, result.reportPath),
    }),
  );
  job.logger.info(`Pull request #${pull.number} ${pull.operation}: ${pull.url}`);
  if (pull.reviewersError)
    job.logger.warn(
      `Could not request reviewers on #${pull.number} (${pull.reviewersError}); check the reviewers and team-reviewers inputs (a person must be a collaborator, a team must have access; teams need a token that can read the organization).`,
    );
  job.setOutput('pr-number', pull.number);
  job.setOutput('pr-url', pull.url);
  return { result, pull, diversion, pushedBranch: plan.branch, checkRun };
}
