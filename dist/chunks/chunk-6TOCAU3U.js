import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);

// src/domain/secrets.ts
var SECRET_NAME = /TOKEN|KEY|SECRET|PASS(?!THRU|THROUGH)|PWD$|DSN|AUTH(?!OR)|CREDENTIAL|PRIVATE|COOKIE|SESSION|(?:^|_)PAT$/i;
var URL_NAME = /(?:URL|URI|ENDPOINT|CONNECTION|CONN_?STR(?:ING)?)$/i;
var URL_WITH_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/[^\s/@]+@/i;
var NOT_SECRET_NAME = /^(?:SSH_AUTH_SOCK|GPG_AGENT_INFO|XAUTHORITY|KEYMAP|PWD|OLDPWD)$/;
var MIN_LITERAL_LENGTH = 6;
var BORING_VALUES = /* @__PURE__ */ new Set(["true", "false", "undefined", "null", "none", "changeme", "enabled", "disabled"]);
function isSecretEnv(name, value) {
  if (NOT_SECRET_NAME.test(name)) return false;
  if (SECRET_NAME.test(name)) return true;
  return URL_NAME.test(name) && URL_WITH_CREDENTIALS.test(value.trim());
}
function secretValuesFromEnv(env) {
  const values = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value || !isSecretEnv(name, value)) continue;
    const trimmed = value.trim();
    if (trimmed.length < MIN_LITERAL_LENGTH || BORING_VALUES.has(trimmed.toLowerCase())) continue;
    values.push(trimmed);
  }
  return values;
}
function runSecrets(env, ...credentials) {
  return [...secretValuesFromEnv(env), ...credentials.filter((value) => Boolean(value))];
}

// src/store/jsonl.ts
import { createReadStream } from "node:fs";
var MAX_JSON_LINE_CHARS = 16 * 1024 * 1024;
var QUOTE_CHARS = 60;
async function* boundedLines(chunks, maxChars = MAX_JSON_LINE_CHARS) {
  let pending = "";
  let dropping = false;
  const decoder = new TextDecoder("utf-8");
  const finish = (line) => line.length > maxChars ? void 0 : line.endsWith("\r") ? line.slice(0, -1) : line;
  for await (const chunk of chunks) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    const batch = [];
    let start = 0;
    for (let newline = text.indexOf("\n"); newline !== -1; newline = text.indexOf("\n", start)) {
      const piece = text.slice(start, newline);
      start = newline + 1;
      batch.push(dropping ? void 0 : finish(pending + piece));
      dropping = false;
      pending = "";
    }
    if (!dropping) {
      pending += text.slice(start);
      if (pending.length > maxChars) {
        dropping = true;
        pending = "";
      }
    }
    if (batch.length > 0) yield batch;
  }
  pending += decoder.decode();
  if (dropping) yield [void 0];
  else if (pending !== "") yield [finish(pending)];
}
async function* jsonLines(chunks, maxChars = MAX_JSON_LINE_CHARS) {
  let line = 0;
  let held = [];
  let endsWithNewline = true;
  for await (const batch of boundedLines(
    tagEnding(chunks, (ends) => {
      endsWithNewline = ends;
    }),
    maxChars
  )) {
    if (held.length > 0) yield held;
    held = [];
    for (const text of batch) {
      line += 1;
      if (text === void 0) {
        held.push({ line, problem: "too-long", torn: false });
        continue;
      }
      if (text.trim() === "") continue;
      try {
        held.push({ line, value: JSON.parse(text) });
      } catch {
        held.push({ line, problem: "not-json", torn: false, ...text.length <= QUOTE_CHARS ? { text } : {} });
      }
    }
  }
  const last = held[held.length - 1];
  if (last && "problem" in last && !endsWithNewline) last.torn = true;
  if (held.length > 0) yield held;
}
function jsonLinesOfFile(file, maxChars = MAX_JSON_LINE_CHARS) {
  return jsonLines(createReadStream(file, { highWaterMark: 256 * 1024 }), maxChars);
}
async function* tagEnding(chunks, report) {
  for await (const chunk of chunks) {
    if (chunk.length > 0) {
      const lastChar = typeof chunk === "string" ? chunk.charCodeAt(chunk.length - 1) : chunk[chunk.length - 1];
      report(lastChar === 10);
    }
    yield chunk;
  }
}

export {
  MIN_LITERAL_LENGTH,
  secretValuesFromEnv,
  runSecrets,
  MAX_JSON_LINE_CHARS,
  jsonLines,
  jsonLinesOfFile
};
