import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  require_tunnel,
  require_undici
} from "./chunk-7UCGPLZP.js";
import {
  __toESM
} from "./chunk-GSGZFBKP.js";

// node_modules/@actions/core/lib/command.js
import * as os from "os";

// node_modules/@actions/core/lib/utils.js
function toCommandValue(input) {
  if (input === null || input === void 0) {
    return "";
  } else if (typeof input === "string" || input instanceof String) {
    return input;
  }
  return JSON.stringify(input);
}
function toCommandProperties(annotationProperties) {
  if (!Object.keys(annotationProperties).length) {
    return {};
  }
  return {
    title: annotationProperties.title,
    file: annotationProperties.file,
    line: annotationProperties.startLine,
    endLine: annotationProperties.endLine,
    col: annotationProperties.startColumn,
    endColumn: annotationProperties.endColumn
  };
}

// node_modules/@actions/core/lib/command.js
function issueCommand(command, properties, message) {
  const cmd = new Command(command, properties, message);
  process.stdout.write(cmd.toString() + os.EOL);
}
function issue(name, message = "") {
  issueCommand(name, {}, message);
}
var CMD_STRING = "::";
var Command = class {
  constructor(command, properties, message) {
    if (!command) {
      command = "missing.command";
    }
    this.command = command;
    this.properties = properties;
    this.message = message;
  }
  toString() {
    let cmdStr = CMD_STRING + this.command;
    if (this.properties && Object.keys(this.properties).length > 0) {
      cmdStr += " ";
      let first = true;
      for (const key in this.properties) {
        if (this.properties.hasOwnProperty(key)) {
          const val = this.properties[key];
          if (val) {
            if (first) {
              first = false;
            } else {
              cmdStr += ",";
            }
            cmdStr += `${key}=${escapeProperty(val)}`;
          }
        }
      }
    }
    cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
    return cmdStr;
  }
};
function escapeData(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// node_modules/@actions/core/lib/file-command.js
import * as crypto from "crypto";
import * as fs from "fs";
import * as os2 from "os";
function issueFileCommand(command, message) {
  const filePath = process.env[`GITHUB_${command}`];
  if (!filePath) {
    throw new Error(`Unable to find environment variable for file command ${command}`);
  }
  if (!fs.existsSync(filePath)) {
    throw new Error(`Missing file at path: ${filePath}`);
  }
  fs.appendFileSync(filePath, `${toCommandValue(message)}${os2.EOL}`, {
    encoding: "utf8"
  });
}
function prepareKeyValueMessage(key, value) {
  const delimiter2 = `ghadelimiter_${crypto.randomUUID()}`;
  const convertedValue = toCommandValue(value);
  if (key.includes(delimiter2)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter2}"`);
  }
  if (convertedValue.includes(delimiter2)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter2}"`);
  }
  return `${key}<<${delimiter2}${os2.EOL}${convertedValue}${os2.EOL}${delimiter2}`;
}

// node_modules/@actions/core/lib/core.js
import * as os4 from "os";
import * as path from "path";

// node_modules/@actions/http-client/lib/index.js
var tunnel = __toESM(require_tunnel(), 1);
var import_undici = __toESM(require_undici(), 1);
var HttpCodes;
(function(HttpCodes2) {
  HttpCodes2[HttpCodes2["OK"] = 200] = "OK";
  HttpCodes2[HttpCodes2["MultipleChoices"] = 300] = "MultipleChoices";
  HttpCodes2[HttpCodes2["MovedPermanently"] = 301] = "MovedPermanently";
  HttpCodes2[HttpCodes2["ResourceMoved"] = 302] = "ResourceMoved";
  HttpCodes2[HttpCodes2["SeeOther"] = 303] = "SeeOther";
  HttpCodes2[HttpCodes2["NotModified"] = 304] = "NotModified";
  HttpCodes2[HttpCodes2["UseProxy"] = 305] = "UseProxy";
  HttpCodes2[HttpCodes2["SwitchProxy"] = 306] = "SwitchProxy";
  HttpCodes2[HttpCodes2["TemporaryRedirect"] = 307] = "TemporaryRedirect";
  HttpCodes2[HttpCodes2["PermanentRedirect"] = 308] = "PermanentRedirect";
  HttpCodes2[HttpCodes2["BadRequest"] = 400] = "BadRequest";
  HttpCodes2[HttpCodes2["Unauthorized"] = 401] = "Unauthorized";
  HttpCodes2[HttpCodes2["PaymentRequired"] = 402] = "PaymentRequired";
  HttpCodes2[HttpCodes2["Forbidden"] = 403] = "Forbidden";
  HttpCodes2[HttpCodes2["NotFound"] = 404] = "NotFound";
  HttpCodes2[HttpCodes2["MethodNotAllowed"] = 405] = "MethodNotAllowed";
  HttpCodes2[HttpCodes2["NotAcceptable"] = 406] = "NotAcceptable";
  HttpCodes2[HttpCodes2["ProxyAuthenticationRequired"] = 407] = "ProxyAuthenticationRequired";
  HttpCodes2[HttpCodes2["RequestTimeout"] = 408] = "RequestTimeout";
  HttpCodes2[HttpCodes2["Conflict"] = 409] = "Conflict";
  HttpCodes2[HttpCodes2["Gone"] = 410] = "Gone";
  HttpCodes2[HttpCodes2["TooManyRequests"] = 429] = "TooManyRequests";
  HttpCodes2[HttpCodes2["InternalServerError"] = 500] = "InternalServerError";
  HttpCodes2[HttpCodes2["NotImplemented"] = 501] = "NotImplemented";
  HttpCodes2[HttpCodes2["BadGateway"] = 502] = "BadGateway";
  HttpCodes2[HttpCodes2["ServiceUnavailable"] = 503] = "ServiceUnavailable";
  HttpCodes2[HttpCodes2["GatewayTimeout"] = 504] = "GatewayTimeout";
})(HttpCodes || (HttpCodes = {}));
var Headers;
(function(Headers2) {
  Headers2["Accept"] = "accept";
  Headers2["ContentType"] = "content-type";
})(Headers || (Headers = {}));
var MediaTypes;
(function(MediaTypes2) {
  MediaTypes2["ApplicationJson"] = "application/json";
})(MediaTypes || (MediaTypes = {}));
var HttpRedirectCodes = [
  HttpCodes.MovedPermanently,
  HttpCodes.ResourceMoved,
  HttpCodes.SeeOther,
  HttpCodes.TemporaryRedirect,
  HttpCodes.PermanentRedirect
];
var HttpResponseRetryCodes = [
  HttpCodes.BadGateway,
  HttpCodes.ServiceUnavailable,
  HttpCodes.GatewayTimeout
];

// node_modules/@actions/core/lib/summary.js
import { EOL as EOL3 } from "os";
import { constants, promises } from "fs";
var __awaiter = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve) {
      resolve(value);
    });
  }
  return new (P || (P = Promise))(function(resolve, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var { access, appendFile, writeFile } = promises;
var SUMMARY_ENV_VAR = "GITHUB_STEP_SUMMARY";
var Summary = class {
  constructor() {
    this._buffer = "";
  }
  /**
   * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
   * Also checks r/w permissions.
   *
   * @returns step summary file path
   */
  filePath() {
    return __awaiter(this, void 0, void 0, function* () {
      if (this._filePath) {
        return this._filePath;
      }
      const pathFromEnv = process.env[SUMMARY_ENV_VAR];
      if (!pathFromEnv) {
        throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
      }
      try {
        yield access(pathFromEnv, constants.R_OK | constants.W_OK);
      } catch (_a) {
        throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
      }
      this._filePath = pathFromEnv;
      return this._filePath;
    });
  }
  /**
   * Wraps content in an HTML tag, adding any HTML attributes
   *
   * @param {string} tag HTML tag to wrap
   * @param {string | null} content content within the tag
   * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
   *
   * @returns {string} content wrapped in HTML element
   */
  wrap(tag, content, attrs = {}) {
    const htmlAttrs = Object.entries(attrs).map(([key, value]) => ` ${key}="${value}"`).join("");
    if (!content) {
      return `<${tag}${htmlAttrs}>`;
    }
    return `<${tag}${htmlAttrs}>${content}</${tag}>`;
  }
  /**
   * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
   *
   * @param {SummaryWriteOptions} [options] (optional) options for write operation
   *
   * @returns {Promise<Summary>} summary instance
   */
  write(options) {
    return __awaiter(this, void 0, void 0, function* () {
      const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
      const filePath = yield this.filePath();
      const writeFunc = overwrite ? writeFile : appendFile;
      yield writeFunc(filePath, this._buffer, { encoding: "utf8" });
      return this.emptyBuffer();
    });
  }
  /**
   * Clears the summary buffer and wipes the summary file
   *
   * @returns {Summary} summary instance
   */
  clear() {
    return __awaiter(this, void 0, void 0, function* () {
      return this.emptyBuffer().write({ overwrite: true });
    });
  }
  /**
   * Returns the current summary buffer as a string
   *
   * @returns {string} string of summary buffer
   */
  stringify() {
    return this._buffer;
  }
  /**
   * If the summary buffer is empty
   *
   * @returns {boolen} true if the buffer is empty
   */
  isEmptyBuffer() {
    return this._buffer.length === 0;
  }
  /**
   * Resets the summary buffer without writing to summary file
   *
   * @returns {Summary} summary instance
   */
  emptyBuffer() {
    this._buffer = "";
    return this;
  }
  /**
   * Adds raw text to the summary buffer
   *
   * @param {string} text content to add
   * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
   *
   * @returns {Summary} summary instance
   */
  addRaw(text, addEOL = false) {
    this._buffer += text;
    return addEOL ? this.addEOL() : this;
  }
  /**
   * Adds the operating system-specific end-of-line marker to the buffer
   *
   * @returns {Summary} summary instance
   */
  addEOL() {
    return this.addRaw(EOL3);
  }
  /**
   * Adds an HTML codeblock to the summary buffer
   *
   * @param {string} code content to render within fenced code block
   * @param {string} lang (optional) language to syntax highlight code
   *
   * @returns {Summary} summary instance
   */
  addCodeBlock(code, lang) {
    const attrs = Object.assign({}, lang && { lang });
    const element = this.wrap("pre", this.wrap("code", code), attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML list to the summary buffer
   *
   * @param {string[]} items list of items to render
   * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
   *
   * @returns {Summary} summary instance
   */
  addList(items, ordered = false) {
    const tag = ordered ? "ol" : "ul";
    const listItems = items.map((item) => this.wrap("li", item)).join("");
    const element = this.wrap(tag, listItems);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML table to the summary buffer
   *
   * @param {SummaryTableCell[]} rows table rows
   *
   * @returns {Summary} summary instance
   */
  addTable(rows) {
    const tableBody = rows.map((row) => {
      const cells = row.map((cell) => {
        if (typeof cell === "string") {
          return this.wrap("td", cell);
        }
        const { header, data, colspan, rowspan } = cell;
        const tag = header ? "th" : "td";
        const attrs = Object.assign(Object.assign({}, colspan && { colspan }), rowspan && { rowspan });
        return this.wrap(tag, data, attrs);
      }).join("");
      return this.wrap("tr", cells);
    }).join("");
    const element = this.wrap("table", tableBody);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds a collapsable HTML details element to the summary buffer
   *
   * @param {string} label text for the closed state
   * @param {string} content collapsable content
   *
   * @returns {Summary} summary instance
   */
  addDetails(label, content) {
    const element = this.wrap("details", this.wrap("summary", label) + content);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML image tag to the summary buffer
   *
   * @param {string} src path to the image you to embed
   * @param {string} alt text description of the image
   * @param {SummaryImageOptions} options (optional) addition image attributes
   *
   * @returns {Summary} summary instance
   */
  addImage(src, alt, options) {
    const { width, height } = options || {};
    const attrs = Object.assign(Object.assign({}, width && { width }), height && { height });
    const element = this.wrap("img", null, Object.assign({ src, alt }, attrs));
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML section heading element
   *
   * @param {string} text heading text
   * @param {number | string} [level=1] (optional) the heading level, default: 1
   *
   * @returns {Summary} summary instance
   */
  addHeading(text, level) {
    const tag = `h${level}`;
    const allowedTag = ["h1", "h2", "h3", "h4", "h5", "h6"].includes(tag) ? tag : "h1";
    const element = this.wrap(allowedTag, text);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML thematic break (<hr>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addSeparator() {
    const element = this.wrap("hr", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML line break (<br>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addBreak() {
    const element = this.wrap("br", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML blockquote to the summary buffer
   *
   * @param {string} text quote text
   * @param {string} cite (optional) citation url
   *
   * @returns {Summary} summary instance
   */
  addQuote(text, cite) {
    const attrs = Object.assign({}, cite && { cite });
    const element = this.wrap("blockquote", text, attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML anchor tag to the summary buffer
   *
   * @param {string} text link text/content
   * @param {string} href hyperlink
   *
   * @returns {Summary} summary instance
   */
  addLink(text, href) {
    const element = this.wrap("a", text, { href });
    return this.addRaw(element).addEOL();
  }
};
var _summary = new Summary();
var summary = _summary;

// node_modules/@actions/core/lib/platform.js
import os3 from "os";

// node_modules/@actions/io/lib/io-util.js
import * as fs2 from "fs";
var { chmod, copyFile, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, symlink, unlink } = fs2.promises;
var IS_WINDOWS = process.platform === "win32";
var READONLY = fs2.constants.O_RDONLY;

// node_modules/@actions/exec/lib/toolrunner.js
var IS_WINDOWS2 = process.platform === "win32";

// node_modules/@actions/core/lib/platform.js
var platform = os3.platform();
var arch = os3.arch();

// node_modules/@actions/core/lib/core.js
var __awaiter2 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve) {
      resolve(value);
    });
  }
  return new (P || (P = Promise))(function(resolve, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var ExitCode;
(function(ExitCode2) {
  ExitCode2[ExitCode2["Success"] = 0] = "Success";
  ExitCode2[ExitCode2["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
function setSecret(secret) {
  issueCommand("add-mask", {}, secret);
}
function addPath(inputPath) {
  const filePath = process.env["GITHUB_PATH"] || "";
  if (filePath) {
    issueFileCommand("PATH", inputPath);
  } else {
    issueCommand("add-path", {}, inputPath);
  }
  process.env["PATH"] = `${inputPath}${path.delimiter}${process.env["PATH"]}`;
}
function setOutput(name, value) {
  const filePath = process.env["GITHUB_OUTPUT"] || "";
  if (filePath) {
    return issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
  }
  process.stdout.write(os4.EOL);
  issueCommand("set-output", { name }, toCommandValue(value));
}
function setFailed(message) {
  process.exitCode = ExitCode.Failure;
  error(message);
}
function debug(message) {
  issueCommand("debug", {}, message);
}
function error(message, properties = {}) {
  issueCommand("error", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function warning(message, properties = {}) {
  issueCommand("warning", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function info(message) {
  process.stdout.write(message + os4.EOL);
}
function startGroup(name) {
  issue("group", name);
}
function endGroup() {
  issue("endgroup");
}
function group(name, fn) {
  return __awaiter2(this, void 0, void 0, function* () {
    startGroup(name);
    let result;
    try {
      result = yield fn();
    } finally {
      endGroup();
    }
    return result;
  });
}

// src/github/fork.ts
function headIsFork(headRepoFullName, baseRepoFullName) {
  if (!headRepoFullName || !baseRepoFullName) return true;
  return headRepoFullName.toLowerCase() !== baseRepoFullName.toLowerCase();
}

// src/action/route.ts
var MAX_COMMAND_ROUNDS = 20;
var MAX_COMMAND_ATTEMPTS = 64;
var MAX_FOCUS_CHARS = 200;
function commandUsage(prefix) {
  return `\`${prefix} evolve [rounds=N] [focus=TEXT]\` or \`${prefix} validate [attempts=N]\``;
}
function parseCommand(body, prefix) {
  const firstLine = (body.split(/\r?\n/, 1)[0] ?? "").replace(/^[ \t]+|[ \t]+$/g, "");
  if (firstLine !== prefix && !firstLine.startsWith(`${prefix} `) && !firstLine.startsWith(`${prefix}	`)) return null;
  const rest = firstLine.slice(prefix.length).replace(/^[ \t]+/, "");
  const verbMatch = /^(\S+)(?:[ \t]+(.*))?$/.exec(rest);
  if (!verbMatch) return { error: `missing command; use ${commandUsage(prefix)}` };
  const verb = verbMatch[1];
  let args = verbMatch[2] ?? "";
  if (verb === "validate") {
    const rest2 = args.trim();
    if (rest2 === "") return { verb: "validate" };
    const attempts = /^attempts=(\d{1,3})$/.exec(rest2);
    if (!attempts) return { error: `\`validate\` takes only \`attempts=N\`, got ${JSON.stringify(rest2.slice(0, 60))}` };
    const n = Number(attempts[1]);
    if (n < 1 || n > MAX_COMMAND_ATTEMPTS) return { error: `\`attempts=\` must be from 1 to ${MAX_COMMAND_ATTEMPTS}, got ${n}` };
    return { verb: "validate", attempts: n };
  }
  if (verb !== "evolve") return { error: `unknown command ${JSON.stringify(verb.slice(0, 40))}; use ${commandUsage(prefix)}` };
  const command = { verb: "evolve" };
  while (args.trim() !== "") {
    args = args.replace(/^[ \t]+/, "");
    if (args.startsWith("focus=")) {
      const focus = args.slice("focus=".length).replace(/[\u0000-\u001f\u007f]/g, " ").trim();
      if (focus === "") return { error: "`focus=` needs a text, e.g. focus=timeouts in the build step" };
      if (focus.length > MAX_FOCUS_CHARS) return { error: `\`focus=\` is limited to ${MAX_FOCUS_CHARS} characters` };
      command.focus = focus;
      break;
    }
    const token = /^\S+/.exec(args)[0];
    args = args.slice(token.length);
    const rounds = /^rounds=(\d{1,3})$/.exec(token);
    if (rounds) {
      if (command.rounds !== void 0) return { error: "`rounds=` given twice" };
      const n = Number(rounds[1]);
      if (n < 1 || n > MAX_COMMAND_ROUNDS) return { error: `\`rounds=\` must be from 1 to ${MAX_COMMAND_ROUNDS}, got ${n}` };
      command.rounds = n;
      continue;
    }
    return { error: `unknown argument ${JSON.stringify(token.slice(0, 40))}; use ${commandUsage(prefix)}` };
  }
  return command;
}
function pullRefFrom(pull) {
  if (!pull || typeof pull.number !== "number" || typeof pull.head?.sha !== "string" || typeof pull.base?.sha !== "string") return void 0;
  const headRepo = pull.head?.repo?.full_name;
  const baseRepo = pull.base?.repo?.full_name;
  return {
    number: pull.number,
    headSha: pull.head.sha,
    headRef: String(pull.head.ref ?? ""),
    baseSha: pull.base.sha,
    baseRef: String(pull.base.ref ?? ""),
    fromFork: headIsFork(headRepo, baseRepo)
  };
}
var PULL_ACTIONS = /* @__PURE__ */ new Set(["opened", "synchronize", "reopened"]);
function routeEvent(eventName, payload, mode, commandPrefix) {
  const route = autoRoute(eventName, payload, commandPrefix);
  if (mode === "evolve" && eventName === "push") return { kind: "evolve", why: "mode evolve on a push" };
  if (mode === "auto" || route.kind === "ignore") return route;
  if (mode === "evolve") {
    if (route.kind === "evolve") return route;
    if (route.kind === "comment" && !("error" in route.command) && route.command.verb === "evolve") return route;
    return { kind: "ignore", why: `mode is "evolve" and this ${eventName} event asks for validation` };
  }
  if (route.kind === "validate-pr" || route.kind === "validate-merge-group") return route;
  if (route.kind === "comment" && !("error" in route.command) && route.command.verb === "validate") return route;
  return { kind: "ignore", why: `mode is "validate" and this ${eventName} event asks for evolution` };
}
function autoRoute(eventName, payload, commandPrefix) {
  switch (eventName) {
    case "schedule":
    case "workflow_dispatch":
      return { kind: "evolve", why: `${eventName} event` };
    case "workflow_run":
      if (payload.action !== "completed") return { kind: "ignore", why: `workflow_run action "${payload.action}" (only "completed" is handled)` };
      if (headIsFork(payload.workflow_run?.head_repository?.full_name, payload.repository?.full_name)) {
        return { kind: "ignore", why: "workflow_run of a fork's workflow run (its artifacts are not trusted evidence)" };
      }
      return { kind: "evolve", why: "workflow_run event (a workflow completed)" };
    case "pull_request": {
      if (!PULL_ACTIONS.has(payload.action)) return { kind: "ignore", why: `pull_request action "${payload.action}" is not opened/synchronize/reopened` };
      const pull = pullRefFrom(payload.pull_request);
      if (!pull) return { kind: "ignore", why: "pull_request payload without a pull request" };
      return { kind: "validate-pr", pull };
    }
    case "issue_comment": {
      if (payload.action !== "created") return { kind: "ignore", why: `issue_comment action "${payload.action}" (only "created" is handled)` };
      if (!payload.issue?.pull_request) return { kind: "ignore", why: "comment on an issue, not a pull request" };
      const body = typeof payload.comment?.body === "string" ? payload.comment.body : "";
      const command = parseCommand(body, commandPrefix);
      if (command === null) return { kind: "ignore", why: `comment does not start with ${commandPrefix}` };
      const commenter = payload.comment?.user?.login;
      if (typeof commenter !== "string" || typeof payload.comment?.id !== "number" || typeof payload.issue?.number !== "number") {
        return { kind: "ignore", why: "issue_comment payload without comment id, author or issue number" };
      }
      return { kind: "comment", issueNumber: payload.issue.number, commentId: payload.comment.id, commenter, command };
    }
    case "merge_group": {
      const group2 = payload.merge_group;
      if (payload.action !== "checks_requested") return { kind: "ignore", why: `merge_group action "${payload.action}" (only "checks_requested" is handled)` };
      const sha = /^[0-9a-f]{40}$/;
      if (!group2 || !sha.test(String(group2.head_sha)) || !sha.test(String(group2.base_sha)))
        return { kind: "ignore", why: "merge_group payload without head_sha/base_sha" };
      return { kind: "validate-merge-group", group: { headSha: group2.head_sha, baseSha: group2.base_sha, headRef: String(group2.head_ref ?? "") } };
    }
    case "pull_request_target":
      return { kind: "ignore", why: "pull_request_target is not supported: it runs with write access next to untrusted code (use pull_request)" };
    default:
      return { kind: "ignore", why: `event "${eventName}" is not one the action handles` };
  }
}

export {
  summary,
  setSecret,
  addPath,
  setOutput,
  setFailed,
  debug,
  error,
  warning,
  info,
  group,
  headIsFork,
  MAX_COMMAND_ATTEMPTS,
  commandUsage,
  routeEvent
};
