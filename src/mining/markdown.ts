// A readable summary of a mining result: the ranked cluster table, then each top cluster with its evidence.
import type { MiningResult, Weakness } from './types.js';

const TABLE_ROWS = 15;
const DETAILED = 5;
const TASKS_SHOWN = 12;

function cell(text: string, max = 160): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const cut = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return cut.replace(/\|/g, '\\|');
}

/** A code fence longer than any backtick run inside the text. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}text\n${text}\n${ticks}`;
}

function taskList(tasks: string[]): string {
  const shown = tasks
    .slice(0, TASKS_SHOWN)
    .map((t) => `\`${t.replace(/`/g, "'")}\``)
    .join(', ');
  return tasks.length > TASKS_SHOWN ? `${shown} and ${tasks.length - TASKS_SHOWN} more` : shown;
}

function clusterSection(w: Weakness): string[] {
  const lines = [
    `### ${w.rank}. ${w.signature.failureClass} — ${w.id}`,
    '',
    `- fingerprint: \`${(w.signature.fingerprint || '(no decisive text)').replace(/`/g, "'")}\``,
    `- tasks (${w.tasks.length}): ${taskList(w.tasks)}`,
    `- failed episodes: ${w.episodes.length}; same pattern in passing episodes: ${w.alsoInPassing}`,
  ];
  if (w.merged?.length) lines.push(`- merged with: ${w.merged.join(', ')}`);
  if (w.labels) {
    lines.push(
      `- terminal cause: \`${w.labels.terminalCause}\` · criticality: ${w.labels.criticality} · mechanism: \`${w.labels.agentMechanism}\` · harness-fixable: ${w.labels.harnessFixable ? 'yes' : 'no'}`,
    );
  }
  if (w.diagnosis) lines.push('', `> ${cell(w.diagnosis, 2000)}`);
  if (w.diagnosisError) lines.push('', `_Not diagnosed: ${cell(w.diagnosisError, 300)}_`);
  for (const e of w.evidence) {
    lines.push('', `Evidence: episode \`${e.episodeId}\`, task \`${e.taskId}\`${e.stepId ? `, decisive step ${e.stepId}` : ''}`, '', fence(e.excerpt));
  }
  lines.push('');
  return lines;
}

export function renderMiningMarkdown(result: MiningResult): string {
  const lines: string[] = ['## Weaknesses mined from the train split', ''];
  const facts = [
    `${result.episodesRead} train episode(s) read`,
    `${result.failuresRead} failure(s)`,
    `${result.weaknesses.length} cluster(s)`,
    `${result.passingTasks.length} passing task(s) kept as regression tests`,
    `${result.infraExcluded} infrastructure-invalid episode(s) excluded`,
  ];
  if (result.nonTrainDropped) facts.push(`${result.nonTrainDropped} non-train record(s) dropped unread`);
  lines.push(facts.join(' · ') + '.', '');
  lines.push(
    result.model
      ? `Diagnosis by \`${result.model}\`: ${result.usage.inputTokens} prompt + ${result.usage.outputTokens} completion tokens, $${result.usage.costUsd.toFixed(4)}.`
      : 'Deterministic signatures only (no model diagnosis).',
    '',
  );
  if (result.weaknesses.length === 0) {
    lines.push('No failures to mine.', '');
    return lines.join('\n');
  }
  lines.push('| rank | id | class | tasks | episodes | in passing | diagnosis |', '|---:|---|---|---:|---:|---:|---|');
  for (const w of result.weaknesses.slice(0, TABLE_ROWS)) {
    const what = w.diagnosis ?? (w.signature.fingerprint ? `\`${w.signature.fingerprint.replace(/`/g, "'")}\`` : '');
    lines.push(`| ${w.rank} | ${w.id} | ${w.signature.failureClass} | ${w.tasks.length} | ${w.episodes.length} | ${w.alsoInPassing} | ${cell(what)} |`);
  }
  if (result.weaknesses.length > TABLE_ROWS) lines.push('', `… ${result.weaknesses.length - TABLE_ROWS} more cluster(s) in weaknesses.json.`);
  lines.push('');
  for (const w of result.weaknesses.slice(0, DETAILED)) lines.push(...clusterSection(w));
  if (result.skipped.length > 0) {
    lines.push(`${result.skipped.length} artifact file(s) skipped; first: \`${result.skipped[0]!.file}\`: ${cell(result.skipped[0]!.reason, 200)}`, '');
  }
  return lines.join('\n');
}
