// Plain text of message contents, tool arguments and attachments, clipped to the per-field cap.
import { truncateMiddle } from './text.js';
import { isRecord } from './lenient.js';

/** One message, reasoning text or observation is kept up to this many characters (head + tail). */
export const MAX_FIELD_CHARS = 16_000;

/** Plain text of a message content: a string, a list of parts ({type:'text',text} ...) or anything else as JSON. */
export function contentText(content: unknown, attachments?: Record<string, unknown>): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return resolveAttachment(content, attachments);
  if (Array.isArray(content)) {
    return content
      .map((part) => partText(part, attachments))
      .filter((text) => text !== '')
      .join('\n');
  }
  if (isRecord(content)) return partText(content, attachments);
  return String(content);
}

function partText(part: unknown, attachments?: Record<string, unknown>): string {
  if (typeof part === 'string') return resolveAttachment(part, attachments);
  if (!isRecord(part)) return part === null || part === undefined ? '' : String(part);
  for (const key of ['text', 'content', 'reasoning', 'refusal']) {
    const value = part[key];
    if (typeof value === 'string') return resolveAttachment(value, attachments);
  }
  if (typeof part.type === 'string') return `[${part.type}]`;
  return safeJson(part);
}

function resolveAttachment(text: string, attachments?: Record<string, unknown>): string {
  if (!attachments || !text.startsWith('attachment://')) return text;
  const value = attachments[text.slice('attachment://'.length)];
  return typeof value === 'string' ? value : text;
}

export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

/** Tool-call arguments as JSON text (strings are kept as given). */
export function argumentsText(args: unknown): string {
  if (args === undefined || args === null) return '{}';
  if (typeof args === 'string') return clip(args);
  return clip(safeJson(args));
}

export const clip = (text: string): string => truncateMiddle(text, MAX_FIELD_CHARS);

export function clipOptional(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : clip(text);
}
