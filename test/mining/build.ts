// Small builders for episode records and parsed traces used by the mining tests.
import type { EpisodeError, EpisodeRecord, Outcome, Split } from '../../src/domain/types.js';
import type { Observation, ParsedTrace, TraceStep } from '../../src/traces/model.js';

let counter = 0;

export function record(taskId: string, outcome: Outcome, options: { split?: Split; error?: EpisodeError; attempt?: number; id?: string } = {}): EpisodeRecord {
  const attempt = options.attempt ?? 0;
  const id = options.id ?? `ep-${taskId}-${attempt}-${counter++}`;
  return {
    id,
    key: { harnessHash: 'h1', taskId, taskHash: 't', attempt, runCommand: 'run', model: '' },
    split: options.split ?? 'train',
    outcome,
    reward: outcome === 'pass' ? 1 : 0,
    ...(options.error ? { error: options.error } : {}),
    exitCode: outcome === 'pass' ? 0 : 1,
    startedAt: '2026-11-29T00:00:00Z',
    durationMs: 1000,
    artifacts: `episodes/${id}`,
    tries: 1,
    runner: 'command',
  };
}

/** An agent step running `command` with one observation. */
export function call(command: string, output: string, exitCode?: number, name = 'bash'): Omit<TraceStep, 'id' | 'index'> {
  const observation: Observation = { content: output, ...(exitCode !== undefined ? { exitCode } : {}) };
  return { source: 'agent', toolCalls: [{ name, arguments: JSON.stringify({ command }) }], observations: [observation] };
}

export function say(message: string, source: TraceStep['source'] = 'agent'): Omit<TraceStep, 'id' | 'index'> {
  return { source, message, toolCalls: [], observations: [] };
}

export function finish(message = 'The task is complete.'): Omit<TraceStep, 'id' | 'index'> {
  return { source: 'agent', message, toolCalls: [{ name: 'finish', arguments: '{}' }], observations: [] };
}

export function trace(steps: Omit<TraceStep, 'id' | 'index'>[], extra: Partial<ParsedTrace> = {}): ParsedTrace {
  return {
    format: 'atif',
    file: 'agent/trajectory.json',
    steps: steps.map((s, i) => ({ ...s, id: String(i + 1), index: i })),
    tests: [],
    skipped: [],
    ...extra,
  };
}
