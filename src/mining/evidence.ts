// The compressed evidence of a cluster: for a few representative episodes, the decisive step with a window
// around it and the end of the episode, long outputs cut to head and tail, repeated consecutive actions
// collapsed to one line, all redacted and kept under a token budget.
import type { Grade, TraceStep } from '../traces/model.js';
import type { EpisodeView } from './episode-view.js';
import type { Redactor } from './redact.js';
import type { SignatureFinding } from './signature.js';
import { truncateMiddle } from '../traces/text.js';
import { estimateTokens, fitTokens } from './tokens.js';
import type { EvidenceExcerpt } from './types.js';

export interface EvidenceSource {
  view: EpisodeView;
  finding: SignatureFinding;
}

interface Caps {
  message: number;
  call: number;
  observation: number;
}

const DEFAULT_CAPS: Caps = { message: 500, call: 300, observation: 900 };
const WINDOW_BEFORE = 3;
const WINDOW_AFTER = 2;
const TAIL_STEPS = 2;

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Redacts, then cuts to head and tail. Huge texts are first trimmed at whitespace (secrets hold none, so no
 * secret is split before redaction sees it whole).
 */
function clip(text: string, maxChars: number, redact: Redactor): string {
  let source = text;
  const margin = maxChars * 4 + 256;
  if (source.length > 2 * margin) {
    // Cut at whitespace; a head or tail that is one giant token is dropped rather than split.
    const head = source.slice(0, margin);
    const tail = source.slice(source.length - margin);
    const headEnd = head.search(/\s\S*$/);
    const tailStart = tail.search(/\s/);
    source = `${headEnd > 0 ? head.slice(0, headEnd) : ''} … ${tailStart >= 0 ? tail.slice(tailStart) : ''}`;
  }
  return truncateMiddle(redact(source), maxChars);
}

function renderStep(step: TraceStep, caps: Caps, redact: Redactor): string[] {
  const lines = [`[step ${step.id}] ${step.source}${step.message ? `: ${oneLine(clip(step.message, caps.message, redact))}` : ''}`];
  for (const call of step.toolCalls) lines.push(`  call ${call.name}: ${oneLine(clip(call.arguments, caps.call, redact))}`);
  for (const observation of step.observations) {
    const code = observation.exitCode !== undefined ? ` (exit ${observation.exitCode})` : observation.isError ? ' (error)' : '';
    lines.push(`  result${code}: ${clip(observation.content.trim(), caps.observation, redact).replace(/\n/g, '\n    ')}`);
  }
  return lines;
}

/** A grader's verdict: the answer against the target, and the grader's explanation (a model grader's own words). */
function renderGrade(grade: Grade, caps: Caps, redact: Redactor): string[] {
  const lines = [`grade ${grade.scorer}: ${grade.value} (${grade.passed ? 'passed' : 'failed'})`];
  if (grade.answer !== undefined) lines.push(`  answer: ${oneLine(clip(grade.answer, caps.message, redact))}`);
  if (grade.target !== undefined) lines.push(`  target: ${oneLine(clip(grade.target, caps.message, redact))}`);
  if (grade.explanation !== undefined && grade.explanation.trim() !== grade.answer?.trim()) {
    lines.push(`  explanation: ${clip(grade.explanation.trim(), caps.observation, redact).replace(/\n/g, '\n    ')}`);
  }
  if (grade.metadata !== undefined) lines.push(`  metadata: ${oneLine(clip(grade.metadata, caps.call, redact))}`);
  return lines;
}

/** Step index ranges [from, to] of consecutive repetitions of one action (2 or more). */
function repetitionRuns(view: EpisodeView): { from: number; to: number; count: number; text: string }[] {
  const runs: { from: number; to: number; count: number; text: string }[] = [];
  const actions = view.actions;
  let start = 0;
  for (let i = 1; i <= actions.length; i++) {
    if (i < actions.length && actions[i]!.key === actions[start]!.key) continue;
    const count = i - start;
    if (count >= 2) {
      const lastAction = actions[i - 1]!;
      const nextStep = i < actions.length ? actions[i]!.stepIndex : view.steps.length;
      // The run covers the tool steps that answer its last call, up to the next action.
      let to = lastAction.stepIndex;
      while (to + 1 < nextStep && view.steps[to + 1]!.source === 'tool') to++;
      runs.push({ from: actions[start]!.stepIndex, to, count, text: actions[start]!.text });
    }
    start = i;
  }
  return runs;
}

function renderEpisode(source: EvidenceSource, caps: Caps, redact: Redactor): string {
  const { view, finding } = source;
  const record = view.record;
  const lines: string[] = [`episode ${record.id} · task ${record.key.taskId} · attempt ${record.key.attempt} · ${record.outcome} (reward ${record.reward})`];
  if (view.error) lines.push(`error: ${view.error.type}: ${oneLine(clip(view.error.message, caps.message, redact))}`);
  lines.push(`signature: ${finding.signature.failureClass} · ${finding.decisiveText || '(no decisive text)'}`);
  const instruction = view.instruction ?? view.steps.find((s) => s.source === 'user')?.message;
  if (instruction) lines.push(`instruction: ${oneLine(clip(instruction, Math.min(caps.message, 400), redact))}`);

  const steps = view.steps;
  if (steps.length > 0) {
    const decisive = finding.decisiveStep ?? steps.length - 1;
    const wanted = new Set<number>();
    for (let i = Math.max(0, decisive - WINDOW_BEFORE); i <= Math.min(steps.length - 1, decisive + WINDOW_AFTER); i++) wanted.add(i);
    for (let i = Math.max(0, steps.length - TAIL_STEPS); i < steps.length; i++) wanted.add(i);
    const runs = repetitionRuns(view);
    // A run touching the window is shown whole (it costs one line).
    for (const run of runs) {
      if ([...wanted].some((i) => i >= run.from && i <= run.to)) for (let i = run.from; i <= run.to; i++) wanted.add(i);
    }
    lines.push(`decisive step: ${steps[decisive]?.id ?? '?'} of ${steps.length}`);
    let previous = -1;
    const sorted = [...wanted].sort((a, b) => a - b);
    for (let k = 0; k < sorted.length; k++) {
      const i = sorted[k]!;
      if (i > previous + 1) lines.push(previous < 0 ? `… ${i} earlier step(s) not shown` : `… steps ${steps[previous + 1]!.id}-${steps[i - 1]!.id} not shown`);
      const run = runs.find((r) => r.from === i);
      if (run) {
        lines.push(...renderStep(steps[i]!, caps, redact));
        const firstAfter = i + 1;
        if (firstAfter <= run.to && view.steps[firstAfter]?.source === 'tool') {
          // keep the tool answer of the first call of the run
          lines.push(...renderStep(steps[firstAfter]!, caps, redact));
        }
        lines.push(`steps ${steps[i]!.id}-${steps[run.to]!.id}: same \`${clip(run.text, 120, redact)}\` call repeated ${run.count} times`);
        while (k + 1 < sorted.length && sorted[k + 1]! <= run.to) k++;
        previous = run.to;
        continue;
      }
      lines.push(...renderStep(steps[i]!, caps, redact));
      previous = i;
    }
  }
  for (const grade of view.grades.slice(0, 2)) lines.push(...renderGrade(grade, caps, redact));
  const failedTests = view.tests.filter((t) => t.status === 'failed');
  for (const test of failedTests.slice(0, 3)) {
    lines.push(`failed test ${test.name}${test.message ? `: ${oneLine(clip(test.message, caps.observation / 3, redact))}` : ''}`);
  }
  if (failedTests.length > 3) lines.push(`… ${failedTests.length - 3} more failed tests`);
  return lines.join('\n');
}

/**
 * Evidence excerpts for the given representative episodes; the estimated tokens of all excerpts together never
 * exceed `budgetTokens`.
 */
export function buildEvidence(sources: EvidenceSource[], budgetTokens: number, redact: Redactor): EvidenceExcerpt[] {
  const excerpts: EvidenceExcerpt[] = [];
  let remaining = Math.max(0, Math.floor(budgetTokens));
  sources.forEach((source, index) => {
    const share = Math.floor(remaining / (sources.length - index));
    let caps = DEFAULT_CAPS;
    let text = redact(renderEpisode(source, caps, redact));
    for (let shrink = 0; shrink < 3 && estimateTokens(text) > share; shrink++) {
      caps = { message: caps.message >> 1, call: caps.call >> 1, observation: caps.observation >> 1 };
      text = redact(renderEpisode(source, caps, redact));
    }
    text = fitTokens(text, share);
    const used = estimateTokens(text);
    if (!text) return;
    remaining -= used;
    const decisive = source.finding.decisiveStep;
    excerpts.push({
      episodeId: source.view.record.id,
      taskId: source.view.record.key.taskId,
      ...(decisive !== undefined && source.view.steps[decisive] ? { stepId: source.view.steps[decisive]!.id } : {}),
      excerpt: text,
    });
  });
  return excerpts;
}

/** Estimated tokens of a set of excerpts. */
export function evidenceTokens(excerpts: EvidenceExcerpt[]): number {
  return excerpts.reduce((n, e) => n + estimateTokens(e.excerpt), 0);
}
