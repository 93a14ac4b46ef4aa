// Generates episode artifacts (ATIF trajectories and native trace.jsonl files) acting out known failure
// patterns, passing runs and noise; shared by the mining tests and bench/mining.ts.
import type { EpisodeError, EpisodeRecord, Outcome, Split } from '../../src/domain/types.js';

export type Pattern = 'timeout' | 'command-not-found' | 'false-completion' | 'action-loop' | 'pass' | 'pass-with-friction' | 'noise';

export interface GeneratedEpisode {
  outcome: Outcome;
  error?: EpisodeError;
  /** Files relative to the episode's artifact directory. */
  files: Record<string, string>;
}

export interface Step {
  source: 'system' | 'user' | 'agent';
  message?: string;
  command?: string;
  tool?: string;
  output?: string;
  exitCode?: number;
}

/** A deterministic pseudo-random generator. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = [
  'alpha',
  'bravo',
  'cobalt',
  'delta',
  'ember',
  'fjord',
  'gamma',
  'helix',
  'indigo',
  'jasper',
  'krypton',
  'lumen',
  'magma',
  'nebula',
  'onyx',
  'prism',
  'quartz',
  'rune',
  'sierra',
  'tundra',
  'umber',
  'vortex',
  'willow',
  'xenon',
  'yonder',
  'zephyr',
];

export function words(random: () => number, n: number): string {
  return Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
}

export function atif(taskId: string, steps: Step[], padding = ''): string {
  return JSON.stringify({
    schema_version: 'ATIF-v1.5',
    session_id: `session-${taskId}`,
    agent: { name: 'generated-agent', version: '1.0.0' },
    steps: steps.map((s, i) => ({
      step_id: i + 1,
      source: s.source,
      ...(s.message !== undefined ? { message: s.message } : {}),
      ...(s.command !== undefined
        ? {
            tool_calls: [{ tool_call_id: `call-${i + 1}`, function_name: s.tool ?? 'bash', arguments: s.tool === 'finish' ? {} : { command: s.command } }],
            observation: { results: [{ source_call_id: `call-${i + 1}`, content: s.output ?? '' }] },
          }
        : {}),
    })),
    ...(padding ? { extra: { padding } } : {}),
  });
}

export function jsonl(taskId: string, instruction: string, steps: Step[]): string {
  const lines: unknown[] = [{ type: 'meta', task_id: taskId, instruction }];
  steps.forEach((s, i) => {
    if (s.message !== undefined) lines.push({ type: 'message', role: s.source === 'agent' ? 'assistant' : s.source, content: s.message, step: i + 1 });
    if (s.command !== undefined) {
      lines.push({ type: 'tool_call', id: `c${i + 1}`, name: s.tool ?? 'bash', arguments: { command: s.command }, step: i + 1 });
      lines.push({
        type: 'tool_result',
        call_id: `c${i + 1}`,
        content: s.output ?? '',
        ...(s.exitCode !== undefined ? { exit_code: s.exitCode } : {}),
        step: i + 1,
      });
    }
  });
  return `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
}

const finishStep: Step = { source: 'agent', message: 'The task is complete.', tool: 'finish', command: '' };

/** The artifacts of one episode acting out `pattern` for `taskId`. */
export function generateEpisode(
  pattern: Pattern,
  taskId: string,
  random: () => number,
  extra: { marker?: string; secret?: string; padding?: number } = {},
): GeneratedEpisode {
  const instruction = `Task ${taskId}: ${words(random, 8)}.${extra.marker ? ` ${extra.marker}` : ''}`;
  const user: Step = { source: 'user', message: instruction };
  const pad = extra.padding ? words(random, Math.ceil(extra.padding / 6)) : '';
  const secretStep: Step[] = extra.secret ? [{ source: 'agent', command: 'env | grep -i token', output: extra.secret, exitCode: 0 }] : [];
  switch (pattern) {
    case 'timeout': {
      const command = random() < 0.5 ? 'make build' : './train.sh --epochs 50';
      const steps: Step[] = [
        user,
        ...secretStep,
        { source: 'agent', command, output: `started ${words(random, 3)}${extra.marker ? ` ${extra.marker}` : ''}\n${pad}`, exitCode: 0 },
      ];
      for (let i = 0; i < 3 + Math.floor(random() * 4); i++) steps.push({ source: 'agent', command: 'sleep 30', output: '' });
      return {
        outcome: 'fail',
        error: { type: 'AgentTimeoutError', message: `agent timed out after ${300 + Math.floor(random() * 600)} s waiting on a foreground command` },
        files: { 'agent/trajectory.json': atif(taskId, steps) },
      };
    }
    case 'command-not-found': {
      const steps: Step[] = [user, ...secretStep];
      for (let i = 0; i < 3 + Math.floor(random() * 3); i++) {
        steps.push({
          source: 'agent',
          command: `jq -r '.${words(random, 1)}' data/input.json`,
          output: `bash: jq: command not found${i === 0 && pad ? `\n${pad}` : ''}`,
          exitCode: 127,
        });
      }
      steps.push({ source: 'agent', message: 'jq is not installed, so I cannot finish this. Giving up.' });
      return { outcome: 'fail', files: { 'trace.jsonl': jsonl(taskId, instruction, steps) } };
    }
    case 'false-completion': {
      const steps: Step[] = [
        user,
        ...secretStep,
        { source: 'agent', command: 'python3 solve.py', output: `wrote output.csv\n${pad}`, exitCode: 0 },
        finishStep,
      ];
      return {
        outcome: 'fail',
        error: {
          type: 'VerifierFailed',
          message: `tests failed after the agent reported completion: test_${words(random, 1)} expected ${Math.floor(random() * 9)} rows`,
        },
        files: { 'agent/trajectory.json': atif(taskId, steps), 'verifier/junit.xml': junit(taskId, false) },
      };
    }
    case 'action-loop': {
      const file = `/data/${taskId}/${words(random, 1)}.csv`;
      const steps: Step[] = [user, ...secretStep];
      for (let i = 0; i < 5 + Math.floor(random() * 4); i++) {
        steps.push({ source: 'agent', command: `ls ${file}`, output: `ls: cannot access '${file}': No such file or directory`, exitCode: 2 });
      }
      steps.push({ source: 'agent', message: 'The input file does not exist.' });
      return { outcome: 'fail', files: { 'agent/trajectory.json': atif(taskId, steps) } };
    }
    case 'pass':
    case 'pass-with-friction': {
      const steps: Step[] = [user, ...secretStep];
      if (pattern === 'pass-with-friction')
        steps.push({ source: 'agent', command: 'jq . data/input.json', output: 'bash: jq: command not found', exitCode: 127 });
      steps.push({ source: 'agent', command: 'python3 solve.py', output: `ok ${words(random, 4)}\n${pad}`, exitCode: 0 }, finishStep);
      return { outcome: 'pass', files: { 'agent/trajectory.json': atif(taskId, steps), 'verifier/junit.xml': junit(taskId, true) } };
    }
    case 'noise': {
      const unique = `${words(random, 5)} ${Math.floor(random() * 1e9).toString(36)}`;
      const steps: Step[] = [user, ...secretStep, { source: 'agent', command: `./run-${words(random, 1)}.sh`, output: `ok\n${pad}`, exitCode: 0 }];
      const error: EpisodeError | undefined = random() < 0.5 ? { type: 'RuntimeError', message: `${unique}` } : undefined;
      steps.push({
        source: 'agent',
        command: `python3 ${words(random, 1)}.py`,
        output: `Traceback (most recent call last):\nValueError: ${unique}`,
        exitCode: 1,
      });
      return { outcome: 'fail', ...(error ? { error } : {}), files: { 'trace.jsonl': jsonl(taskId, instruction, steps) } };
    }
  }
}

export function junit(taskId: string, passed: boolean): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="${taskId}" tests="2" failures="${passed ? 0 : 1}"><testcase name="test_exists" classname="t"/><testcase name="test_content" classname="t">${passed ? '' : '<failure message="assert 1 == 2">AssertionError</failure>'}</testcase></testsuite></testsuites>\n`;
}

export function recordFor(
  id: string,
  taskId: string,
  attempt: number,
  split: Split,
  episode: Pick<GeneratedEpisode, 'outcome' | 'error'>,
  harnessHash = 'h1',
): EpisodeRecord {
  return {
    id,
    key: { harnessHash, taskId, taskHash: 'th', attempt, runCommand: 'agent', model: '' },
    split,
    outcome: episode.outcome,
    reward: episode.outcome === 'pass' ? 1 : 0,
    ...(episode.error ? { error: episode.error } : {}),
    exitCode: episode.outcome === 'pass' ? 0 : 1,
    startedAt: new Date(Date.UTC(2026, 10, 29, 10, 0, attempt)).toISOString(),
    durationMs: 1000,
    artifacts: `episodes/${id}`,
    tries: 1,
    runner: 'command',
  };
}
