// Records an episode as an ATIF-v1.5 trajectory (trajectory.json) and writes the episode's result.json.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EpisodeError } from '../domain/types.js';

export const ATIF_VERSION = 'ATIF-v1.5';
export const REFERENCE_AGENT_NAME = 'self-harness-reference-agent';
export const SIMULATED_AGENT_NAME = 'self-harness-simulated-agent';
export const AGENT_VERSION = '0.1.0';

export interface AtifToolCall {
  tool_call_id: string;
  function_name: string;
  arguments: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

export interface AtifObservationResult {
  source_call_id?: string;
  content: string;
  extra?: Record<string, unknown>;
}

export interface AtifStep {
  step_id: number;
  timestamp: string;
  source: 'system' | 'user' | 'agent';
  model_name?: string;
  message: string;
  tool_calls?: AtifToolCall[];
  observation?: { results: AtifObservationResult[] };
  metrics?: { prompt_tokens: number; completion_tokens: number; cost_usd?: number };
  extra?: Record<string, unknown>;
}

export interface AtifTrajectory {
  schema_version: string;
  session_id: string;
  agent: { name: string; version: string; model_name?: string; tool_definitions?: unknown[]; extra?: Record<string, unknown> };
  steps: AtifStep[];
  notes?: string;
  final_metrics: { total_prompt_tokens: number; total_completion_tokens: number; total_cost_usd: number; total_steps: number; extra?: Record<string, unknown> };
  extra?: Record<string, unknown>;
}

export class TrajectoryRecorder {
  readonly trajectory: AtifTrajectory;

  constructor(agent: AtifTrajectory['agent'], extra?: Record<string, unknown>) {
    this.trajectory = {
      schema_version: ATIF_VERSION,
      session_id: randomUUID(),
      agent,
      steps: [],
      final_metrics: { total_prompt_tokens: 0, total_completion_tokens: 0, total_cost_usd: 0, total_steps: 0 },
      ...(extra ? { extra } : {}),
    };
  }

  /** Appends a step and returns it (observation results may be added to it afterwards). */
  add(step: Omit<AtifStep, 'step_id' | 'timestamp'>): AtifStep {
    const full: AtifStep = { step_id: this.trajectory.steps.length + 1, timestamp: new Date().toISOString(), ...step };
    if (full.metrics) {
      const totals = this.trajectory.final_metrics;
      totals.total_prompt_tokens += full.metrics.prompt_tokens;
      totals.total_completion_tokens += full.metrics.completion_tokens;
      totals.total_cost_usd += full.metrics.cost_usd ?? 0;
    }
    this.trajectory.steps.push(full);
    this.trajectory.final_metrics.total_steps = this.trajectory.steps.length;
    return full;
  }

  observe(step: AtifStep, result: AtifObservationResult): void {
    step.observation ??= { results: [] };
    step.observation.results.push(result);
  }

  write(outDir: string): string {
    const file = path.join(outDir, 'trajectory.json');
    writeFileSync(file, `${JSON.stringify(this.trajectory, null, 2)}\n`);
    return file;
  }
}

/** The episode protocol's result file (`$SELF_HARNESS_OUT/result.json`). */
export interface EpisodeResultFile {
  reward: number;
  passed: boolean;
  error?: EpisodeError;
  usage?: { input_tokens?: number; output_tokens?: number; cost_usd?: number };
  agent?: string;
  steps?: number;
}

export function writeResultFile(outDir: string, result: EpisodeResultFile): string {
  const file = path.join(outDir, 'result.json');
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
