// The one choke point every outgoing model request passes: a request that names a held-out task id or quotes a
// held-out task's instruction text is refused before it leaves the machine (the held-out split is sealed).
import type { ChatModel, ChatReply, ChatRequest } from '../domain/types.js';
import { redactDeep } from './redact.js';

/** What must never reach a prompt: held-out task ids and distinctive lines of their instruction text. */
export interface SealedHoldout {
  ids: string[];
  /** Whitespace-normalised, lower-cased lines of held-out task text (lines shared with train tasks left out). */
  lines: string[];
}

/** Thrown instead of sending a request that would leak the held-out split; says what and where. */
export class HeldOutLeakError extends Error {
  override readonly name = 'HeldOutLeakError';
  constructor(
    readonly found: string,
    readonly where: string,
  ) {
    super(
      `refused to send a model request: ${where} contains ${found}; the held-out split is sealed and never reaches a prompt. Keep held-out task ids and text out of harness files, traces and evidence (or move the task to the train split).`,
    );
  }
}

const MIN_LINE = 24;

/** Builds the sealed set from held-out ids and task texts, leaving out lines that train tasks share (boilerplate). */
export function sealHoldout(ids: string[], heldOutTexts: string[], trainTexts: string[] = []): SealedHoldout {
  const shared = new Set(trainTexts.flatMap(textLines));
  const lines = [...new Set(heldOutTexts.flatMap(textLines))].filter((line) => !shared.has(line));
  return { ids: [...new Set(ids.filter((id) => id.length > 0))], lines };
}

function textLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map(normalize)
    .filter((line) => line.length >= MIN_LINE);
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A description of the first held-out id or instruction line in `text`, or undefined. */
export function findHeldOut(text: string, sealed: SealedHoldout): string | undefined {
  if (sealed.ids.length > 0) {
    // An id counts as a whole word: not part of a longer id (letters, digits, '_' or '-' joined to it).
    const pattern = new RegExp(`(?<![\\w-])(${sealed.ids.map(escape).join('|')})(?![\\w]|-\\w)`, 'i');
    const hit = pattern.exec(text);
    if (hit) return `held-out task id "${hit[1]}"`;
  }
  if (sealed.lines.length > 0) {
    const flat = normalize(text);
    const line = sealed.lines.find((l) => flat.includes(l));
    if (line) return `text of a held-out task ("${line.length > 60 ? `${line.slice(0, 57)}...` : line}")`;
  }
  return undefined;
}

/** Throws HeldOutLeakError when any message of `request` names the held-out split. */
export function checkRequest(request: ChatRequest, sealed: SealedHoldout): void {
  request.messages.forEach((message, index) => {
    const found = findHeldOut(message.content, sealed);
    if (found) throw new HeldOutLeakError(found, `message ${index + 1} (${message.role})`);
  });
}

/** Models that check every request against a sealed set and redact it with `redactDeep` themselves (the transport). */
const selfGuarded = new WeakMap<ChatModel, SealedHoldout>();

/** Records that `model` checks every request against `sealed` and redacts it with `redactDeep` before sending it. */
export function markSelfGuarded(model: ChatModel, sealed: SealedHoldout): void {
  selfGuarded.set(model, sealed);
}

/** Whether checking against `outer` refuses everything checking against `inner` would. */
function covers(outer: SealedHoldout, inner: SealedHoldout): boolean {
  const ids = new Set(outer.ids);
  const lines = new Set(outer.lines);
  return inner.ids.every((id) => ids.has(id)) && inner.lines.every((line) => lines.has(line));
}

/**
 * `model` with every request checked against `sealed` and then redacted (secretlint's recommended rules, our pattern
 * rules and secret env values, in evidence, diagnoses and harness file contents alike) before it is sent. A model that
 * already does exactly this itself, against a sealed set covering `sealed`, is returned as it is: each request is
 * checked and redacted once, not twice.
 */
export function guardModel(model: ChatModel, sealed: SealedHoldout, redactText: (text: string) => string | Promise<string> = redactDeep): ChatModel {
  const own = selfGuarded.get(model);
  if (own && redactText === redactDeep && covers(own, sealed)) return model;
  return {
    name: model.name,
    async complete(request: ChatRequest): Promise<ChatReply> {
      checkRequest(request, sealed);
      const messages = await Promise.all(request.messages.map(async (message) => ({ ...message, content: await redactText(message.content) })));
      return model.complete({ ...request, messages });
    },
  };
}
