// Keeps the conversation under the harness's context budget by replacing old turns with a plain summary.
import type OpenAI from 'openai';

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

export function estimateTokens(messages: Message[]): number {
  return Math.ceil(JSON.stringify(messages).length / 4);
}

/**
 * When the estimate exceeds `budgetTokens`, keeps the first two messages (system prompt, task) and the most recent
 * turns that fit in half the budget, and puts a one-line-per-action summary of the removed turns in between.
 * Returns undefined when nothing needs to (or can) be removed.
 */
export function summariseHistory(messages: Message[], budgetTokens: number): { messages: Message[]; removed: number; summary: string } | undefined {
  if (estimateTokens(messages) <= budgetTokens || messages.length <= 3) return undefined;
  const head = messages.slice(0, 2);
  const groups = turnGroups(messages.slice(2));
  const kept: Message[][] = [];
  let keptTokens = 0;
  for (let i = groups.length - 1; i >= 0; i--) {
    const tokens = estimateTokens(groups[i]!);
    if (kept.length > 0 && keptTokens + tokens > budgetTokens / 2) break;
    kept.unshift(groups[i]!);
    keptTokens += tokens;
  }
  const removedGroups = groups.slice(0, groups.length - kept.length);
  if (removedGroups.length === 0) return undefined;
  const removed = removedGroups.flat();
  const lines = removed.flatMap(describe);
  const summary = `Summary of earlier steps (older turns were removed to fit the context budget):\n${lines.join('\n')}`;
  return { messages: [...head, { role: 'user', content: summary }, ...kept.flat()], removed: removed.length, summary };
}

/** An assistant turn with its tool results is one group: never split a tool call from its result. */
function turnGroups(messages: Message[]): Message[][] {
  const groups: Message[][] = [];
  for (const message of messages) {
    if (message.role === 'tool' && groups.length > 0) groups[groups.length - 1]!.push(message);
    else groups.push([message]);
  }
  return groups;
}

function describe(message: Message): string[] {
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value ?? '')).replace(/\s+/g, ' ').slice(0, 160);
  if (message.role === 'assistant') {
    const calls = (message.tool_calls ?? []).map((call) =>
      'function' in call ? `- called ${call.function.name} ${call.function.arguments.slice(0, 160)}` : '- called a tool',
    );
    return message.content ? [`- said: ${text(message.content)}`, ...calls] : calls;
  }
  if (message.role === 'tool') return [`  -> ${text(message.content)}`];
  return [`- ${message.role}: ${text(message.content)}`];
}
