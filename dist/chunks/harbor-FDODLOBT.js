import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  harborExceptionOutcome,
  trialOutcome
} from "./chunk-BNPSNPX4.js";
import {
  childEnded,
  superviseTree
} from "./chunk-UW3UH3TH.js";
import {
  external_exports
} from "./chunk-WD63SZHH.js";
import {
  UserError
} from "./chunk-LYOLHC7T.js";
import "./chunk-GSGZFBKP.js";

// src/runners/harbor.ts
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, open, stat as stat2 } from "node:fs/promises";
import path3 from "node:path";

// src/runners/harbor-invocation.ts
import path from "node:path";
var HARBOR_VERSION = "0.13.1";
function harborSettings(config, root) {
  const harbor = config.suite.harbor;
  if (!harbor) throw new UserError('suite.runner is "harbor": add a suite.harbor section (dataset or path, agent or agent-import-path, model).');
  const where = "suite.harbor";
  if (harbor.dataset && harbor.path) throw new UserError(`${where}: set dataset or path, not both.`);
  if (!harbor.dataset && !harbor.path && !config.suite.tasks && !config.suite["tasks-file"]) {
    throw new UserError(
      `${where}: say which tasks Harbor runs: set path (a directory of Harbor tasks) or dataset (e.g. terminal-bench/terminal-bench-2 with suite.tasks-file listing task names).`
    );
  }
  if (!harbor.agent && !harbor["agent-import-path"]) {
    throw new UserError(`${where}: set agent (a built-in Harbor agent such as terminus-2) or agent-import-path (module:Class of your agent).`);
  }
  if (harbor.agent && harbor["agent-import-path"]) throw new UserError(`${where}: set agent or agent-import-path, not both.`);
  const inject = harbor.inject;
  if (inject === "agent-import-path" && !harbor["agent-import-path"]) {
    throw new UserError(`${where}.inject is "agent-import-path": set ${where}.agent-import-path (module:Class found under inject-path).`);
  }
  if ((inject === "prompt-template" || inject === "instruction-file") && !harbor["inject-path"]) {
    throw new UserError(`${where}.inject is "${inject}": set ${where}.inject-path to the harness file handed to Harbor (relative to the repository root).`);
  }
  let injectPath;
  if (harbor["inject-path"] !== void 0 && inject !== "none") {
    const normal = path.posix.normalize(harbor["inject-path"].replace(/\\/g, "/"));
    if (path.posix.isAbsolute(normal) || normal === ".." || normal.startsWith("../")) {
      throw new UserError(`${where}.inject-path: "${harbor["inject-path"]}" must be a path inside the repository (relative, no "..").`);
    }
    injectPath = normal;
  }
  for (const [i, arg] of harbor["extra-args"].entries()) {
    if (RESERVED.has(arg.split("=")[0])) {
      throw new UserError(`${where}.extra-args[${i}]: "${arg}" is set by self-harness for every episode; remove it (use the suite.harbor fields instead).`);
    }
  }
  return {
    executable: harbor.executable,
    ...harbor.dataset ? { dataset: harbor.dataset } : {},
    ...harbor.path ? { path: path.resolve(root, harbor.path) } : {},
    ...harbor.agent ? { agent: harbor.agent } : {},
    ...harbor["agent-import-path"] ? { agentImportPath: harbor["agent-import-path"] } : {},
    ...harbor.model ? { model: harbor.model } : {},
    env: harbor.env,
    nConcurrent: harbor["n-concurrent"] ?? 1,
    inject,
    ...injectPath !== void 0 ? { injectPath } : {},
    extraArgs: harbor["extra-args"]
  };
}
var RESERVED = /* @__PURE__ */ new Set([
  "--path",
  "-p",
  "--dataset",
  "-d",
  "--include-task-name",
  "-i",
  "--task-name",
  "--n-attempts",
  "-k",
  "--jobs-dir",
  "-o",
  "--job-name",
  "--config",
  "-c"
]);
function jobName(taskId, attempt) {
  return `${taskId.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80)}-attempt-${attempt}`;
}
function buildInvocation(settings, target, inheritedPythonPath) {
  const args = ["run"];
  if (settings.dataset) args.push("--dataset", settings.dataset, "--include-task-name", target.taskId);
  else if (target.taskDir) args.push("--path", target.taskDir);
  else if (settings.path) args.push("--path", settings.path, "--include-task-name", target.taskId);
  else
    throw new UserError(
      `task "${target.taskId}" has no directory and suite.harbor has neither path nor dataset; set suite.harbor.dataset for a tasks-file suite.`
    );
  const env = {};
  let injected = settings.injectPath !== void 0 && settings.inject !== "none" ? path.join(target.harnessRoot, settings.injectPath) : void 0;
  if (settings.inject === "agent-import-path") {
    injected ??= target.harnessRoot;
    env.PYTHONPATH = inheritedPythonPath ? `${injected}${path.delimiter}${inheritedPythonPath}` : injected;
    args.push("--agent-import-path", settings.agentImportPath);
  } else if (settings.agent) args.push("--agent", settings.agent);
  else args.push("--agent-import-path", settings.agentImportPath);
  if (settings.model) args.push("--model", settings.model);
  if (settings.inject === "prompt-template") args.push("--agent-kwarg", `prompt_template_path=${injected}`);
  if (settings.inject === "instruction-file") args.push("--extra-instruction-path", injected);
  const name = jobName(target.taskId, target.attempt);
  const jobsDir = path.join(target.outDir, "jobs");
  args.push(
    "--env",
    settings.env,
    "--n-attempts",
    "1",
    "--n-concurrent",
    String(settings.nConcurrent),
    "--jobs-dir",
    jobsDir,
    "--job-name",
    name,
    "--yes",
    ...settings.extraArgs
  );
  return {
    executable: settings.executable,
    args,
    env,
    jobDir: path.join(jobsDir, name),
    ...injected !== void 0 ? { injected } : {}
  };
}
function invocationTemplate(settings) {
  const placeholderPath = settings.path ? "<task-dir>" : void 0;
  const template = buildInvocation(
    { ...settings, ...settings.path ? { path: "<tasks>" } : {} },
    { taskId: "<task>", ...placeholderPath ? { taskDir: placeholderPath } : {}, attempt: 0, harnessRoot: "<harness>", outDir: "<out>" }
  );
  const args = template.args.map((arg) => arg === jobName("<task>", 0) ? "<job>" : arg);
  const env = Object.entries(template.env).map(([key, value]) => `${key}=${value}`);
  return [...env, settings.executable, ...args].map(quote).join(" ");
}
function quote(arg) {
  return /^[A-Za-z0-9_@%+=:,./<>-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

// src/runners/harbor-trial.ts
import { readdir, readFile, stat } from "node:fs/promises";
import path2 from "node:path";
var count = external_exports.number().nullable().optional().catch(void 0);
var TrialResultSchema = external_exports.looseObject({
  trial_name: external_exports.string(),
  agent_result: external_exports.looseObject({ n_input_tokens: count, n_output_tokens: count, cost_usd: count }).nullable().optional().catch(void 0),
  verifier_result: external_exports.looseObject({ rewards: external_exports.record(external_exports.string(), external_exports.unknown()).nullable().optional() }).nullable().optional(),
  exception_info: external_exports.looseObject({ exception_type: external_exports.string(), exception_message: external_exports.string().nullable().optional() }).nullable().optional(),
  finished_at: external_exports.string().nullable().optional().catch(void 0)
});
var MESSAGE_CAP = 2e3;
async function findTrialResults(jobsDir) {
  const found = [];
  for (const job of await subdirs(jobsDir)) {
    for (const trial of await subdirs(job)) {
      const file = path2.join(trial, "result.json");
      const info = await stat(file).catch(() => void 0);
      if (!info?.isFile()) continue;
      const finished = await readFile(file, "utf8").then(
        (text) => /"finished_at"\s*:\s*"([^"]+)"/.exec(text)?.[1] ?? "",
        () => ""
      );
      found.push({ file, order: `${finished}|${info.mtime.toISOString()}` });
    }
  }
  return found.sort((a, b) => a.order < b.order ? 1 : a.order > b.order ? -1 : 0).map((f) => f.file);
}
async function subdirs(dir) {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => path2.join(dir, e.name)).sort();
}
async function readTrialResult(file) {
  let raw;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    return `${file}: not a readable JSON trial result (${error.message})`;
  }
  const parsed = TrialResultSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return `${file}: field "${issue.path.join(".") || "(top level)"}": ${issue.message}; expected a Harbor TrialResult`;
}
function trialReward(rewards) {
  if (!rewards) return void 0;
  const numeric = (v) => typeof v === "number" && Number.isFinite(v) ? v : void 0;
  const main = numeric(rewards.reward);
  const values = main !== void 0 ? [main] : Object.values(rewards).map(numeric).filter((v) => v !== void 0);
  if (values.length === 0) return void 0;
  return values.reduce((a, b) => a + b, 0) / values.length;
}
function mapTrialResult(trial, exitCode) {
  const reward = trialReward(trial.verifier_result?.rewards);
  const exception = trial.exception_info ?? void 0;
  const outcome = trialOutcome(reward, exception?.exception_type);
  let error;
  if (exception) {
    const message = (exception.exception_message ?? "").trim();
    error = {
      type: exception.exception_type,
      message: message.length > MESSAGE_CAP ? `${message.slice(0, MESSAGE_CAP)}...` : message || `Harbor reported ${exception.exception_type}`,
      ...harborExceptionOutcome(exception.exception_type) === "infra-error" ? { infrastructure: true } : {}
    };
  } else if (outcome === "infra-error") {
    error = {
      type: "NoVerifierResult",
      message: `trial ${trial.trial_name} has neither a reward nor an exception: the verifier did not run`,
      infrastructure: true
    };
  }
  const clamped = reward === void 0 ? outcome === "pass" ? 1 : 0 : Math.min(1, Math.max(0, reward));
  const usage = usageOf(trial);
  return { outcome, reward: clamped, exitCode, ...error ? { error } : {}, ...usage ? { usage } : {} };
}
function usageOf(trial) {
  const agent = trial.agent_result;
  if (!agent) return void 0;
  const usage = {};
  if (typeof agent.n_input_tokens === "number") usage.inputTokens = agent.n_input_tokens;
  if (typeof agent.n_output_tokens === "number") usage.outputTokens = agent.n_output_tokens;
  if (typeof agent.cost_usd === "number") usage.costUsd = agent.cost_usd;
  return Object.keys(usage).length > 0 ? usage : void 0;
}

// src/runners/harbor.ts
var TAIL_BYTES = 600;
function createHarborRunner(config, root) {
  return new HarborRunner(harborSettings(config, root), { env: config.suite.env, model: config.suite.model });
}
var HarborRunner = class {
  constructor(settings, options = {}) {
    this.settings = settings;
    this.model = settings.model ?? options.model ?? "";
    this.runCommand = invocationTemplate(settings);
    this.env = options.env ?? {};
    this.killGraceMs = options.killGraceMs ?? 1e4;
  }
  settings;
  name = "harbor";
  model;
  runCommand;
  env;
  killGraceMs;
  async run(request) {
    const { task, attempt, harness, outDir, timeoutMs, signal } = request;
    await mkdir(outDir, { recursive: true });
    const inherited = { ...process.env, ...this.env };
    const invocation = buildInvocation(
      this.settings,
      { taskId: task.id, ...task.dir ? { taskDir: task.dir } : {}, attempt, harnessRoot: harness.root, outDir },
      inherited.PYTHONPATH
    );
    const infra = (type, message, exitCode2 = null) => ({
      outcome: "infra-error",
      reward: 0,
      exitCode: exitCode2,
      error: { type, message, infrastructure: true }
    });
    if (invocation.injected !== void 0 && !existsSync(invocation.injected)) {
      return infra(
        "inject-path-missing",
        `suite.harbor.inject-path: ${path3.relative(harness.root, invocation.injected) || "."} does not exist in harness ${harness.label} (${harness.root}); the harness file handed to Harbor must exist in every version.`
      );
    }
    const stdoutFile = path3.join(outDir, "stdout.txt");
    const stderrFile = path3.join(outDir, "stderr.txt");
    const out = await open(stdoutFile, "w");
    const err = await open(stderrFile, "w");
    let ended;
    let pid;
    try {
      const child = spawn(invocation.executable, invocation.args, {
        cwd: harness.root,
        env: {
          ...inherited,
          ...invocation.env,
          SELF_HARNESS_TASK: task.id,
          SELF_HARNESS_ATTEMPT: String(attempt),
          SELF_HARNESS_OUT: outDir,
          SELF_HARNESS_HARNESS: harness.hash
        },
        detached: true,
        // own process group: the whole tree (Harbor, docker clients) is ended together
        stdio: ["ignore", out.fd, err.fd]
      });
      pid = child.pid;
      ended = childEnded(child);
    } finally {
      await out.close();
      await err.close();
    }
    const { end: exit, timedOut, aborted } = await superviseTree(pid, ended, { timeoutMs, killGraceMs: this.killGraceMs, signal });
    const exitCode = exit.code;
    if (exit.spawnError) {
      const missing = exit.spawnError.code === "ENOENT";
      return infra(
        "harbor-not-started",
        missing ? `"${invocation.executable}" was not found on PATH; install Harbor ${HARBOR_VERSION} (e.g. \`uv tool install harbor==${HARBOR_VERSION}\`) or set suite.harbor.executable` : `could not start "${invocation.executable}": ${exit.spawnError.message}`
      );
    }
    if (aborted) return infra("aborted", "the run was stopped before the episode finished", exitCode);
    const trials = await findTrialResults(path3.join(outDir, "jobs"));
    const trial = trials[0] ? await readTrialResult(trials[0]) : void 0;
    if (timedOut) {
      if (trial && typeof trial !== "string") return mapTrialResult(trial, exitCode);
      return {
        outcome: "timeout",
        reward: 0,
        exitCode,
        error: {
          type: "timeout",
          message: `harbor was killed after the ${Math.round(timeoutMs / 1e3)} s timeout (suite.timeout-seconds) before the trial finished`
        }
      };
    }
    if (typeof trial === "string") return infra("malformed-trial-result", trial, exitCode);
    if (trial) return mapTrialResult(trial, exitCode);
    const tail = await fileTail(stderrFile);
    const detail = tail ? `; stderr ends: ${tail}` : "";
    if (exitCode === 0) {
      return infra(
        "harbor-no-trial",
        `harbor exited 0 but wrote no trial result under ${invocation.jobDir}; check that Harbor knows task "${task.id}"${detail}`,
        exitCode
      );
    }
    return infra(
      "harbor-failed",
      `harbor ${exitCode === null ? `was killed by ${exit.signal ?? "a signal"}` : `exited with code ${exitCode}`} before writing a trial result${detail}`,
      exitCode
    );
  }
};
async function fileTail(file) {
  const info = await stat2(file).catch(() => void 0);
  if (!info || info.size === 0) return "";
  const handle = await open(file, "r");
  try {
    const length = Math.min(info.size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, info.size - length);
    return buffer.toString("utf8").trim();
  } finally {
    await handle.close();
  }
}
export {
  HARBOR_VERSION,
  HarborRunner,
  createHarborRunner
};
