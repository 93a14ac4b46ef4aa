// The model's proposal reply: a zod schema for the JSON it must send, and a tolerant extractor for what it actually sends.
import { z } from 'zod';
import { MECHANISMS } from './types.js';

const text = (what: string) => z.string({ error: `${what} must be a string` });

export const EditReplySchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('replace'), file: text('file').min(1), search: text('search').min(1, 'search must not be empty'), replace: text('replace') }),
    z.object({ kind: z.literal('diff'), file: text('file').min(1), patch: text('patch').min(1) }),
    z.object({ kind: z.literal('create'), file: text('file').min(1), content: text('content') }),
  ],
  { error: 'each edit needs kind "replace" (file, search, replace), "diff" (file, patch) or "create" (file, content)' },
);

export const ProposalReplySchema = z.discriminatedUnion(
  'decision',
  [
    z.object({
      decision: z.literal('propose'),
      weakness_id: text('weakness_id').min(1),
      mechanism: z.enum(MECHANISMS, { error: `mechanism must be one of ${MECHANISMS.join(', ')}` }),
      summary: text('summary').min(1).max(300),
      rationale: text('rationale').min(1),
      predicted_fixes: z.array(z.string()).default([]),
      edits: z.array(EditReplySchema).min(1, 'give at least one edit').max(8, 'at most 8 edits'),
    }),
    z.object({
      decision: z.literal('decline'),
      weakness_id: text('weakness_id').min(1),
      reason: text('reason').min(1),
    }),
  ],
  { error: 'decision must be "propose" or "decline"' },
);

export type ProposalReply = z.output<typeof ProposalReplySchema>;

/** The shape shown to the model in the system prompt. */
export const REPLY_SHAPE = `{
  "decision": "propose",
  "weakness_id": "<the id of the weakness you target>",
  "mechanism": "${MECHANISMS.join('" | "')}",
  "summary": "<one line: what the edit changes>",
  "rationale": "<why this fixes the failures, citing the evidence>",
  "predicted_fixes": ["<train task ids you expect to pass after the edit>"],
  "edits": [
    { "kind": "replace", "file": "<harness file>", "search": "<exact text occurring once in the file>", "replace": "<new text>" },
    { "kind": "diff", "file": "<harness file>", "patch": "<unified diff of that one file>" },
    { "kind": "create", "file": "<new harness file>", "content": "<its content>" }
  ]
}
or, to decline: { "decision": "decline", "weakness_id": "<id>", "reason": "<why no harness edit would help>" }`;

export type ReplyParse = { ok: true; value: ProposalReply } | { ok: false; error: string };

/** Parses a reply that should be one JSON object; tolerates a code fence or prose around it. Never throws. */
export function parseProposalReply(reply: string): ReplyParse {
  const json = extractJsonObject(reply);
  if (json === undefined) return { ok: false, error: 'the reply holds no JSON object' };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { ok: false, error: `the reply is not valid JSON: ${(error as Error).message}` };
  }
  const parsed = ProposalReplySchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(reply)'}: ${issue.message}`);
    return { ok: false, error: `the JSON does not have the required shape: ${issues.join('; ')}` };
  }
  return { ok: true, value: parsed.data };
}

function extractJsonObject(reply: string): string | undefined {
  const trimmed = reply.trim();
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) return trimmed;
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n\s*```/.exec(trimmed);
  if (fenced && fenced[1]!.trim().startsWith('{')) return fenced[1]!.trim();
  const start = trimmed.indexOf('{');
  const end = trimmed.lastIndexOf('}');
  return start !== -1 && end > start ? trimmed.slice(start, end + 1) : undefined;
}
