// The reference agent's tool-using loop over an OpenAI-compatible chat-completions endpoint (native tool calls).
import OpenAI from 'openai';
import type { EpisodeError } from '../domain/types.js';
import { accumulateUsage, zeroUsage, type UsageTotal } from '../domain/usage.js';
import { costOf } from '../llm/openai.js';
import type { AgentHarness } from './harness.js';
import { renderTemplate } from './harness.js';
import { executeTool, parseToolCall, recoveryText } from './tools.js';
import { summariseHistory } from './history-summary.js';
import type { TrajectoryRecorder } from './trajectory.js';

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

export interface AgentLoopOptions {
  client: OpenAI;
  model: string;
  temperature: number;
  pricing: { inputUsdPerMtok: number; outputUsdPerMtok: number };
  harness: AgentHarness;
  instruction: string;
  workDir: string;
  /** Environment of shell commands. */
  env: NodeJS.ProcessEnv;
  recorder: TrajectoryRecorder;
  /** Epoch ms after which no new step starts (the task's agent timeout). */
  deadline: number;
  processGroups?: Set<number>;
}

export type StopReason = 'finished' | 'step-limit' | 'agent-timeout' | 'model-error';

export interface AgentLoopResult {
  stopReason: StopReason;
  summary?: string;
  steps: number;
  usage: UsageTotal;
  error?: EpisodeError;
}

/** Sent as the first user message when the system prompt already carries the instruction. */
export const START_MESSAGE = 'Begin.';

export async function runAgentLoop(options: AgentLoopOptions): Promise<AgentLoopResult> {
  const { harness, recorder } = options;
  const started = Date.now();
  const templated = /\{\{\s*instruction\s*\}\}/.test(harness.systemPromptTemplate);
  const systemPrompt = renderTemplate(harness.systemPromptTemplate, { instruction: options.instruction });
  const firstUser = templated ? START_MESSAGE : options.instruction;
  let messages: Message[] = [
    { role: 'system', content: systemPrompt },
    { role: 'user', content: firstUser },
  ];
  recorder.add({ source: 'system', message: systemPrompt });
  recorder.add({ source: 'user', message: firstUser });
  const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = harness.tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
  const offered = harness.tools.map((t) => t.name);
  const usage = zeroUsage();
  let lastCallKey = '';
  let repeats = 0;

  for (let step = 1; step <= harness.limits.max_steps; step++) {
    if (Date.now() > options.deadline) {
      const seconds = Math.round((Date.now() - started) / 1000);
      return {
        stopReason: 'agent-timeout',
        steps: step - 1,
        usage,
        error: { type: 'AgentTimeoutError', message: `agent timed out after ${seconds} s (task.toml [agent] timeout_sec) with ${step - 1} steps taken` },
      };
    }
    const shortened = summariseHistory(messages, harness.limits.context_budget_tokens);
    if (shortened) {
      messages = shortened.messages;
      recorder.add({
        source: 'system',
        message: `Performed context summarization: ${shortened.removed} earlier messages replaced by a summary.`,
        extra: { summary: shortened.summary },
      });
    }
    let response: OpenAI.Chat.Completions.ChatCompletion;
    try {
      response = await options.client.chat.completions.create({
        model: options.model,
        messages,
        tools,
        temperature: options.temperature,
        ...(harness.limits.max_tokens_per_reply ? { max_tokens: harness.limits.max_tokens_per_reply } : {}),
      });
    } catch (error) {
      return { stopReason: 'model-error', steps: step - 1, usage, error: modelError(error) };
    }
    const promptTokens = response.usage?.prompt_tokens ?? 0;
    const completionTokens = response.usage?.completion_tokens ?? 0;
    const cost = costOf({ inputTokens: promptTokens, outputTokens: completionTokens }, options.pricing);
    accumulateUsage(usage, { inputTokens: promptTokens, outputTokens: completionTokens, costUsd: cost });
    const reply = response.choices[0]?.message;
    const content = reply?.content ?? '';
    const calls = (reply?.tool_calls ?? []).filter((call) => call.type === 'function');
    const atifStep = recorder.add({
      source: 'agent',
      model_name: response.model || options.model,
      message: content,
      tool_calls: calls.map((call) => ({ tool_call_id: call.id, function_name: call.function.name, arguments: argumentsObject(call.function.arguments) })),
      metrics: { prompt_tokens: promptTokens, completion_tokens: completionTokens, cost_usd: cost },
    });
    messages.push({ role: 'assistant', content: reply?.content ?? null, ...(calls.length ? { tool_calls: calls } : {}) });

    if (calls.length === 0) {
      const text = parseErrorMessage(harness, 'the reply contained no tool call');
      messages.push({ role: 'user', content: text });
      recorder.observe(atifStep, { content: text, extra: { recovery: 'parse-error' } });
      continue;
    }
    let finished: { summary?: string } | undefined;
    for (const call of calls) {
      if (finished) {
        messages.push({ role: 'tool', tool_call_id: call.id, content: 'not run: finish was already called' });
        continue;
      }
      const parsed = parseToolCall(call.function.name, call.function.arguments, offered);
      let content: string;
      let recovery: string | undefined;
      let exitCode: number | null | undefined;
      if (!parsed.ok) {
        content = parseErrorMessage(harness, parsed.error);
        recovery = 'parse-error';
      } else {
        const outcome = await executeTool(parsed, {
          harness,
          workDir: options.workDir,
          env: options.env,
          processGroups: options.processGroups,
          deadline: options.deadline,
        });
        content = outcome.content;
        recovery = outcome.recovery;
        exitCode = outcome.exitCode;
        if (outcome.finished) finished = { summary: outcome.summary };
        const key = `${call.function.name}\0${call.function.arguments}`;
        repeats = key === lastCallKey ? repeats + 1 : 1;
        lastCallKey = key;
        if (repeats >= harness.limits.repeat_threshold && !outcome.finished) {
          const text = recoveryText(harness, 'repeated-action', { count: repeats, tool: call.function.name });
          if (text) content = `${content}\n${text}`;
          recovery = 'repeated-action';
        }
      }
      messages.push({ role: 'tool', tool_call_id: call.id, content });
      recorder.observe(atifStep, {
        source_call_id: call.id,
        content,
        ...(recovery !== undefined || exitCode !== undefined
          ? { extra: { ...(recovery ? { recovery } : {}), ...(exitCode !== undefined ? { exit_code: exitCode } : {}) } }
          : {}),
      });
    }
    if (finished) return { stopReason: 'finished', summary: finished.summary, steps: step, usage };
  }
  return {
    stopReason: 'step-limit',
    steps: harness.limits.max_steps,
    usage,
    error: { type: 'StepLimitExceeded', message: `agent stopped after ${harness.limits.max_steps} steps (limits.json max_steps) without calling finish` },
  };
}

/** `Error: <what>` then the harness's parse-error text; a template that places {{error}} itself gets it alone. */
export function parseErrorMessage(harness: AgentHarness, error: string): string {
  const rendered = recoveryText(harness, 'parse-error', { error });
  if (/\{\{\s*error\s*\}\}/.test(harness.recovery['parse-error'] ?? '')) return rendered;
  return rendered ? `Error: ${error}\n${rendered}` : `Error: ${error}`;
}

function argumentsObject(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Malformed arguments are kept verbatim so the trace shows what the model sent.
  }
  return { _raw: text };
}

function modelError(error: unknown): EpisodeError {
  if (error instanceof OpenAI.APIError) {
    const status = error.status;
    const message = `model endpoint answered ${status ?? 'no status'}: ${error.message}`;
    if (status === 400 && /context|too long|maximum.*tokens/i.test(error.message)) return { type: 'ContextLengthExceededError', message };
    // Auth and request errors are configuration problems, not agent failures; so are 5xx and connection errors.
    return { type: 'ModelError', message, infrastructure: true };
  }
  return { type: 'ModelError', message: `model call failed: ${error instanceof Error ? error.message : String(error)}`, infrastructure: true };
}
