// The model proposer: one call per candidate slot (K = input.count), each aimed at a weakness and aware of the
// proposals already made. A bad reply gets one repair turn with the error, then is dropped; nothing here throws
// on what the model sends.
import type { ChatMessage, ChatModel } from '../domain/types.js';
import { planCandidate } from './apply.js';
import { accumulateUsage, zeroUsage } from '../domain/usage.js';
import { candidateId, duplicateReason } from './candidate.js';
import { readHarnessFiles } from './harness-files.js';
import { rejectedIdeas } from './history.js';
import { parseProposalReply, type ProposalReply } from './model-reply.js';
import { PROMPT_CAPS, repairPrompt, slotPrompt, systemPrompt } from './model-prompt.js';
import { EditRefusedError } from './safety.js';
import type { Candidate, FileEdit, ProposeInput, ProposeOutput, Proposer } from './types.js';

const DEFAULT_COUNT = 4;
const MAX_REPLY_TOKENS = 4000;

type SlotResult = { kind: 'candidate'; candidate: Candidate } | { kind: 'declined'; weaknessId: string; reason: string } | { kind: 'dropped'; reason: string };

export function createModelProposer(model: ChatModel): Proposer {
  return {
    name: 'model',
    propose: (input) => proposeWithModel(model, input),
  };
}

async function proposeWithModel(model: ChatModel, input: ProposeInput): Promise<ProposeOutput> {
  const output: ProposeOutput = { candidates: [], declined: [], dropped: [], usage: zeroUsage() };
  const targets = [...input.weaknesses].sort((a, b) => a.rank - b.rank);
  if (targets.length === 0) return output;
  const { files, omitted } = await readHarnessFiles(input.surface, input.harnessRoot, PROMPT_CAPS);
  const rejected = rejectedIdeas(input.history);
  const count = input.count > 0 ? input.count : DEFAULT_COUNT;
  const declinedIds = new Set<string>();
  const system = systemPrompt(input.limits);

  for (let slot = 0; slot < count; slot++) {
    const open = targets.filter((w) => !declinedIds.has(w.id));
    if (open.length === 0) break;
    const weakness = open[slot % open.length]!;
    const prompt = slotPrompt({
      weakness,
      files,
      omittedFiles: omitted,
      passingTasks: input.passingTasks,
      rejected,
      proposedThisRound: output.candidates,
      focus: input.focus,
    });
    const result = await runSlot(
      model,
      input,
      [
        { role: 'system', content: system },
        { role: 'user', content: prompt },
      ],
      output,
    );
    if (result.kind === 'candidate') output.candidates.push(result.candidate);
    else if (result.kind === 'declined') {
      declinedIds.add(result.weaknessId);
      output.declined.push({ weaknessId: result.weaknessId, reason: result.reason });
    } else output.dropped.push({ reason: `slot ${slot + 1} (${weakness.id}): ${result.reason}` });
  }
  input.logger?.debug?.(`model proposer: ${output.candidates.length} candidate(s), ${output.declined.length} declined, ${output.dropped.length} dropped`);
  return output;
}

/** One slot: ask, check, and on a problem send the problem back once. */
async function runSlot(model: ChatModel, input: ProposeInput, messages: ChatMessage[], output: ProposeOutput): Promise<SlotResult> {
  let lastError = '';
  for (let turn = 0; turn < 2; turn++) {
    let text: string;
    try {
      const reply = await model.complete({ messages, json: true, maxTokens: MAX_REPLY_TOKENS });
      accumulateUsage(output.usage, reply.usage);
      text = reply.text ?? '';
    } catch (error) {
      return { kind: 'dropped', reason: `the model call failed: ${(error as Error).message}` };
    }
    const checked = await checkReply(text, input, output.candidates);
    if (checked.kind !== 'retry') return checked;
    lastError = checked.error;
    input.logger?.debug?.(`model proposer: reply ${turn + 1} unusable: ${lastError}`);
    messages = [...messages, { role: 'assistant', content: text.slice(0, 20000) }, { role: 'user', content: repairPrompt(lastError) }];
  }
  return { kind: 'dropped', reason: `unusable after one repair: ${lastError}` };
}

async function checkReply(text: string, input: ProposeInput, kept: Candidate[]): Promise<SlotResult | { kind: 'retry'; error: string }> {
  const parsed = parseProposalReply(text);
  if (!parsed.ok) return { kind: 'retry', error: parsed.error };
  const reply = parsed.value;
  const weakness = input.weaknesses.find((w) => w.id === reply.weakness_id);
  if (!weakness) {
    return {
      kind: 'retry',
      error: `weakness_id ${JSON.stringify(reply.weakness_id)} is not one of the weaknesses shown (${input.weaknesses.map((w) => w.id).join(', ')})`,
    };
  }
  if (reply.decision === 'decline') return { kind: 'declined', weaknessId: weakness.id, reason: `the model declined: ${reply.reason}` };
  const candidate = toCandidate(reply, input);
  try {
    await planCandidate(candidate, input.harnessRoot, input.surface, input.limits);
  } catch (error) {
    if (error instanceof EditRefusedError) return { kind: 'retry', error: `refused (${error.rule}): ${error.message}` };
    return { kind: 'retry', error: `the edits could not be checked: ${(error as Error).message}` };
  }
  const duplicate = duplicateReason(candidate, kept);
  if (duplicate) return { kind: 'retry', error: `${duplicate}; propose a different mechanism or decline` };
  const tried = rejectedIdeas(input.history).find((e) => e.id === candidate.id);
  if (tried)
    return {
      kind: 'retry',
      error: `these exact edits were already tried in round ${tried.round} and ${tried.decision === 'refused' ? 'refused' : 'rejected'} (${tried.reason})`,
    };
  return { kind: 'candidate', candidate };
}

function toCandidate(reply: Extract<ProposalReply, { decision: 'propose' }>, input: ProposeInput): Candidate {
  const edits: FileEdit[] = reply.edits.map((e) => ({ ...e }));
  // Only train task ids the proposer was shown can be predicted fixes: never anything else.
  const known = new Set(input.weaknesses.flatMap((w) => w.tasks));
  return {
    id: candidateId(edits),
    weaknessId: reply.weakness_id,
    mechanism: reply.mechanism,
    summary: reply.summary.replace(/\s+/g, ' ').trim(),
    rationale: reply.rationale.trim(),
    predictedFixes: [...new Set(reply.predicted_fixes.filter((t) => known.has(t)))],
    edits,
    proposer: 'model',
  };
}
