import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);
import {
  LOCAL_CLI,
  formatUsage,
  reproduceBlock
} from "./chunk-V5UGTUUP.js";
import {
  external_exports
} from "./chunk-WD63SZHH.js";

// src/domain/markdown-limit.ts
var PR_BODY_LIMIT = 65536;
var COMMENT_LIMIT = 65536;
var CHECK_SUMMARY_LIMIT = 65535;
var JOB_SUMMARY_LIMIT = 1048576;
function sizeOf(text, measure) {
  return measure === "bytes" ? Buffer.byteLength(text, "utf8") : text.length;
}
function scan(lines) {
  const state = { details: 0 };
  for (const line of lines) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (state.fence) {
      if (marker && marker[0] === state.fence[0] && marker.length >= state.fence.length && line.trim() === marker) state.fence = void 0;
      continue;
    }
    if (marker) {
      state.fence = marker;
      continue;
    }
    state.details += (line.match(/<details\b/gi) ?? []).length;
    state.details -= (line.match(/<\/details>/gi) ?? []).length;
    if (state.details < 0) state.details = 0;
  }
  return state;
}
function closing(state) {
  const parts = [];
  if (state.fence) parts.push(state.fence);
  for (let i = 0; i < state.details; i += 1) parts.push("</details>");
  return parts.length > 0 ? parts.join("\n") + "\n" : "";
}
function truncateMarkdown(text, limit, measure, note) {
  if (sizeOf(text, measure) <= limit) return text;
  const tail = `
---
> \u2702\uFE0F ${note}
`;
  const lines = text.split("\n");
  let low = 0;
  let high = lines.length;
  const build = (count) => {
    const kept = lines.slice(0, count);
    const body = kept.join("\n") + (count > 0 ? "\n" : "");
    return body + closing(scan(kept)) + tail;
  };
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (sizeOf(build(mid), measure) <= limit) low = mid;
    else high = mid - 1;
  }
  const result = build(low);
  if (sizeOf(result, measure) <= limit) return result;
  let cut = "";
  for (const ch of tail) {
    if (sizeOf(cut + ch, measure) > limit) break;
    cut += ch;
  }
  return cut;
}
function neutralizeUntrusted(text) {
  return neutralizeProse(text);
}
function fencedText(text, lang = "") {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const bar = "`".repeat(longest + 1);
  return `${bar}${lang}
${text.replace(/\n$/, "")}
${bar}`;
}
var RENDERER_HTML_LINE = /^(<details><summary>[^<>`]*<\/summary>|<\/details>)$/;
function neutralizeReferences(text) {
  return text.replace(/@(?=[A-Za-z0-9-])/g, "@\u200B").replace(/#(?=\d)/g, "#\u200B");
}
function neutralizeProse(text) {
  return neutralizeReferences(text).replace(/<(?=\/?[A-Za-z!?])/g, "&lt;").replace(/([!]?)\[/g, (_m, bang) => `${bang ? "\\!" : ""}\\[`).replace(/`/g, "\\`").replace(/~{3,}/g, (run) => `\\${run}`);
}
function sanitizeReportMarkdown(markdown) {
  const out = [];
  let fence;
  for (const line of markdown.split("\n")) {
    if (fence) {
      out.push(line);
      if (line.trimEnd() === fence) fence = void 0;
      continue;
    }
    const opener = /^(`{3,})[\w-]*\s*$/.exec(line)?.[1];
    if (opener) {
      fence = opener;
      out.push(line);
      continue;
    }
    out.push(RENDERER_HTML_LINE.test(line) ? line : sanitizeLine(line));
  }
  return out.join("\n");
}
function sanitizeLine(line) {
  let result = "";
  let rest = line;
  const span = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/;
  for (let m = span.exec(rest); m; m = span.exec(rest)) {
    result += neutralizeProse(rest.slice(0, m.index)) + m[0];
    rest = rest.slice(m.index + m[0].length);
  }
  return result + neutralizeProse(rest);
}

// src/report/trend.ts
var PromotedLine = external_exports.object({
  id: external_exports.string(),
  decision: external_exports.literal("promote"),
  at: external_exports.string(),
  numbers: external_exports.object({ train_baseline_rate: external_exports.number().min(0).max(1), train_candidate_rate: external_exports.number().min(0).max(1) })
});
function trendFromHistory(jsonl) {
  const points = [];
  for (const line of jsonl.split("\n")) {
    if (line.trim() === "") continue;
    let value;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = PromotedLine.safeParse(value);
    if (!parsed.success) continue;
    const { id, at, numbers } = parsed.data;
    points.push({ at, candidateId: id, baselineRate: numbers.train_baseline_rate, rate: numbers.train_candidate_rate });
  }
  return points.sort((a, b) => a.at.localeCompare(b.at));
}
function labels(points) {
  const seen = /* @__PURE__ */ new Map();
  return points.map((p) => {
    const day = p.at.slice(0, 10).replace(/[^0-9-]/g, "");
    const n = (seen.get(day) ?? 0) + 1;
    seen.set(day, n);
    return n === 1 ? day : `${day} (${n})`;
  });
}
var pct = (x) => (x * 100).toFixed(1);
function renderTrend(points) {
  if (points.length < 2) return "";
  const xs = ["start", ...labels(points)];
  const ys = [points[0].baselineRate, ...points.map((p) => p.rate)];
  const chart = [
    "```mermaid",
    "%%{init: {'themeVariables': {'xyChart': {'plotColorPalette': '#2f81f7'}}}}%%",
    "xychart-beta",
    '  title "Train pass rate of each promoted version (%)"',
    `  x-axis [${xs.map((x) => `"${x}"`).join(", ")}]`,
    '  y-axis "pass rate (%)" 0 --> 100',
    `  line [${ys.map(pct).join(", ")}]`,
    "```"
  ];
  const table = [
    "| promoted | candidate | train pass rate before \u2192 after |",
    "|---|---|---|",
    ...points.map((p, i) => `| ${xs[i + 1]} | \`${p.candidateId.replace(/[`|]/g, "'")}\` | ${pct(p.baselineRate)}% \u2192 ${pct(p.rate)}% |`)
  ];
  return [
    ...chart,
    "",
    "Each point is the train pass rate measured by the paired validation that promoted that version (rounds and runs that promoted nothing have no point); runs months apart may have run a changed suite.",
    "",
    "<details><summary>Trend data</summary>",
    "",
    ...table,
    "",
    "</details>"
  ].join("\n");
}

// src/report/pr-body.ts
var BOT_PR_MARKER = "<!-- self-harness:bot-pr -->";
function evolvePullTitle(result, target) {
  const delta = result.validation?.train.delta;
  const shown = delta === void 0 ? "" : ` (${delta >= 0 ? "+" : ""}${(delta * 100).toFixed(1)} pts on train)`;
  return `self-harness: harness improvement for ${target}${shown}`;
}
function diversionNote(diversion) {
  const people = [...new Set(diversion.foreign.map((c) => c.authorName || c.authorEmail))].map((p) => neutralizeUntrusted(p));
  const shas = diversion.foreign.slice(0, 5).map((c) => `\`${c.sha.slice(0, 7)}\``).join(", ");
  return `> [!NOTE]
> The bot branch \`${diversion.blockedBranch}\` has commits pushed by someone else (${shas}${diversion.foreign.length > 5 ? ", ..." : ""} by ${people.join(", ")}), so they were left untouched and this change was pushed to a new branch instead.`;
}
function fullReportHint(runUrl, reportPath) {
  const file = reportPath.split(/[\\/]/).pop() || reportPath;
  return runUrl ? `Full report: the job summary and the report artifact (\`${file}\`) of [this run](${runUrl}).` : `Full report: \`${reportPath}\`.`;
}
function truncateWords(text, max) {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const head = flat.slice(0, max);
  const lastSpace = head.lastIndexOf(" ");
  const cut = lastSpace > 0 ? head.slice(0, lastSpace) : head;
  return `${cut.replace(/[\s,;:.\-–—]+$/, "")}\u2026`;
}
var pct2 = (x) => `${(x * 100).toFixed(1)}%`;
var signedPts = (x) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} pts`;
var plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
function sideCell(side) {
  return `${side.passed}/${side.total} = ${pct2(side.rate)}${side.infra > 0 ? ` (+${side.infra} infra)` : ""}`;
}
function comparisonRow(name, c) {
  return `| ${name} | ${sideCell(c.baseline)} | ${sideCell(c.candidate)} | ${signedPts(c.delta)} [${signedPts(c.deltaCi.low)}, ${signedPts(c.deltaCi.high)}] |`;
}
function taskIds(ids) {
  if (ids.length === 0) return "none";
  const shown = ids.slice(0, 30).map((id) => `\`${id.replace(/`/g, "'")}\``).join(", ");
  return ids.length > 30 ? `${shown} and ${ids.length - 30} more` : shown;
}
var sentence = (text) => /[.!?…]$/.test(text) ? text : `${text}.`;
function whatAndWhy(result) {
  const changes = result.changes ?? [];
  if (changes.length === 0) {
    const files = (result.changedFiles ?? []).map((f) => `\`${f.path}\``);
    return files.length > 0 ? [`**What changed**: ${files.join(", ")}.`] : [];
  }
  return changes.map((c) => {
    const round = changes.length > 1 ? ` (round ${c.round})` : "";
    return `**What changed${round}**: ${sentence(neutralizeUntrusted(truncateWords(c.summary, 200)))} **Why**: ${sentence(neutralizeUntrusted(truncateWords(c.rationale, 400)))}`;
  });
}
function recommendation(result) {
  const v = result.validation;
  const train = v ? `${signedPts(v.train.delta)} on the train split (screening)` : "";
  const holdout = v?.holdout ? `, ${signedPts(v.holdout.delta)} on the sealed held-out split (confirmation)` : "";
  const words = result.decision === "promote" || result.decision === void 0 ? `**Recommendation**: merge if the diff reads right. The change validated${v ? `: ${train}${holdout}` : ""}.` : `**Recommendation**: do not merge (${result.decision}).`;
  return result.errorControl ? `${words} ${result.errorControl.statement}` : words;
}
function beforeAfter(v) {
  const lines = ["| split | baseline | candidate | paired \u0394 [95% CI] |", "|---|---|---|---|", comparisonRow("train (screening)", v.train)];
  if (v.holdout) lines.push(comparisonRow("held-out (sealed, confirmation)", v.holdout));
  return lines;
}
function details(summary, body) {
  return ["<details><summary>" + summary + "</summary>", "", ...body, "", "</details>", ""];
}
function perTask(v) {
  const lines = [
    '"Fixed": failed reliably on the baseline and passes on the candidate; "regressed": the reverse. The pass rates above count every episode, so a gain can be spread over tasks none of which changed reliably.',
    "",
    `- Fixed (train, screening): ${taskIds(v.train.fixes)}`,
    `- Regressed (train, screening): ${taskIds(v.train.regressions)}`
  ];
  if (v.holdout) {
    lines.push(`- Fixed (held-out, confirmation): ${taskIds(v.holdout.fixes)}`, `- Regressed (held-out, confirmation): ${taskIds(v.holdout.regressions)}`);
  }
  return lines;
}
function method(v) {
  const seq = v.sequential;
  const lines = [
    `- Question: ${v.question === "non-inferiority" ? `is the change not worse than the baseline by ${signedPts(seq.margin ?? 0).slice(1)}?` : `is the change better than the baseline by at least ${signedPts(seq.minEffect).slice(1)}?`}`,
    "- Test: group-sequential on paired episodes (baseline and candidate on the same task and attempt; only pairs where exactly one side passed count).",
    `- Error rates: \u03B1 = ${seq.alpha}, \u03B2 = ${seq.beta}; ${plural(seq.looks.length, "look")}${seq.stoppedEarly ? ", stopped early" : ""}.`
  ];
  if (v.confirmation)
    lines.push(
      `- Held-out confirmation: its own sequential test on fresh episodes of the sealed split, \u03B1 = ${v.confirmation.alpha}; ${plural(v.confirmation.looks.length, "look")}.`
    );
  lines.push(`- Sealed held-out split used ${plural(v.holdoutUses, "time")} so far.`);
  if (v.stoppedBy === "budget") lines.push("- Stopped by the episode budget, not by the evidence.");
  return lines;
}
function cost(result) {
  const lines = [];
  if (result.validation) {
    const e = result.validation.episodes;
    lines.push(`- This validation: ${e.run} episodes run, ${e.cached} reused, ${e.infra} infrastructure errors (excluded).`);
  }
  if (result.spent) lines.push(`- The whole run: ${result.spent.episodes} episodes run (${result.spent.cachedEpisodes} reused), ${formatUsage(result.spent)}.`);
  if (result.estimate) lines.push(`- Estimated before the run: ${result.estimate.episodes} episodes, $${result.estimate.usd.toFixed(2)}.`);
  return lines;
}
function renderPullBody(input) {
  const { result } = input;
  const parts = [BOT_PR_MARKER, ...whatAndWhy(result), ""];
  if (result.validation) parts.push(...beforeAfter(result.validation), "");
  parts.push(recommendation(result), "");
  if (input.diversion) parts.push(diversionNote(input.diversion), "");
  if (result.validation) {
    if (result.diff) parts.push("### The change", "", fencedText(result.diff, "diff"), "");
    const trend = renderTrend(input.trend ?? []);
    if (trend) parts.push("### Pass rate across runs", "", trend, "");
    const targeted = result.targeted ?? [];
    if (targeted.length > 0) {
      parts.push(
        ...details(
          `Weaknesses targeted (${targeted.length})`,
          targeted.map(
            (w) => `- ${neutralizeUntrusted(w.failureClass)} on ${plural(w.tasks.length, "train task")}: ${taskIds(w.tasks)}${w.diagnosis ? `. ${neutralizeUntrusted(truncateWords(w.diagnosis, 300))}` : ""}`
          )
        )
      );
      const evidence = targeted.flatMap((w) => w.evidence.slice(0, 3).map((e) => `- ${neutralizeUntrusted(truncateWords(e, 400))}`));
      if (evidence.length > 0) parts.push(...details("Evidence (train traces)", evidence));
    }
    parts.push(...details("Per-task fixes and regressions", perTask(result.validation)));
    parts.push(...details("Method", method(result.validation)));
    parts.push(...details("Cost", cost(result)));
    if (result.commit) {
      const cli = input.cli ?? LOCAL_CLI;
      const command = `git fetch origin ${result.branch ?? ""} && ${cli} validate --question superiority --base ${result.baseCommit.slice(0, 12)} --head ${result.commit.slice(0, 12)}`;
      parts.push("**Reproduce locally**", "", input.cli ? fencedText(command, "sh") : reproduceBlock(command), "");
    }
  } else {
    parts.push(sanitizeReportMarkdown(result.markdown.trim()), "");
  }
  parts.push(
    "---",
    `Proposed by self-harness (${input.trigger}) on \`${input.target}\` at \`${result.baseCommit.slice(0, 12)}\`; change commit \`${input.commit.slice(0, 12)}\`. The bot never merges: review it like any other change, or comment \`/self-harness validate\` to validate it again.`,
    fullReportHint(input.runUrl, result.reportPath)
  );
  return parts.join("\n") + "\n";
}
function renderEvolveReply(result, pull, diversion, runUrl) {
  const head = pull ? `self-harness evolve: **promoted** a harness change \u2014 see #${pull.number}.` : `self-harness evolve: **nothing promoted** (${result.decision}). ${neutralizeUntrusted(result.reason)}`;
  const parts = [head];
  if (diversion) parts.push("", diversionNote(diversion));
  parts.push("", "<details><summary>Report</summary>", "", sanitizeReportMarkdown(result.markdown.trim()), "", "</details>");
  if (runUrl) parts.push("", `[Workflow run](${runUrl})`);
  return parts.join("\n") + "\n";
}
function renderValidateReply(result, checkUrl, runUrl) {
  const parts = [`self-harness validate: **${result.report.decision}** \u2014 ${neutralizeUntrusted(result.report.reason)}`];
  if (checkUrl) parts.push("", `Check run: ${checkUrl}`);
  parts.push("", "<details><summary>Report</summary>", "", sanitizeReportMarkdown(result.markdown.trim()), "", "</details>");
  if (runUrl) parts.push("", `[Workflow run](${runUrl})`);
  return parts.join("\n") + "\n";
}

export {
  PR_BODY_LIMIT,
  COMMENT_LIMIT,
  CHECK_SUMMARY_LIMIT,
  JOB_SUMMARY_LIMIT,
  truncateMarkdown,
  neutralizeUntrusted,
  fencedText,
  neutralizeReferences,
  sanitizeReportMarkdown,
  trendFromHistory,
  evolvePullTitle,
  fullReportHint,
  truncateWords,
  renderPullBody,
  renderEvolveReply,
  renderValidateReply
};
