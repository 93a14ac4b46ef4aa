import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  debug,
  info,
  routeEvent,
  setFailed,
  setOutput,
  setSecret
} from "./chunks/chunk-SRSIVSPE.js";
import "./chunks/chunk-7UCGPLZP.js";
import {
  UserError
} from "./chunks/chunk-LYOLHC7T.js";
import "./chunks/chunk-GSGZFBKP.js";

// src/action/settings.ts
import path from "node:path";
function envInputReader(env) {
  return (name) => (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
}
function invalid(name, value, allowed) {
  return new UserError(`input "${name}": got ${JSON.stringify(value)}; ${allowed}. Fix it in the workflow's \`with:\` block.`);
}
function positiveInt(read, name, max) {
  const raw = read(name);
  if (raw === "") return void 0;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1 || n > max) throw invalid(name, raw, `expected a whole number from 1 to ${max}`);
  return n;
}
function positiveNumber(read, name) {
  const raw = read(name);
  if (raw === "") return void 0;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(n > 0)) throw invalid(name, raw, "expected a positive number such as 5 or 2.50");
  return n;
}
function isSafeBranchName(name) {
  return isSafeBranchPrefix(name) && !name.endsWith("/") && !name.endsWith(".") && !name.endsWith(".lock");
}
function isSafeBranchPrefix(prefix) {
  return prefix.length > 0 && prefix.length <= 100 && /^[A-Za-z0-9._\-/]+$/.test(prefix) && !prefix.startsWith("/") && !prefix.startsWith("-") && !prefix.includes("..") && !prefix.includes("//") && !prefix.includes(".lock/") && !prefix.split("/").some((part) => part.startsWith("."));
}
function parseSettings(read, workspace) {
  const modeRaw = read("mode") || "auto";
  if (modeRaw !== "auto" && modeRaw !== "evolve" && modeRaw !== "validate") {
    throw invalid("mode", modeRaw, "expected one of auto, evolve, validate");
  }
  const configRaw = read("config") || ".self-harness.yml";
  const configPath = path.resolve(workspace, configRaw);
  const relative = path.relative(workspace, configPath);
  if (relative.startsWith("..") || path.isAbsolute(relative)) {
    throw invalid("config", configRaw, `expected a path inside the workspace ${workspace}`);
  }
  const githubToken = read("github-token");
  if (!githubToken) {
    throw new UserError(
      'input "github-token" is empty. Leave it at its default (${{ github.token }}) or pass a GitHub App token; the job needs `permissions:` for contents, pull-requests and checks (see docs/action.md).'
    );
  }
  const modelBaseUrl = read("model-base-url") || void 0;
  if (modelBaseUrl !== void 0) {
    let ok;
    try {
      ok = ["http:", "https:"].includes(new URL(modelBaseUrl).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw invalid("model-base-url", modelBaseUrl, "expected an http(s) URL of an OpenAI-compatible endpoint, e.g. https://host/v1");
  }
  const branchPrefix = read("branch-prefix") || "self-harness/";
  if (!isSafeBranchPrefix(branchPrefix)) {
    throw invalid("branch-prefix", branchPrefix, 'expected letters, digits, ".", "_", "-" and "/" (no "..", no leading "/", "-" or ".")');
  }
  const labelsRaw = read("labels");
  const labels = (labelsRaw === "" ? "self-harness" : labelsRaw).split(/[\n,]+/).map((label) => label.trim()).filter(Boolean);
  for (const label of labels) {
    if (label.length > 50) throw invalid("labels", label, "each label must be at most 50 characters (comma or newline separated)");
  }
  const checkName = read("check-name") || "self-harness / regression-validation";
  if (checkName.length > 255 || /[\r\n]/.test(checkName)) throw invalid("check-name", checkName, "expected one line of at most 255 characters");
  const inconclusiveRaw = read("inconclusive-conclusion") || "failure";
  if (inconclusiveRaw !== "neutral" && inconclusiveRaw !== "failure") {
    throw invalid(
      "inconclusive-conclusion",
      inconclusiveRaw,
      'expected "neutral" (an inconclusive validation passes a required check) or "failure" (it blocks the merge)'
    );
  }
  const inconclusiveConclusion = inconclusiveRaw;
  const commandPrefix = read("command-prefix") || "/self-harness";
  if (!/^\/[A-Za-z0-9._-]{1,50}$/.test(commandPrefix)) {
    throw invalid("command-prefix", commandPrefix, 'expected "/" followed by letters, digits, ".", "_" or "-" (e.g. /self-harness)');
  }
  const title = read("title") || void 0;
  if (title !== void 0 && (title.length > 256 || /[\r\n]/.test(title))) throw invalid("title", title, "expected one line of at most 256 characters");
  const draftRaw = read("draft") || "false";
  if (draftRaw !== "true" && draftRaw !== "false") throw invalid("draft", draftRaw, "expected true or false");
  const commitMessage = read("commit-message") || void 0;
  if (commitMessage !== void 0 && commitMessage.length > 1e4)
    throw invalid("commit-message", `${commitMessage.slice(0, 40)}...`, "expected at most 10,000 characters");
  const maxAnnotationsRaw = read("max-annotations") || "50";
  if (!/^\d+$/.test(maxAnnotationsRaw) || Number(maxAnnotationsRaw) > 1e3)
    throw invalid("max-annotations", maxAnnotationsRaw, "expected a whole number from 0 to 1000");
  const list = (name, pattern, allowed) => {
    const items = read(name).split(/[\n,]+/).map((item) => item.trim()).filter(Boolean);
    for (const item of items) if (!pattern.test(item)) throw invalid(name, item, allowed);
    return items;
  };
  const reviewers = list("reviewers", /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, "expected GitHub logins (comma or newline separated), e.g. octocat");
  const teamReviewers = list(
    "team-reviewers",
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
    "expected team slugs of this repository's organization (comma or newline separated), e.g. harness-reviewers, without the org/ prefix"
  );
  const base = read("base") || void 0;
  if (base !== void 0 && !isSafeBranchName(base.replace(/^refs\/heads\//, ""))) {
    throw invalid("base", base, 'expected a branch name such as main or release/2.x (letters, digits, ".", "_", "-" and "/")');
  }
  const artifacts = read("artifacts").split(/[\n,]+/).map((item) => item.trim()).filter(Boolean);
  for (const pattern of artifacts) {
    const staticPart = pattern.split("/").filter((segment) => !/[*?[\]{}]/.test(segment));
    const relative2 = path.relative(workspace, path.resolve(workspace, ...staticPart));
    if (path.isAbsolute(pattern) || pattern.split("/").includes("..") || relative2.startsWith("..") || path.isAbsolute(relative2)) {
      throw invalid("artifacts", pattern, `expected paths or globs relative to the workspace ${workspace}, without ".." (comma or newline separated)`);
    }
  }
  return {
    mode: modeRaw,
    configPath,
    githubToken,
    model: read("model") || void 0,
    modelBaseUrl,
    modelApiKey: read("model-api-key") || void 0,
    rounds: positiveInt(read, "rounds", 50),
    budgetEpisodes: positiveInt(read, "budget-episodes", 1e6),
    budgetUsd: positiveNumber(read, "budget-usd"),
    branchPrefix,
    labels,
    checkName,
    inconclusiveConclusion,
    commandPrefix,
    title,
    draft: draftRaw === "true",
    commitMessage,
    maxAnnotations: Number(maxAnnotationsRaw),
    reviewers,
    teamReviewers,
    base: base?.replace(/^refs\/heads\//, ""),
    artifacts
  };
}

// src/action/context.ts
function missing(name) {
  return new UserError(`environment variable ${name} is not set; this entry point runs inside a GitHub Actions job (use the CLI elsewhere).`);
}
async function loadRunContext(env) {
  let context;
  try {
    ({ context } = await import("./chunks/github-FRP5YQTG.js"));
  } catch (error) {
    throw new UserError(`GITHUB_EVENT_PATH ${env.GITHUB_EVENT_PATH ?? ""}: cannot read the event payload (${error.message}).`);
  }
  return runContextFrom(context, env);
}
function runContextFrom(context, env) {
  if (!context.eventName) throw missing("GITHUB_EVENT_NAME");
  if (!env.GITHUB_REPOSITORY) throw missing("GITHUB_REPOSITORY");
  const { owner, repo } = context.repo;
  if (!owner || !repo) throw new UserError(`GITHUB_REPOSITORY: expected "owner/name", got ${JSON.stringify(env.GITHUB_REPOSITORY)}.`);
  if (!env.GITHUB_WORKSPACE) throw missing("GITHUB_WORKSPACE");
  const serverUrl = (context.serverUrl || "https://github.com").replace(/\/+$/, "");
  return {
    eventName: context.eventName,
    payload: context.payload,
    owner,
    repo,
    sha: context.sha ?? "",
    ref: context.ref ?? "",
    workspace: env.GITHUB_WORKSPACE,
    apiUrl: (context.apiUrl || "https://api.github.com").replace(/\/+$/, ""),
    serverUrl,
    runUrl: Number.isFinite(context.runId) ? `${serverUrl}/${owner}/${repo}/actions/runs/${context.runId}` : void 0,
    runnerTemp: env.RUNNER_TEMP || env.TMPDIR || "/tmp"
  };
}

// src/action/main.ts
var SCRUBBED_ENV = ["ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_URL", "GITHUB_TOKEN", "GH_TOKEN"];
function scrubSecrets(env) {
  for (const name of Object.keys(env)) {
    if (name.startsWith("INPUT_") || SCRUBBED_ENV.includes(name)) delete env[name];
  }
}
async function run(flows, env = process.env) {
  const setOutput2 = (name, value) => setOutput(name, String(value));
  try {
    const ctx = await loadRunContext(env);
    const settings = parseSettings(envInputReader(env), ctx.workspace);
    setSecret(settings.githubToken);
    if (settings.modelApiKey) setSecret(settings.modelApiKey);
    scrubSecrets(env);
    for (const name of ["decision", "pr-number", "pr-url", "check-run-id", "check-run-url", "train-delta", "report-path"])
      setOutput2(name, name === "decision" ? "none" : "");
    const route = routeEvent(ctx.eventName, ctx.payload, settings.mode, settings.commandPrefix);
    if (route.kind === "ignore") {
      info(`self-harness: nothing to do (${route.why}).`);
      return;
    }
    const { dispatch } = await import("./chunks/dispatch-KYP2IMOD.js");
    await dispatch({ ctx, settings, route, flows, env, setOutput: setOutput2 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof UserError) && error instanceof Error && error.stack) debug(error.stack);
    setFailed(message);
  }
}

// src/index.ts
void run({
  evolve: async (options) => (await import("./chunks/evolve-YWN76KYC.js")).evolve(options),
  validateRefs: async (options) => (await import("./chunks/validate-refs-HDHHICIR.js")).validateRefs(options)
});
