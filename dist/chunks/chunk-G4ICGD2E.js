import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  jsonLinesOfFile
} from "./chunk-6TOCAU3U.js";
import {
  external_exports
} from "./chunk-B4JJWNIC.js";
import {
  UserError
} from "./chunk-LYOLHC7T.js";

// src/propose/history.ts
import { appendFile, mkdir, readFile, truncate } from "node:fs/promises";
import path from "node:path";
var HistoryEntrySchema = external_exports.object({
  id: external_exports.string(),
  round: external_exports.number(),
  parentHash: external_exports.string(),
  weaknessId: external_exports.string(),
  mechanism: external_exports.string(),
  summary: external_exports.string(),
  diff: external_exports.string(),
  decision: external_exports.enum(["promote", "reject", "inconclusive", "refused", "dropped"]),
  reason: external_exports.string(),
  numbers: external_exports.record(external_exports.string(), external_exports.number()).optional(),
  at: external_exports.string(),
  proposer: external_exports.string(),
  stream: external_exports.string().optional()
});
function historyFile(configRoot) {
  return path.join(configRoot, ".self-harness", "history.jsonl");
}
async function readHistory(file) {
  const entries = [];
  try {
    for await (const batch of jsonLinesOfFile(file)) {
      for (const item of batch) {
        if ("problem" in item) {
          if (item.torn) break;
          throw new UserError(`${file}:${item.line}: not a JSON line. Fix or delete that line of the candidate history.`);
        }
        const parsed = HistoryEntrySchema.safeParse(item.value);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new UserError(`${file}:${item.line} ${issue.path.join(".") || "(entry)"}: ${issue.message}. Fix or delete that line of the candidate history.`);
        }
        entries.push(parsed.data);
      }
    }
  } catch (error) {
    if (error.code === "ENOENT") return [];
    throw error;
  }
  return entries;
}
async function appendHistory(file, entries) {
  if (entries.length === 0) return;
  await mkdir(path.dirname(file), { recursive: true });
  let existing = "";
  try {
    existing = await readFile(file, "utf8");
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
  }
  if (existing !== "" && !existing.endsWith("\n")) {
    await truncate(file, Buffer.byteLength(existing.slice(0, existing.lastIndexOf("\n") + 1)));
  }
  await appendFile(file, entries.map((e) => `${JSON.stringify(HistoryEntrySchema.parse(e))}
`).join(""));
}
function rejectedIdeas(history) {
  return history.filter((e) => e.decision === "reject" || e.decision === "refused");
}

export {
  historyFile,
  readHistory,
  appendHistory,
  rejectedIdeas
};
