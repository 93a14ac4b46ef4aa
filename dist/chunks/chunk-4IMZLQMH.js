import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  glob,
  redactDeep,
  selectTasks
} from "./chunk-PLQTHMBR.js";

// src/llm/guard.ts
var HeldOutLeakError = class extends Error {
  constructor(found, where) {
    super(
      `refused to send a model request: ${where} contains ${found}; the held-out split is sealed and never reaches a prompt. Keep held-out task ids and text out of harness files, traces and evidence (or move the task to the train split).`
    );
    this.found = found;
    this.where = where;
  }
  found;
  where;
  name = "HeldOutLeakError";
};
var MIN_LINE = 24;
function sealHoldout(ids, heldOutTexts, trainTexts = []) {
  const shared = new Set(trainTexts.flatMap(textLines));
  const lines = [...new Set(heldOutTexts.flatMap(textLines))].filter((line) => !shared.has(line));
  return { ids: [...new Set(ids.filter((id) => id.length > 0))], lines };
}
function textLines(text) {
  return text.split(/\r?\n/).map(normalize).filter((line) => line.length >= MIN_LINE);
}
function normalize(text) {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}
var escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
function findHeldOut(text, sealed) {
  if (sealed.ids.length > 0) {
    const pattern = new RegExp(`(?<![\\w-])(${sealed.ids.map(escape).join("|")})(?![\\w]|-\\w)`, "i");
    const hit = pattern.exec(text);
    if (hit) return `held-out task id "${hit[1]}"`;
  }
  if (sealed.lines.length > 0) {
    const flat = normalize(text);
    const line = sealed.lines.find((l) => flat.includes(l));
    if (line) return `text of a held-out task ("${line.length > 60 ? `${line.slice(0, 57)}...` : line}")`;
  }
  return void 0;
}
function checkRequest(request, sealed) {
  request.messages.forEach((message, index) => {
    const found = findHeldOut(message.content, sealed);
    if (found) throw new HeldOutLeakError(found, `message ${index + 1} (${message.role})`);
  });
}
var selfGuarded = /* @__PURE__ */ new WeakMap();
function markSelfGuarded(model, sealed) {
  selfGuarded.set(model, sealed);
}
function covers(outer, inner) {
  const ids = new Set(outer.ids);
  const lines = new Set(outer.lines);
  return inner.ids.every((id) => ids.has(id)) && inner.lines.every((line) => lines.has(line));
}
function guardModel(model, sealed, redactText = redactDeep) {
  const own = selfGuarded.get(model);
  if (own && redactText === redactDeep && covers(own, sealed)) return model;
  return {
    name: model.name,
    async complete(request) {
      checkRequest(request, sealed);
      const messages = await Promise.all(request.messages.map(async (message) => ({ ...message, content: await redactText(message.content) })));
      return model.complete({ ...request, messages });
    }
  };
}

// src/llm/seal.ts
import { readFile } from "node:fs/promises";
import path from "node:path";
async function sealSuite(suite, options) {
  const holdout = selectTasks(suite, "holdout");
  if (!options.withText)
    return sealHoldout(
      holdout.map((t) => t.id),
      []
    );
  return sealHoldout(
    holdout.map((t) => t.id),
    await taskTexts(holdout),
    await taskTexts(selectTasks(suite, "train"))
  );
}
var TASK_TEXT_FILES = 20;
var TASK_TEXT_BYTES = 64 * 1024;
async function taskTexts(tasks) {
  const texts = [];
  for (const task of tasks) {
    if (!task.dir) continue;
    const files = await glob(["**/*"], { cwd: task.dir, onlyFiles: true, dot: false, followSymbolicLinks: false }).catch(() => []);
    for (const file of files.sort().slice(0, TASK_TEXT_FILES)) {
      const text = await readFile(path.join(task.dir, file)).catch(() => void 0);
      if (text && text.length <= TASK_TEXT_BYTES && !text.includes(0)) texts.push(text.toString("utf8"));
    }
  }
  return texts;
}

export {
  findHeldOut,
  checkRequest,
  markSelfGuarded,
  guardModel,
  sealSuite
};
