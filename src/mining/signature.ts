// The deterministic failure signature of one episode: its failure class and the decisive error text,
// read from the ledger record (outcome, error) and the trace steps. First matching class wins; the order
// puts what ended the episode (deadline, limits) before the behaviour that led there.
import type { EpisodeView, Action } from './episode-view.js';
import { errorLine, exitCodeOf, firstLine, observationFailed } from './episode-view.js';
import { fingerprint, headline } from './fingerprint.js';
import type { Redactor } from './redact.js';
import type { FailureClass, FailureSignature } from './types.js';
import type { Grade } from '../traces/model.js';

export interface SignatureFinding {
  signature: FailureSignature;
  /** The decisive text before normalisation (already redacted). */
  decisiveText: string;
  /** Index into `view.steps` of the decisive step, when a step decided. */
  decisiveStep?: number;
  /** Step indexes of a repeated action, when repetition is the pattern. */
  repeated?: { from: number; to: number; count: number };
}

/** Consecutive repetitions of one action that make a loop. */
export const LOOP_CONSECUTIVE = 3;
/** Repetitions of one action anywhere in the episode that make a loop. */
export const LOOP_TOTAL = 5;
/** Failing tool results that make "non-zero exit repeated". */
export const REPEATED_FAILURES = 3;

const TIMEOUT = /time[ds]?[ _-]?out|timed out|deadline exceeded|exceeded the time limit/i;
const CONTEXT_OVERFLOW =
  /context[ _-]?(?:length|window)|maximum context|context limit|too many tokens|prompt is too long|token limit exceeded|ContextWindowExceeded/i;
const STEP_LIMIT =
  /max(?:imum)?[ _-]?(?:number of )?(?:steps|turns|iterations|episodes)|(?:step|turn|iteration)[ _-]?limit|(?:steps|turns|iterations) (?:limit|exceeded|exhausted)|LimitsExceeded|MaxTurns|cost[ _-]?limit/i;
const PARSE_ERROR =
  /(?:parse|format|decode)[ _-]?error|could not parse|failed to parse|unable to parse|invalid json|malformed (?:output|response|tool|action|json)|no (?:valid )?(?:tool call|action|command) (?:found|parsed)/i;
const VERIFIER = /verifier|reward|test/i;
const VERIFIER_FAILED = /verifier ?failed|tests? failed|assertion|verification failed|VerifierFailed|reward ?(?:0|zero)/i;
const FINISH_TOOL = /finish|submit|complete|done|final[_ ]?answer|end[_ ]?task|attempt_completion/i;
const CLAIMED_DONE = /task (?:is )?(?:now )?(?:complete|completed|done|finished)|i have (?:completed|finished|solved)|COMPLETE_TASK|all (?:tests|checks) pass/i;
const GAVE_UP =
  /give up|giving up|gave up|unable to (?:complete|proceed|continue|find)|cannot (?:complete|proceed|continue)|can't (?:complete|proceed|continue)|not possible to|i am stuck|i'm stuck/i;
const TOOL_ERROR_TYPE = /tool/i;

const NOT_FOUND_PATTERNS = [
  /\b([\w.+-]+): command not found/,
  /command not found: ([\w.+-]+)/,
  /\bsh: (?:\d+: )?([\w.+-]+): (?:command )?not found/,
  /'([\w.+-]+)' is not recognized as an internal or external command/,
];

const NOT_FOUND_HINT = /not (?:found|recognized)/g;
/** Shells print "not found" at the start or the end of an output; the middle of a long one is not searched. */
const NOT_FOUND_EDGE = 4096;

/** The program a shell reported as not found in `content`; the patterns only run on a window around a hit. */
export function notFoundProgram(content: string): string | undefined {
  const parts = content.length > 2 * NOT_FOUND_EDGE ? [content.slice(0, NOT_FOUND_EDGE), content.slice(-NOT_FOUND_EDGE)] : [content];
  for (const part of parts) {
    NOT_FOUND_HINT.lastIndex = 0;
    for (let tries = 0; tries < 5; tries++) {
      const hit = NOT_FOUND_HINT.exec(part);
      if (!hit) break;
      const window = part.slice(Math.max(0, hit.index - 120), hit.index + 80);
      for (const pattern of NOT_FOUND_PATTERNS) {
        const match = pattern.exec(window);
        if (match) return match[1];
      }
    }
  }
  return undefined;
}

export function signatureKey(signature: FailureSignature): string {
  return `${signature.failureClass}\u0000${signature.fingerprint}`;
}

function errorText(error: { type: string; message: string }): string {
  const head = headline(error.message);
  return head ? `${error.type}: ${head}` : error.type;
}

const GRADE_LINE = /^\s*GRADE\s*:\s*\S+\s*$/i;

/**
 * A failed grade as decisive text: `<scorer> graded <value>: <reason>`. A model grader reasons first and concludes
 * last, so its last line (without a bare `GRADE: I`) is the reason; a short explanation that only repeats the answer
 * gives way to the answer against the target (quoted, so the fingerprint keeps the scorer and drops the values).
 */
export function gradeText(grade: Grade): string {
  const head = `${grade.scorer} graded ${grade.value}`;
  const explanation = grade.explanation?.trim();
  if (explanation && explanation !== grade.answer?.trim()) {
    const lines = explanation
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !GRADE_LINE.test(l));
    const reason = (lines.length > 1 ? lines.at(-1)! : headline(explanation)).replace(/\s*GRADE\s*:\s*\S+\s*$/i, '');
    if (reason) return `${head}: ${reason.slice(0, 300)}`;
  }
  if (grade.answer !== undefined || grade.target !== undefined) {
    return `${head}: answered ${JSON.stringify((grade.answer ?? '').slice(0, 200))}, expected ${JSON.stringify((grade.target ?? '').slice(0, 200))}`;
  }
  return head;
}

function finding(
  failureClass: FailureClass,
  decisiveText: string,
  redact: Redactor,
  extra: Partial<SignatureFinding> = {},
  pattern?: string,
): SignatureFinding {
  const text = redact(decisiveText);
  return { signature: { failureClass, fingerprint: pattern ?? fingerprint(text) }, decisiveText: text, ...extra };
}

/**
 * One pattern for every missing program: the remedy (use an alternative, do not retry) is the same whichever
 * tool is missing, so the cluster counts all the tasks it hurts; the decisive text still names the program.
 */
export const COMMAND_NOT_FOUND_FINGERPRINT = 'command not found';

function lastActionStep(view: EpisodeView): number | undefined {
  return view.actions.at(-1)?.stepIndex;
}

/** The missing program most often reported as not found, where it was last seen, and what ran after it. */
export function commandNotFound(
  actions: Action[],
): { program: string; count: number; lastStep: number; isLastResult: boolean; recovered: boolean } | undefined {
  const counts = new Map<string, { count: number; lastStep: number }>();
  let lastResultStep = -1;
  let lastNotFoundStep = -1;
  let lastSuccessStep = -1;
  for (const action of actions) {
    for (const observation of action.observations) {
      lastResultStep = action.stepIndex;
      const code = observation.isError ? undefined : exitCodeOf(observation);
      if (!observation.isError && (code === undefined || code === 0)) lastSuccessStep = action.stepIndex;
      // A result that reports exit 0 cannot be a missing program.
      if (code === 0) continue;
      let program = notFoundProgram(observation.content);
      if (!program && code === 127) program = action.program;
      if (!program) continue;
      lastNotFoundStep = action.stepIndex;
      const entry = counts.get(program) ?? { count: 0, lastStep: action.stepIndex };
      entry.count++;
      entry.lastStep = action.stepIndex;
      counts.set(program, entry);
    }
  }
  let best: { program: string; count: number; lastStep: number } | undefined;
  for (const [program, entry] of counts) if (!best || entry.count > best.count) best = { program, ...entry };
  return best ? { ...best, isLastResult: lastNotFoundStep === lastResultStep, recovered: lastSuccessStep > lastNotFoundStep } : undefined;
}

/** The most repeated action: its longest consecutive run and its total count. */
export function repeatedAction(actions: Action[]): { action: Action; consecutive: number; total: number; from: number; to: number } | undefined {
  const totals = new Map<string, number>();
  let best: { action: Action; consecutive: number; total: number; from: number; to: number } | undefined;
  let runStart = 0;
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i]!;
    totals.set(action.key, (totals.get(action.key) ?? 0) + 1);
    if (i > 0 && actions[i - 1]!.key !== action.key) runStart = i;
    const consecutive = i - runStart + 1;
    if (!best || consecutive > best.consecutive) {
      best = { action: actions[runStart]!, consecutive, total: 0, from: actions[runStart]!.stepIndex, to: action.stepIndex };
    }
  }
  if (!best) return undefined;
  best.total = totals.get(best.action.key) ?? best.consecutive;
  // A scattered repetition (e.g. ls, cat, ls, cat...) counts when it is frequent enough.
  for (const [key, total] of totals) {
    if (total > best.total && total >= LOOP_TOTAL && best.consecutive < LOOP_CONSECUTIVE) {
      const occurrences = actions.filter((a) => a.key === key);
      best = { action: occurrences[0]!, consecutive: 1, total, from: occurrences[0]!.stepIndex, to: occurrences.at(-1)!.stepIndex };
    }
  }
  return best;
}

function isLoop(repeat: ReturnType<typeof repeatedAction>): boolean {
  return Boolean(repeat && (repeat.consecutive >= LOOP_CONSECUTIVE || repeat.total >= LOOP_TOTAL));
}

function loopText(repeat: NonNullable<ReturnType<typeof repeatedAction>>): string {
  const result = repeat.action.observations.find((o) => o.content.trim().length > 0);
  const call = repeat.action.text.slice(0, 160);
  return result ? `${call} -> ${firstLine(result.content, 160)}` : call;
}

function failingActions(actions: Action[]): { action: Action; content: string }[] {
  const failing: { action: Action; content: string }[] = [];
  for (const action of actions) {
    const failed = action.observations.find(observationFailed);
    if (failed) failing.push({ action, content: failed.content });
  }
  return failing;
}

function claimedCompletion(view: EpisodeView): boolean {
  const lastAgent = [...view.steps].reverse().find((s) => s.source === 'agent');
  if (!lastAgent) return false;
  if (lastAgent.toolCalls.some((c) => FINISH_TOOL.test(c.name))) return true;
  return CLAIMED_DONE.test(lastAgent.message ?? '');
}

/** Classifies a failed (fail or timeout) episode. */
export function classifyFailure(view: EpisodeView, redact: Redactor): SignatureFinding {
  const { record, error } = view;
  const errorBlob = error ? `${error.type}\n${error.message}` : '';
  const lastStep = lastActionStep(view);

  if (record.outcome === 'infra-error' || error?.infrastructure) {
    return finding('infrastructure', error ? errorText(error) : 'infrastructure error', redact);
  }
  if (record.outcome === 'timeout' || (error && TIMEOUT.test(errorBlob) && !VERIFIER.test(error.type))) {
    return finding('timeout', error ? errorText(error) : 'episode killed at the deadline', redact, { decisiveStep: lastStep });
  }
  const tailText = view.steps
    .slice(-3)
    .flatMap((s) => [s.message ?? '', ...s.observations.map((o) => o.content.slice(-2000))])
    .join('\n');
  if (CONTEXT_OVERFLOW.test(errorBlob) || (!error && CONTEXT_OVERFLOW.test(tailText))) {
    const text = error && CONTEXT_OVERFLOW.test(errorBlob) ? errorText(error) : 'context window exceeded';
    return finding('context-overflow', text, redact, { decisiveStep: view.steps.length ? view.steps.length - 1 : undefined });
  }
  if (error && STEP_LIMIT.test(errorBlob)) {
    return finding('step-limit', errorText(error), redact, { decisiveStep: lastStep });
  }
  if (error && PARSE_ERROR.test(errorBlob) && !VERIFIER.test(error.type)) {
    return finding('parse-error', errorText(error), redact, { decisiveStep: view.steps.length ? view.steps.length - 1 : undefined });
  }

  const notFound = commandNotFound(view.actions);
  if (notFound && !notFound.recovered && (notFound.count >= 2 || notFound.isLastResult)) {
    return finding('command-not-found', `command not found: ${notFound.program}`, redact, { decisiveStep: notFound.lastStep }, COMMAND_NOT_FOUND_FINGERPRINT);
  }
  const repeat = repeatedAction(view.actions);
  if (repeat && isLoop(repeat)) {
    const count = Math.max(repeat.consecutive, repeat.total);
    return finding('action-loop', loopText(repeat), redact, { decisiveStep: repeat.from, repeated: { from: repeat.from, to: repeat.to, count } });
  }
  // A grader's verdict (an Inspect score) says what was wrong with the answer: its explanation is the signature.
  const failedGrade = error ? undefined : view.grades.find((g) => !g.passed);
  if (failedGrade) {
    return finding('false-completion', gradeText(failedGrade), redact, { decisiveStep: view.steps.length ? view.steps.length - 1 : undefined });
  }
  const verifierSaysFailed = error ? VERIFIER_FAILED.test(errorBlob) : false;
  if (claimedCompletion(view) || verifierSaysFailed) {
    const failedTest = view.tests.find((t) => t.status === 'failed');
    const text = error ? errorText(error) : failedTest ? 'agent reported completion; tests failed' : 'agent reported completion; the verifier failed';
    return finding('false-completion', text, redact, { decisiveStep: view.steps.length ? view.steps.length - 1 : undefined });
  }
  const failing = failingActions(view.actions);
  if (failing.length >= REPEATED_FAILURES && failing.at(-1)!.action === view.actions.at(-1)) {
    const last = failing.at(-1)!;
    return finding('nonzero-exit-repeated', `${last.action.program ?? 'command'}: ${errorLine(last.content)}`, redact, { decisiveStep: last.action.stepIndex });
  }
  if (error && TOOL_ERROR_TYPE.test(error.type)) {
    return finding('tool-error', errorText(error), redact, { decisiveStep: lastStep });
  }
  if (failing.length > 0 && failing.at(-1)!.action === view.actions.at(-1)) {
    const last = failing.at(-1)!;
    return finding('tool-error', `${last.action.program ?? 'tool'}: ${errorLine(last.content)}`, redact, { decisiveStep: last.action.stepIndex });
  }
  const lastAgent = [...view.steps]
    .map((s, i) => [s, i] as const)
    .reverse()
    .find(([s]) => s.source === 'agent' && s.message);
  if (lastAgent && GAVE_UP.test(lastAgent[0].message!)) {
    const sentence =
      /[^.!?\n]*(?:give up|giving up|gave up|unable to|cannot|can't|not possible|stuck)[^.!?\n]*/i.exec(lastAgent[0].message!)?.[0] ?? 'agent gave up';
    return finding('gave-up', sentence.trim(), redact, { decisiveStep: lastAgent[1] });
  }
  if (error) return finding('unknown', errorText(error), redact, { decisiveStep: lastStep });
  const failedTest = view.tests.find((t) => t.status === 'failed');
  if (failedTest) return finding('unknown', `test failed: ${failedTest.name}${failedTest.message ? `: ${headline(failedTest.message)}` : ''}`, redact);
  return { signature: { failureClass: 'unknown', fingerprint: '' }, decisiveText: '' };
}

/** Behaviour patterns present in an episode whatever its outcome (used on passing runs: friction that did not decide). */
export function frictionSignatures(view: EpisodeView, redact: Redactor): FailureSignature[] {
  const found: FailureSignature[] = [];
  const notFound = commandNotFound(view.actions);
  if (notFound) found.push({ failureClass: 'command-not-found', fingerprint: COMMAND_NOT_FOUND_FINGERPRINT });
  const repeat = repeatedAction(view.actions);
  if (repeat && isLoop(repeat)) found.push(finding('action-loop', loopText(repeat), redact).signature);
  const failing = failingActions(view.actions);
  if (failing.length >= REPEATED_FAILURES) {
    const last = failing.at(-1)!;
    found.push(finding('nonzero-exit-repeated', `${last.action.program ?? 'command'}: ${errorLine(last.content)}`, redact).signature);
  }
  if (failing.length > 0) {
    const last = failing.at(-1)!;
    found.push(finding('tool-error', `${last.action.program ?? 'tool'}: ${errorLine(last.content)}`, redact).signature);
  }
  return found;
}
