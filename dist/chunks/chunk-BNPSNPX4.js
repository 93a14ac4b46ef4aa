import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  external_exports,
  makeUsage,
  sumUsage
} from "./chunk-WD63SZHH.js";

// src/traces/harbor.ts
import { existsSync as existsSync2 } from "node:fs";
import { dirname as dirname2, join as join3 } from "node:path";

// src/traces/atif.ts
import { existsSync } from "node:fs";
import { basename, dirname, isAbsolute as isAbsolute2, join as join2, resolve as resolve2 } from "node:path";

// src/traces/text.ts
function truncateMiddle(text, maxChars) {
  if (text.length <= maxChars) return text;
  const limit = Math.max(0, Math.floor(maxChars));
  const markerLength = "\u2026[ chars omitted]\u2026".length + String(text.length).length;
  const keep = limit - markerLength;
  if (keep <= 0) return text.slice(0, limit);
  const headLength = Math.ceil(keep / 2);
  const tailLength = keep - headLength;
  const omitted = text.length - headLength - tailLength;
  return `${text.slice(0, headLength)}\u2026[${omitted} chars omitted]\u2026${text.slice(text.length - tailLength)}`;
}
function stepText(step, maxFieldChars = 2e3) {
  const lines = [];
  const field = (text) => truncateMiddle(text.trim(), maxFieldChars);
  lines.push(`[${step.source}]${step.message ? ` ${field(step.message)}` : ""}`);
  if (step.reasoning) lines.push(`thinking: ${field(step.reasoning)}`);
  for (const call of step.toolCalls) {
    lines.push(`\u2192 ${call.name}(${field(call.arguments)})`);
  }
  for (const observation of step.observations) {
    const tags = [];
    if (observation.exitCode !== void 0) tags.push(`exit ${observation.exitCode}`);
    if (observation.isError) tags.push("error");
    const prefix = tags.length > 0 ? `[${tags.join(", ")}] ` : "";
    lines.push(`\u2190 ${prefix}${field(observation.content)}`);
  }
  return lines.join("\n");
}

// src/traces/lenient.ts
var isRecord = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
function issueText(error) {
  const issue = error.issues[0];
  if (!issue) return "does not match the expected shape";
  const path = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return `${path}${issue.message}`;
}
function parseEach(items, schema, label, skipped) {
  const out = [];
  items.forEach((item, index) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push({ index, value: parsed.data });
    else skipped.push(`${label(index)}: ${issueText(parsed.error)}, skipped`);
  });
  return out;
}
function finiteNumber(value) {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return void 0;
}
function noteDropped(raw, parsed, keys, where, skipped) {
  if (!isRecord(raw)) return;
  const values = parsed;
  for (const key of keys) {
    const given = raw[key];
    if (given !== void 0 && given !== null && values[key] === void 0) {
      skipped.push(`${where}${where ? ": " : ""}${key} has the wrong type (${Array.isArray(given) ? "array" : typeof given}), ignored`);
    }
  }
}

// src/traces/content.ts
var MAX_FIELD_CHARS = 16e3;
function contentText(content, attachments) {
  if (content === void 0 || content === null) return "";
  if (typeof content === "string") return resolveAttachment(content, attachments);
  if (Array.isArray(content)) {
    return content.map((part) => partText(part, attachments)).filter((text) => text !== "").join("\n");
  }
  if (isRecord(content)) return partText(content, attachments);
  return String(content);
}
function partText(part, attachments) {
  if (typeof part === "string") return resolveAttachment(part, attachments);
  if (!isRecord(part)) return part === null || part === void 0 ? "" : String(part);
  for (const key of ["text", "content", "reasoning", "refusal"]) {
    const value = part[key];
    if (typeof value === "string") return resolveAttachment(value, attachments);
  }
  if (typeof part.type === "string") return `[${part.type}]`;
  return safeJson(part);
}
function resolveAttachment(text, attachments) {
  if (!attachments || !text.startsWith("attachment://")) return text;
  const value = attachments[text.slice("attachment://".length)];
  return typeof value === "string" ? value : text;
}
function safeJson(value) {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return String(value);
  }
}
function argumentsText(args) {
  if (args === void 0 || args === null) return "{}";
  if (typeof args === "string") return clip(args);
  return clip(safeJson(args));
}
var clip = (text) => truncateMiddle(text, MAX_FIELD_CHARS);
function clipOptional(text) {
  return text === void 0 || text === "" ? void 0 : clip(text);
}

// src/traces/json-file.ts
import { readdir } from "node:fs/promises";
import { join } from "node:path";

// src/traces/confined.ts
import { AsyncLocalStorage } from "node:async_hooks";
import { constants } from "node:fs";
import { lstat, open, realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
var MAX_EPISODE_BYTES = 256 * 1024 * 1024;
var TraceFileRefused = class extends Error {
  name = "TraceFileRefused";
  /** The file's size, when it was refused for being over a cap. */
  size;
};
var scopes = new AsyncLocalStorage();
function withinEpisode(root, read, budget = MAX_EPISODE_BYTES) {
  const absolute = resolve(root);
  return scopes.run({ root: absolute, realRoot: realpath(absolute).catch(() => absolute), bytesLeft: budget, budget }, read);
}
function charge(bytes) {
  const scope = scopes.getStore();
  if (!scope) return;
  if (bytes > scope.bytesLeft) {
    scope.bytesLeft = 0;
    throw new TraceFileRefused(`the episode's artifacts are over the ${mb(scope.budget)} read cap; the rest is not read`);
  }
  scope.bytesLeft -= bytes;
}
var inside = (root, target) => {
  const rel = relative(root, target);
  return rel === "" || !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
};
async function confinementProblem(file) {
  const scope = scopes.getStore();
  if (!scope) return void 0;
  const absolute = resolve(file);
  if (!inside(scope.root, absolute)) return "outside the episode directory, not read";
  const real = await realpath(absolute).catch(() => void 0);
  if (real === void 0) return void 0;
  if (!inside(await scope.realRoot, real)) return "a symlink leading outside the episode directory, not read";
  return void 0;
}
async function openRegular(file, maxBytes = Infinity) {
  const problem = await confinementProblem(file);
  if (problem) throw new TraceFileRefused(problem);
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new TraceFileRefused(`not a regular file (${kind(info)}), not read`);
    if (info.size > maxBytes) {
      const refused = new TraceFileRefused(`${mb(info.size)} is over the ${mb(maxBytes)} cap for this file, not read`);
      refused.size = info.size;
      throw refused;
    }
    return { handle, size: info.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
async function readBytes(file, maxBytes) {
  const { handle, size } = await openRegular(file, maxBytes);
  try {
    charge(size);
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
async function readHead(file, bytes = 4096) {
  const { handle, size } = await openRegular(file);
  try {
    const buffer = Buffer.alloc(Math.min(bytes, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
async function readTail(file, bytes) {
  const { handle, size } = await openRegular(file);
  try {
    const length = Math.min(size, bytes);
    charge(length);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, size - length);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
function readProblem(error) {
  if (error instanceof TraceFileRefused) return error.message;
  return `could not be read: ${error instanceof Error ? error.message : String(error)}`;
}
function kind(info) {
  if (info.isFIFO()) return "a FIFO";
  if (info.isSocket()) return "a socket";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  if (info.isDirectory()) return "a directory";
  return "not a plain file";
}
function mb(bytes) {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

// src/traces/json-file.ts
var MAX_JSON_BYTES = 64 * 1024 * 1024;
function looksBinary(head) {
  if (head.includes(0)) return true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return false;
  } catch {
    return true;
  }
}
async function readJsonFile(file, maxBytes = MAX_JSON_BYTES) {
  let bytes;
  try {
    bytes = await readBytes(file, maxBytes);
  } catch (error) {
    if (error instanceof TraceFileRefused && error.size !== void 0) {
      return {
        ok: false,
        reason: `plain JSON of ${mb(error.size)} is over the ${mb(maxBytes)} cap and was not loaded; write large traces as trace.jsonl or Inspect .eval, which are streamed`
      };
    }
    return { ok: false, reason: readProblem(error) };
  }
  return parseJsonBytes(bytes);
}
function parseJsonBytes(bytes) {
  if (bytes.length === 0) return { ok: false, reason: "empty file (0 bytes)" };
  if (looksBinary(bytes.subarray(0, 8192))) return { ok: false, reason: "binary content, not UTF-8 JSON text" };
  let text = bytes.toString("utf8");
  if (text.charCodeAt(0) === 65279) text = text.slice(1);
  if (text.trim() === "") return { ok: false, reason: "empty file (only whitespace)" };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: jsonErrorReason(text, error) };
  }
}
function jsonErrorReason(text, error) {
  const message = error instanceof Error ? error.message : String(error);
  const truncated = `truncated JSON: the text ends before the document is closed (${text.length} chars read)`;
  if (/end of JSON input/i.test(message)) return truncated;
  const position = /position (\d+)/.exec(message);
  if (!position) return `invalid JSON: ${message}`;
  const at = Number(position[1]);
  if (at >= text.trimEnd().length) return truncated;
  const before = text.slice(0, at);
  const line = before.split("\n").length;
  const column = at - before.lastIndexOf("\n");
  return `invalid JSON at line ${line}, column ${column}: ${message}`;
}
async function jsonFilesUnder(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && /\.jsonl?$/i.test(entry.name)).map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

// src/traces/step-collector.ts
var KEEP_HEAD_STEPS = 1e3;
var KEEP_TAIL_STEPS = 1e3;
var StepCollector = class {
  constructor(keepHead = KEEP_HEAD_STEPS, keepTail = KEEP_TAIL_STEPS) {
    this.keepHead = keepHead;
    this.keepTail = keepTail;
  }
  keepHead;
  keepTail;
  head = [];
  tail = [];
  tailStart = 0;
  omitted = 0;
  count = 0;
  get size() {
    return this.count;
  }
  push(step) {
    this.count += 1;
    if (this.head.length < this.keepHead) {
      this.head.push(step);
      return;
    }
    this.tail.push(step);
    if (this.tail.length - this.tailStart > this.keepTail) {
      this.tailStart += 1;
      this.omitted += 1;
      if (this.tailStart > this.keepTail) {
        this.tail = this.tail.slice(this.tailStart);
        this.tailStart = 0;
      }
    }
  }
  /** The most recent kept step (to attach tool results to). */
  last() {
    if (this.tail.length > this.tailStart) return this.tail[this.tail.length - 1];
    return this.head[this.head.length - 1];
  }
  /** Finds a kept step by predicate, newest first. */
  findRecent(predicate, depth = 50) {
    const all = [...this.head.slice(-depth), ...this.tail.slice(Math.max(this.tailStart, this.tail.length - depth))];
    for (let i = all.length - 1; i >= 0; i -= 1) if (predicate(all[i])) return all[i];
    return void 0;
  }
  finish(skipped) {
    if (this.omitted > 0) {
      skipped.push(
        `${this.omitted} steps in the middle of the trace omitted to bound memory (kept the first ${this.keepHead} and last ${this.keepTail} of ${this.count})`
      );
    }
    return [...this.head, ...this.tail.slice(this.tailStart)];
  }
};

// src/traces/trace-parts.ts
import { relative as relative2, sep as sep2 } from "node:path";
function relPath(file, baseDir) {
  const rel = relative2(baseDir, file);
  const shown = rel === "" || rel.startsWith("..") ? file : rel;
  return shown.split(sep2).join("/");
}
function newTrace(format, file) {
  return { format, file, steps: [], tests: [], skipped: [] };
}

// src/traces/atif.ts
var num = external_exports.number().optional().catch(void 0);
var str = external_exports.string().optional().catch(void 0);
var MetricsSchema = external_exports.object({ prompt_tokens: num, completion_tokens: num, cost_usd: num });
var ToolCallSchema = external_exports.object({
  tool_call_id: str,
  function_name: external_exports.string(),
  arguments: external_exports.unknown().optional()
});
var SubagentRefSchema = external_exports.object({ trajectory_path: str, trajectory_id: str, session_id: str, extra: external_exports.unknown().optional() });
var ResultSchema = external_exports.object({
  source_call_id: str,
  content: external_exports.unknown().optional(),
  subagent_trajectory_ref: external_exports.array(external_exports.unknown()).optional().catch(void 0)
});
var StepSchema = external_exports.object({
  step_id: external_exports.union([external_exports.number(), external_exports.string()]).optional().catch(void 0),
  source: external_exports.string(),
  timestamp: str,
  message: external_exports.unknown().optional(),
  reasoning_content: external_exports.unknown().optional(),
  tool_calls: external_exports.array(external_exports.unknown()).optional().catch(void 0),
  observation: external_exports.object({ results: external_exports.array(external_exports.unknown()).catch([]) }).optional().catch(void 0),
  metrics: MetricsSchema.optional().catch(void 0),
  is_copied_context: external_exports.boolean().optional().catch(void 0)
});
var AtifSchema = external_exports.object({
  schema_version: external_exports.string().regex(/^ATIF/i, { error: "schema_version does not start with ATIF" }),
  session_id: str,
  trajectory_id: str,
  agent: external_exports.object({ name: str, model_name: str }).optional().catch(void 0),
  steps: external_exports.array(external_exports.unknown()),
  final_metrics: external_exports.object({ total_prompt_tokens: num, total_completion_tokens: num, total_cost_usd: num }).optional().catch(void 0),
  continued_trajectory_ref: str,
  subagent_trajectories: external_exports.array(external_exports.unknown()).optional().catch(void 0)
});
function isAtif(doc) {
  return isRecord(doc) && typeof doc.schema_version === "string" && /^ATIF/i.test(doc.schema_version);
}
var MAX_CONTINUATIONS = 100;
async function readAtifFile(file, baseDir, doc) {
  const shown = relPath(file, baseDir);
  const consumed = [];
  let value = doc;
  if (value === void 0) {
    const read = await readJsonFile(file);
    if (!read.ok) return { traces: [], skipped: [{ file: shown, reason: read.reason }], consumed };
    value = read.value;
  }
  const parsed = AtifSchema.safeParse(value);
  if (!parsed.success) {
    return { traces: [], skipped: [{ file: shown, reason: `not an ATIF trajectory: ${issueText(parsed.error)}` }], consumed };
  }
  const trace = newTrace("atif", shown);
  const collector = new StepCollector();
  const subagents = new SubagentResolver(file, parsed.data, consumed);
  let usage = await addSegment(parsed.data, "", trace, collector, subagents);
  let current = parsed.data;
  let currentFile = file;
  const seen = /* @__PURE__ */ new Set([resolve2(file)]);
  for (let n = 1; current.continued_trajectory_ref && n <= MAX_CONTINUATIONS; n += 1) {
    if (leavesDirectory(current.continued_trajectory_ref)) {
      trace.skipped.push(
        `continuation '${current.continued_trajectory_ref}' is an absolute or '..' reference, not followed (trace files are read only inside the episode directory); trace ends early`
      );
      break;
    }
    const next = locateRef(currentFile, current.continued_trajectory_ref);
    if (!next || seen.has(next)) {
      trace.skipped.push(`continuation '${current.continued_trajectory_ref}' not found next to ${basename(currentFile)}; trace ends early`);
      break;
    }
    seen.add(next);
    const read = await readJsonFile(next);
    const cont = read.ok ? AtifSchema.safeParse(read.value) : void 0;
    if (!read.ok || !cont?.success) {
      trace.skipped.push(`continuation ${basename(next)}: ${read.ok ? issueText(cont.error) : read.reason}; trace ends early`);
      break;
    }
    consumed.push(next);
    usage = sumUsage(usage, await addSegment(cont.data, `cont-${n}:`, trace, collector, subagents));
    current = cont.data;
    currentFile = next;
  }
  trace.steps = collector.finish(trace.skipped);
  const final = parsed.data.final_metrics;
  const declared = makeUsage(final?.total_prompt_tokens, final?.total_completion_tokens, final?.total_cost_usd);
  const total = current === parsed.data ? declared ?? usage : usage;
  if (total) trace.usage = total;
  return { traces: [trace], skipped: [], consumed };
}
async function addSegment(doc, idPrefix, trace, collector, subagents) {
  let usage;
  for (const [index, item] of doc.steps.entries()) {
    const parsedStep = StepSchema.safeParse(item);
    if (!parsedStep.success) {
      trace.skipped.push(`${idPrefix}step ${index + 1}: ${issueText(parsedStep.error)}, skipped`);
      continue;
    }
    const raw = parsedStep.data;
    noteDropped(item, raw, ["step_id", "timestamp", "tool_calls", "observation", "metrics"], `${idPrefix}step ${index + 1}`, trace.skipped);
    if (raw.is_copied_context) continue;
    const source = sourceOf(raw.source);
    const ownId = raw.step_id !== void 0 ? String(raw.step_id) : String(index + 1);
    if (!source) {
      trace.skipped.push(`${idPrefix}step ${ownId}: unknown source '${raw.source}', skipped`);
      continue;
    }
    const step = {
      id: `${idPrefix}${ownId}`,
      index: collector.size + 1,
      source,
      toolCalls: toolCallsOf(raw.tool_calls ?? [], `${idPrefix}step ${ownId}`, trace.skipped),
      observations: []
    };
    const message = clipOptional(contentText(raw.message));
    if (message !== void 0) step.message = message;
    const reasoning = clipOptional(contentText(raw.reasoning_content));
    if (reasoning !== void 0) step.reasoning = reasoning;
    if (raw.timestamp) step.timestamp = raw.timestamp;
    const stepUsage = makeUsage(finiteNumber(raw.metrics?.prompt_tokens), finiteNumber(raw.metrics?.completion_tokens), finiteNumber(raw.metrics?.cost_usd));
    if (stepUsage) step.usage = stepUsage;
    usage = sumUsage(usage, stepUsage);
    for (const result of parseEach(raw.observation?.results ?? [], ResultSchema, (i) => `${idPrefix}step ${ownId} result ${i + 1}`, trace.skipped)) {
      step.observations.push(await observationOf(result.value, subagents));
    }
    collector.push(step);
  }
  return usage;
}
function sourceOf(source) {
  const lower = source.toLowerCase();
  if (lower === "system" || lower === "user" || lower === "agent") return lower;
  if (lower === "assistant") return "agent";
  if (lower === "tool" || lower === "environment") return "tool";
  return void 0;
}
function toolCallsOf(raw, where, skipped) {
  return parseEach(raw, ToolCallSchema, (i) => `${where} tool call ${i + 1}`, skipped).map(({ value }) => ({
    ...value.tool_call_id ? { id: value.tool_call_id } : {},
    name: value.function_name,
    arguments: argumentsText(value.arguments)
  }));
}
async function observationOf(result, subagents) {
  const parts = [];
  const text = contentText(result.content);
  if (text !== "") parts.push(text);
  for (const ref of result.subagent_trajectory_ref ?? []) {
    const parsed = SubagentRefSchema.safeParse(ref);
    if (parsed.success) parts.push(await subagents.describe(parsed.data));
  }
  return { ...result.source_call_id ? { callId: result.source_call_id } : {}, content: clip(parts.join("\n")) };
}
var SubagentResolver = class {
  constructor(file, doc, consumed) {
    this.file = file;
    this.doc = doc;
    this.consumed = consumed;
  }
  file;
  doc;
  consumed;
  async describe(ref) {
    const name = ref.trajectory_path ?? ref.trajectory_id ?? ref.session_id ?? "unnamed";
    const embedded = ref.trajectory_id ? this.embedded(ref.trajectory_id) : void 0;
    let sub = embedded;
    if (!sub && ref.trajectory_path && leavesDirectory(ref.trajectory_path)) {
      return `[sub-trajectory ${name}: an absolute or '..' reference, not followed]`;
    }
    if (!sub && ref.trajectory_path) {
      const path = locateRef(this.file, ref.trajectory_path);
      if (path) {
        const read = await readJsonFile(path);
        const parsed = read.ok ? AtifSchema.safeParse(read.value) : void 0;
        if (parsed?.success) {
          sub = parsed.data;
          this.consumed.push(path);
        }
      }
    }
    if (!sub) return `[sub-trajectory ${name}: not found]`;
    const steps = sub.steps.filter((s) => isRecord(s) && s.is_copied_context !== true);
    const lastAgent = [...steps].reverse().find((s) => isRecord(s) && s.source === "agent");
    const summary = lastAgent ? truncateMiddle(stepText(quickStep(lastAgent)), 600) : "";
    return `[sub-trajectory ${name}: ${steps.length} steps]${summary ? ` last: ${summary}` : ""}`;
  }
  embedded(id) {
    for (const raw of this.doc.subagent_trajectories ?? []) {
      const parsed = AtifSchema.safeParse(raw);
      if (parsed.success && parsed.data.trajectory_id === id) return parsed.data;
    }
    return void 0;
  }
};
function quickStep(raw) {
  const record = isRecord(raw) ? raw : {};
  return { id: "", index: 0, source: "agent", message: contentText(record.message), toolCalls: [], observations: [] };
}
function locateRef(fromFile, ref) {
  if (leavesDirectory(ref)) return void 0;
  const dir = dirname(fromFile);
  const direct = resolve2(dir, ref);
  if (existsSync(direct)) return direct;
  const name = basename(fromFile);
  const marker = name.lastIndexOf("trajectory.");
  if (marker > 0 && ref.startsWith("trajectory")) {
    const prefixed = join2(dir, name.slice(0, marker) + basename(ref));
    if (existsSync(prefixed)) return prefixed;
  }
  return void 0;
}
function leavesDirectory(ref) {
  return isAbsolute2(ref) || /^[a-zA-Z]:/.test(ref) || ref.split(/[\\/]/).includes("..") || ref.includes("\0");
}

// src/traces/messages.ts
var ToolCallSchema2 = external_exports.object({
  id: external_exports.string().optional().catch(void 0),
  // OpenAI: function {name, arguments: string}; Inspect: function 'name', arguments {}; others: name.
  function: external_exports.union([external_exports.string(), external_exports.object({ name: external_exports.string(), arguments: external_exports.unknown().optional() })]).optional().catch(void 0),
  name: external_exports.string().optional().catch(void 0),
  arguments: external_exports.unknown().optional()
});
var MessageSchema = external_exports.object({
  role: external_exports.string().optional().catch(void 0),
  type: external_exports.string().optional().catch(void 0),
  content: external_exports.unknown().optional(),
  reasoning_content: external_exports.string().optional().catch(void 0),
  reasoning: external_exports.string().optional().catch(void 0),
  tool_calls: external_exports.array(external_exports.unknown()).optional().catch(void 0),
  function_call: external_exports.object({ name: external_exports.string(), arguments: external_exports.unknown().optional() }).optional().catch(void 0),
  tool_call_id: external_exports.string().optional().catch(void 0),
  function: external_exports.string().optional().catch(void 0),
  name: external_exports.string().optional().catch(void 0),
  error: external_exports.unknown().optional(),
  timestamp: external_exports.string().optional().catch(void 0),
  tokens: external_exports.object({ input: external_exports.number().optional().catch(void 0), output: external_exports.number().optional().catch(void 0) }).optional().catch(void 0)
});
function sourceOf2(role) {
  switch ((role ?? "").toLowerCase()) {
    case "system":
    case "developer":
    case "info":
      return "system";
    case "user":
    case "human":
      return "user";
    case "assistant":
    case "agent":
    case "model":
    case "gemini":
    case "ai":
      return "agent";
    case "tool":
    case "function":
    case "ipython":
      return "tool-result";
    default:
      return void 0;
  }
}
function messagesToSteps(messages, skipped, options = {}) {
  const collector = new StepCollector();
  const label = options.label ?? "message";
  const stepByCallId = /* @__PURE__ */ new Map();
  messages.forEach((raw, position) => {
    const parsed = MessageSchema.safeParse(raw);
    if (!parsed.success) {
      skipped.push(`${label} ${position + 1}: ${issueText(parsed.error)}, skipped`);
      return;
    }
    const message = parsed.data;
    const source = sourceOf2(message.role ?? message.type);
    if (!source) {
      skipped.push(`${label} ${position + 1}: unknown role '${message.role ?? message.type ?? ""}', skipped`);
      return;
    }
    const { text, reasoning } = splitContent(message.content, options.attachments);
    if (source === "tool-result") {
      const observation = { content: clip(text) };
      if (message.tool_call_id) observation.callId = message.tool_call_id;
      const error = errorText(message.error);
      if (error) {
        observation.isError = true;
        observation.content = clip(text && text !== error ? `${text}
[error] ${error}` : error);
      }
      const owner = message.tool_call_id ? stepByCallId.get(message.tool_call_id) : void 0;
      if (owner) {
        owner.observations.push(observation);
        return;
      }
      const index2 = collector.size + 1;
      collector.push({
        id: String(index2),
        index: index2,
        source: "tool",
        toolCalls: [],
        observations: [observation],
        ...message.timestamp ? { timestamp: message.timestamp } : {}
      });
      return;
    }
    const toolCalls = source === "agent" ? toolCallsOf2(message, `${label} ${position + 1}`, skipped) : [];
    const index = collector.size + 1;
    const step = { id: String(index), index, source, toolCalls, observations: [] };
    const messageText = clipOptional(text);
    if (messageText !== void 0) step.message = messageText;
    const thinking = clipOptional(message.reasoning_content ?? message.reasoning ?? reasoning);
    if (thinking !== void 0) step.reasoning = thinking;
    if (message.timestamp) step.timestamp = message.timestamp;
    const usage = makeUsage(finiteNumber(message.tokens?.input), finiteNumber(message.tokens?.output));
    if (usage) step.usage = usage;
    for (const call of toolCalls) if (call.id) stepByCallId.set(call.id, step);
    collector.push(step);
  });
  return collector.finish(skipped);
}
function toolCallsOf2(message, where, skipped) {
  const calls = [];
  (message.tool_calls ?? []).forEach((raw, i) => {
    const parsed = ToolCallSchema2.safeParse(raw);
    const call = parsed.success ? parsed.data : void 0;
    const fn = call?.function;
    const name = typeof fn === "string" ? fn : fn?.name ?? call?.name;
    if (!call || !name) {
      skipped.push(`${where} tool call ${i + 1}: no function name, skipped`);
      return;
    }
    const args = typeof fn === "object" && fn.arguments !== void 0 ? fn.arguments : call.arguments;
    calls.push({ ...call.id ? { id: call.id } : {}, name, arguments: argumentsText(args) });
  });
  if (message.function_call) calls.push({ name: message.function_call.name, arguments: argumentsText(message.function_call.arguments) });
  return calls;
}
function splitContent(content, attachments) {
  if (!Array.isArray(content)) return { text: contentText(content, attachments) };
  const visible = [];
  const thinking = [];
  for (const part of content) {
    if (isRecord(part) && (part.type === "reasoning" || part.type === "thinking")) {
      const value = part.reasoning ?? part.thinking ?? part.text;
      if (typeof value === "string" && value !== "") thinking.push(value);
    } else {
      visible.push(part);
    }
  }
  return { text: contentText(visible, attachments), ...thinking.length > 0 ? { reasoning: thinking.join("\n") } : {} };
}
function errorText(error) {
  if (error === void 0 || error === null || error === false) return void 0;
  if (typeof error === "string") return error;
  if (isRecord(error)) {
    const type = typeof error.type === "string" ? error.type : void 0;
    const message = typeof error.message === "string" ? error.message : void 0;
    if (type || message) return [type, message].filter(Boolean).join(": ");
  }
  return "error";
}

// src/traces/text-actions.ts
var TERMINUS_PARSE_FEEDBACK = /^\s*(?:Previous response had (?:parsing errors|warnings)|ERROR: )/i;
var MAX_PARSE_TRIES = 8;
var RETURN_CODE = /<returncode>\s*(-?\d+)\s*<\/returncode>/;
var BASH_BLOCK = /```(?:bash|sh|shell)?[ \t]*\r?\n([\s\S]*?)(?:\r?\n)?(?:```|`{0,2}\s*$)/g;
function hasKeystrokeJson(steps) {
  return steps.filter((s) => s.source === "agent" && s.toolCalls.length === 0 && s.message).slice(0, 5).some((s) => /"keystrokes"\s*:/.test(s.message) && keystrokeCommands(s.message) !== void 0);
}
function hasReturnCodeTurns(steps) {
  return steps.some((s) => s.source === "user" && RETURN_CODE.test(s.message ?? ""));
}
function textActions(steps, style) {
  const out = [];
  let answering;
  for (const step of steps) {
    if (step.source === "agent" && step.toolCalls.length === 0 && step.message) {
      const calls = style === "keystrokes" ? keystrokeCalls(step.message) : bashBlockCalls(step.message);
      if (calls) {
        const rewritten = { ...step, toolCalls: calls };
        out.push(rewritten);
        answering = rewritten;
        continue;
      }
    } else if (step.source === "user" && answering && step.message !== void 0) {
      out.push({ ...step, source: "tool", message: void 0, observations: [observationOf2(step.message, style)] });
      answering = void 0;
      continue;
    }
    if (step.source !== "system") answering = void 0;
    out.push(step);
  }
  return out;
}
function observationOf2(text, style) {
  if (style === "bash-block") {
    const code = RETURN_CODE.exec(text);
    const output = /<output>\r?\n?([\s\S]*?)<\/output>/.exec(text)?.[1];
    const content = output ?? text.replace(RETURN_CODE, "").trim();
    return code ? { content, exitCode: Number(code[1]) } : { content };
  }
  return TERMINUS_PARSE_FEEDBACK.test(text) ? { content: text, isError: true } : { content: text };
}
function keystrokeCommands(text) {
  const visible = text.replace(/<think>[\s\S]*?<\/think>/g, "");
  const start = visible.indexOf("{");
  if (start < 0) return void 0;
  let tries = 0;
  for (let end = visible.lastIndexOf("}"); end > start && tries < MAX_PARSE_TRIES; end = visible.lastIndexOf("}", end - 1), tries++) {
    let parsed;
    try {
      parsed = JSON.parse(visible.slice(start, end + 1));
    } catch {
      continue;
    }
    if (!isRecord(parsed) || !Array.isArray(parsed.commands)) return void 0;
    const commands = parsed.commands.filter((c) => isRecord(c) && typeof c.keystrokes === "string");
    const complete = parsed.task_complete === true || parsed.is_task_complete === true;
    return { commands, taskComplete: complete };
  }
  return void 0;
}
function keystrokeCalls(text) {
  const reply = keystrokeCommands(text);
  if (!reply) return void 0;
  const calls = reply.commands.map((c) => ({
    name: "keystrokes",
    arguments: JSON.stringify({ keystrokes: c.keystrokes, ...typeof c.duration === "number" ? { duration: c.duration } : {} })
  }));
  if (reply.taskComplete) calls.push({ name: "task_complete", arguments: "{}" });
  return calls.length > 0 ? calls : void 0;
}
function bashBlockCalls(text) {
  const blocks = [...text.matchAll(BASH_BLOCK)].map((m) => m[1].trim()).filter((b) => b !== "");
  if (blocks.length !== 1) return void 0;
  return [{ name: "bash", arguments: JSON.stringify({ command: blocks[0] }) }];
}

// src/traces/openai-chat.ts
function isOpenAIChat(doc) {
  const messages = isRecord(doc) ? doc.messages : void 0;
  if (!Array.isArray(messages) || messages.length === 0) return false;
  const withRole = messages.filter((m) => isRecord(m) && (typeof m.role === "string" || typeof m.type === "string")).length;
  return withRole >= Math.ceil(messages.length / 2);
}
function parseOpenAIChat(doc, file) {
  if (!isOpenAIChat(doc) || !isRecord(doc)) return { reason: "not a chat transcript: no messages[] with roles" };
  const trace = newTrace("openai-chat", file);
  const info = isRecord(doc.info) ? doc.info : void 0;
  const mini = typeof doc.trajectory_format === "string" && doc.trajectory_format.startsWith("mini-swe-agent") || typeof info?.mini_version === "string";
  const exit = mini ? doc.messages.find((m) => isRecord(m) && m.role === "exit") : void 0;
  const messages = doc.messages.filter((m) => m !== exit);
  const choice = Array.isArray(doc.choices) ? doc.choices[0] : void 0;
  if (isRecord(choice) && isRecord(choice.message)) messages.push(choice.message);
  trace.steps = messagesToSteps(messages, trace.skipped);
  if (mini || hasReturnCodeTurns(trace.steps)) {
    trace.format = "mini-swe-agent";
    trace.steps = textActions(trace.steps, "bash-block");
  } else if (hasKeystrokeJson(trace.steps)) {
    trace.format = "terminus";
    trace.steps = textActions(trace.steps, "keystrokes");
  }
  const firstUser = trace.steps.find((s) => s.source === "user" && s.message);
  if (mini && firstUser) trace.instruction = firstUser.message;
  for (const key of ["task_id", "instance_id", "taskId"]) {
    if (typeof doc[key] === "string") {
      trace.taskId = doc[key];
      break;
    }
  }
  const cost = isRecord(info?.model_stats) ? finiteNumber(info.model_stats.instance_cost) : void 0;
  const usage = isRecord(doc.usage) ? makeUsage(finiteNumber(doc.usage.prompt_tokens), finiteNumber(doc.usage.completion_tokens), cost) : makeUsage(void 0, void 0, cost);
  if (usage) trace.usage = usage;
  const exitExtra = isRecord(exit) && isRecord(exit.extra) ? exit.extra : void 0;
  const exitStatus = typeof info?.exit_status === "string" ? info.exit_status : typeof exitExtra?.exit_status === "string" ? exitExtra.exit_status : void 0;
  if (exitStatus !== void 0 && exitStatus !== "Submitted") {
    trace.error = { type: exitStatus, message: `agent exit status ${exitStatus}` };
  }
  return { trace };
}

// src/traces/ctrf.ts
var TestSchema = external_exports.object({
  name: external_exports.string(),
  status: external_exports.string().catch("other"),
  duration: external_exports.unknown().optional(),
  message: external_exports.string().optional().catch(void 0),
  trace: external_exports.string().optional().catch(void 0),
  suite: external_exports.unknown().optional()
});
var CtrfSchema = external_exports.object({
  reportFormat: external_exports.string().optional().catch(void 0),
  results: external_exports.object({
    tool: external_exports.object({ name: external_exports.string().optional().catch(void 0) }).optional().catch(void 0),
    tests: external_exports.array(external_exports.unknown())
  })
});
function isCtrf(doc) {
  return isRecord(doc) && isRecord(doc.results) && Array.isArray(doc.results.tests) && (doc.reportFormat === "CTRF" || isRecord(doc.results.tool) || "summary" in doc.results);
}
var ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
var stripAnsi = (text) => text.replace(ANSI, "");
function parseCtrf(doc, file) {
  const parsed = CtrfSchema.safeParse(doc);
  if (!parsed.success) return { reason: `not a CTRF report: ${issueText(parsed.error)}` };
  const trace = newTrace("ctrf", file);
  const seconds = parsed.data.results.tool?.name?.toLowerCase() === "pytest" && parsed.data.reportFormat === void 0;
  for (const { value } of parseEach(parsed.data.results.tests, TestSchema, (i) => `test ${i + 1}`, trace.skipped)) {
    const test = { name: suitePrefix(value.suite) + value.name, status: statusOf(value.status) };
    const message = [value.message, value.trace].filter((part) => part !== void 0 && part !== "").join("\n");
    if (message) test.message = clip(stripAnsi(message));
    const duration = finiteNumber(value.duration);
    if (duration !== void 0) test.durationMs = seconds ? Math.round(duration * 1e3) : duration;
    trace.tests.push(test);
  }
  summarise(trace);
  return { trace };
}
function suitePrefix(suite) {
  if (typeof suite === "string" && suite !== "") return `${suite} > `;
  if (Array.isArray(suite) && suite.length > 0) return `${suite.join(" > ")} > `;
  return "";
}
function statusOf(status) {
  const lower = status.toLowerCase();
  if (lower === "passed" || lower === "failed" || lower === "skipped") return lower;
  if (lower === "pending") return "skipped";
  return "other";
}
function summarise(trace) {
  const failed = trace.tests.some((t) => t.status === "failed");
  const passed = trace.tests.some((t) => t.status === "passed");
  if (failed) {
    trace.outcome = "fail";
    trace.reward = 0;
  } else if (passed) {
    trace.outcome = "pass";
    trace.reward = 1;
  }
}

// src/traces/trial-doc.ts
async function readTrialDoc(file, baseDir, doc, schema, what) {
  const shown = relPath(file, baseDir);
  let value = doc;
  if (value === void 0) {
    const read = await readJsonFile(file);
    if (!read.ok) return { ok: false, output: { traces: [], skipped: [{ file: shown, reason: read.reason }], consumed: [] } };
    value = read.value;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    return { ok: false, output: { traces: [], skipped: [{ file: shown, reason: `not ${what}: ${issueText(parsed.error)}` }], consumed: [] } };
  return { ok: true, value, data: parsed.data, shown };
}

// src/traces/harbor.ts
var AGENT_TIMEOUTS = /* @__PURE__ */ new Set(["AgentTimeoutError"]);
var AGENT_FAILURES = /* @__PURE__ */ new Set([
  "VerifierTimeoutError",
  "RewardFileNotFoundError",
  "RewardFileEmptyError",
  "VerifierOutputParseError",
  "NonZeroAgentExitCodeError",
  "ContextLengthExceededError",
  "OutputLengthExceededError"
]);
function harborExceptionOutcome(type) {
  const name = type.trim().split(".").pop() ?? "";
  if (AGENT_TIMEOUTS.has(name)) return "timeout";
  if (AGENT_FAILURES.has(name)) return "fail";
  return "infra-error";
}
var num2 = external_exports.number().optional().nullable().catch(void 0);
var str2 = external_exports.string().optional().nullable().catch(void 0);
var TrialResultSchema = external_exports.object({
  trial_name: external_exports.string(),
  task_name: str2,
  task_id: external_exports.unknown().optional(),
  agent_info: external_exports.object({ name: str2, model_info: external_exports.object({ name: str2 }).nullable().optional().catch(void 0) }).nullable().optional().catch(void 0),
  agent_result: external_exports.object({ n_input_tokens: num2, n_output_tokens: num2, cost_usd: num2 }).nullable().optional().catch(void 0),
  verifier_result: external_exports.object({ rewards: external_exports.record(external_exports.string(), external_exports.unknown()).nullable().optional().catch(void 0) }).nullable().optional().catch(void 0),
  exception_info: external_exports.object({ exception_type: external_exports.string(), exception_message: str2 }).nullable().optional().catch(void 0),
  started_at: str2
});
function isHarborTrialResult(doc) {
  return isRecord(doc) && typeof doc.trial_name === "string" && ("verifier_result" in doc || "exception_info" in doc || "agent_info" in doc || "task_checksum" in doc);
}
function isHarborJobResult(doc) {
  return isRecord(doc) && !("trial_name" in doc) && ("n_total_trials" in doc || isRecord(doc.stats) && "evals" in doc.stats);
}
async function readHarborTrial(resultFile, baseDir, doc) {
  const opened = await readTrialDoc(resultFile, baseDir, doc, TrialResultSchema, "a Harbor trial result");
  if (!opened.ok) return opened.output;
  const { value, data: result, shown } = opened;
  const trialDir = dirname2(resultFile);
  const trace = newTrace("harbor", shown);
  noteDropped(value, result, ["task_name", "agent_result", "verifier_result", "exception_info"], "", trace.skipped);
  const consumed = [];
  const skipped = [];
  const taskName = result.task_name ?? taskNameFromTrial(result.trial_name);
  if (taskName) trace.taskId = taskName.split("/").pop();
  let reward = rewardOf(result.verifier_result?.rewards ?? void 0, trace.skipped);
  const verifierReward = await readRewardFiles(trialDir, consumed, trace.skipped);
  if (reward === void 0) reward = verifierReward;
  if (reward !== void 0) trace.reward = reward;
  const exception = result.exception_info ?? void 0;
  if (exception) {
    const kind2 = harborExceptionOutcome(exception.exception_type);
    const error = {
      type: exception.exception_type,
      message: truncateMiddle((exception.exception_message ?? "").trim(), 2e3),
      infrastructure: kind2 === "infra-error"
    };
    trace.error = error;
  }
  trace.outcome = trialOutcome(reward, exception?.exception_type);
  if (trace.outcome === "infra-error" && !exception) {
    trace.error = { type: "NoVerifierResult", message: "the trial has neither a reward nor an exception: the verifier did not run", infrastructure: true };
  }
  let usage = makeUsage(
    finiteNumber(result.agent_result?.n_input_tokens),
    finiteNumber(result.agent_result?.n_output_tokens),
    finiteNumber(result.agent_result?.cost_usd)
  );
  await readAgentSteps(trialDir, baseDir, trace, consumed, skipped);
  if (!usage && trace.usage) usage = trace.usage;
  if (usage) trace.usage = usage;
  const ctrfFile = join3(trialDir, "verifier", "ctrf.json");
  if (existsSync2(ctrfFile)) {
    consumed.push(ctrfFile);
    const read = await readJsonFile(ctrfFile);
    const ctrf = read.ok ? parseCtrf(read.value, relPath(ctrfFile, baseDir)) : void 0;
    if (ctrf && "trace" in ctrf) trace.tests = ctrf.trace.tests;
    else trace.skipped.push(`verifier/ctrf.json: ${read.ok ? ctrf.reason : read.reason}`);
  }
  if (trace.tests.length === 0) await addVerifierOutput(trialDir, trace);
  for (const name of ["config.json", "analysis.json"]) {
    const path = join3(trialDir, name);
    if (existsSync2(path)) consumed.push(path);
  }
  return { traces: [trace], skipped, consumed };
}
function trialOutcome(reward, exceptionType) {
  if (reward !== void 0 && reward >= 1) return "pass";
  if (exceptionType) return harborExceptionOutcome(exceptionType);
  if (reward !== void 0) return "fail";
  return "infra-error";
}
function rewardOf(rewards, skipped) {
  if (!rewards) return void 0;
  const main = finiteNumber(rewards.reward);
  if (main !== void 0) return main;
  const values = Object.values(rewards).map(finiteNumber).filter((v) => v !== void 0);
  if (values.length === 0) {
    if (Object.keys(rewards).length > 0) skipped.push("verifier_result.rewards has no numeric value");
    return void 0;
  }
  return values.reduce((a, b) => a + b, 0) / values.length;
}
async function readRewardFiles(trialDir, consumed, skipped) {
  const jsonFile = join3(trialDir, "verifier", "reward.json");
  if (existsSync2(jsonFile)) {
    consumed.push(jsonFile);
    const read = await readJsonFile(jsonFile, 1024 * 1024);
    if (read.ok && isRecord(read.value)) {
      const reward = rewardOf(read.value, skipped);
      if (reward !== void 0) return reward;
    } else {
      skipped.push(`verifier/reward.json: ${read.ok ? "not a JSON object of named rewards" : read.reason}`);
    }
  }
  const textFile = join3(trialDir, "verifier", "reward.txt");
  if (existsSync2(textFile)) {
    consumed.push(textFile);
    let text;
    try {
      text = (await readBytes(textFile, 4096)).toString("utf8").trim();
    } catch (error) {
      skipped.push(`verifier/reward.txt: ${readProblem(error)}`);
      return void 0;
    }
    const reward = finiteNumber(text);
    if (reward !== void 0) return reward;
    skipped.push(`verifier/reward.txt: not a number (${JSON.stringify(text.slice(0, 40))})`);
  }
  return void 0;
}
async function readAgentSteps(trialDir, baseDir, trace, consumed, skipped) {
  const agentDir = join3(trialDir, "agent");
  const trajectoryFile = join3(agentDir, "trajectory.json");
  const others = (await jsonFilesUnder(agentDir)).filter((f) => f !== trajectoryFile).sort();
  const candidates = existsSync2(trajectoryFile) ? [trajectoryFile] : others;
  for (const file of candidates) {
    const read = await readJsonFile(file);
    if (!read.ok) {
      if (file === trajectoryFile) skipped.push({ file: relPath(file, baseDir), reason: read.reason });
      continue;
    }
    const name = relPath(file, trialDir);
    let found;
    if (isAtif(read.value)) {
      const atif = await readAtifFile(file, baseDir, read.value);
      consumed.push(...atif.consumed);
      found = atif.traces[0];
      if (!found) skipped.push(...atif.skipped);
    } else if (isOpenAIChat(read.value)) {
      const chat = parseOpenAIChat(read.value, relPath(file, baseDir));
      if ("trace" in chat) found = chat.trace;
    } else if (file === trajectoryFile) {
      skipped.push({ file: relPath(file, baseDir), reason: "agent/trajectory.json is not an ATIF trajectory" });
    }
    if (found && found.steps.length > 0) {
      trace.steps = found.steps;
      trace.skipped.push(...found.skipped.map((s) => `${name}: ${s}`));
      if (file !== trajectoryFile) trace.skipped.push(`steps read from ${name} (there is no agent/trajectory.json)`);
      if (found.usage) trace.usage = found.usage;
      break;
    }
  }
  consumed.push(...existsSync2(trajectoryFile) ? [trajectoryFile] : [], ...others);
}
async function addVerifierOutput(trialDir, trace) {
  const file = join3(trialDir, "verifier", "test-stdout.txt");
  if (!existsSync2(file)) return;
  let buffer;
  try {
    buffer = await readTail(file, 64 * 1024);
  } catch (error) {
    trace.skipped.push(`verifier/test-stdout.txt: ${readProblem(error)}`);
    return;
  }
  {
    const index = trace.steps.length + 1;
    trace.steps.push({
      id: "verifier",
      index,
      source: "tool",
      message: "verifier output (verifier/test-stdout.txt)",
      toolCalls: [],
      observations: [{ content: clip(buffer.toString("utf8")) }]
    });
  }
}
function taskNameFromTrial(trialName) {
  const at = trialName.lastIndexOf("__");
  return at > 0 ? trialName.slice(0, at) : void 0;
}
function describeHarborJob(doc) {
  const total = isRecord(doc) ? finiteNumber(doc.n_total_trials) : void 0;
  return `Harbor job summary${total !== void 0 ? ` (${total} trials)` : ""}: not a trace; each trial is read from its own <trial>/result.json`;
}

export {
  TraceFileRefused,
  withinEpisode,
  charge,
  openRegular,
  readBytes,
  readHead,
  readTail,
  readProblem,
  truncateMiddle,
  stepText,
  isRecord,
  issueText,
  finiteNumber,
  noteDropped,
  contentText,
  safeJson,
  argumentsText,
  clip,
  clipOptional,
  MAX_JSON_BYTES,
  looksBinary,
  readJsonFile,
  parseJsonBytes,
  jsonFilesUnder,
  StepCollector,
  relPath,
  newTrace,
  isAtif,
  readAtifFile,
  messagesToSteps,
  hasKeystrokeJson,
  textActions,
  isOpenAIChat,
  parseOpenAIChat,
  isCtrf,
  stripAnsi,
  parseCtrf,
  summarise,
  readTrialDoc,
  harborExceptionOutcome,
  isHarborTrialResult,
  isHarborJobResult,
  readHarborTrial,
  trialOutcome,
  describeHarborJob
};
