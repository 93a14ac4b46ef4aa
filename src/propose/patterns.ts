// The patterns proposer: no model. For each weakness whose failure class has a remedy in the library, append that
// remedy's instruction under a heading to the most fitting harness file. Deterministic, free, and the offline default.
import type { Weakness } from '../mining/types.js';
import { zeroUsage } from '../domain/usage.js';
import { candidateId } from './candidate.js';
import { countOccurrences } from './edit-text.js';
import { anyRecoveryFile, isTextFile, normalizeForMatch, pickPromptFile, pickRecoveryFile, readHarnessFiles } from './harness-files.js';
import { rejectedIdeas } from './history.js';
import { remedyFor, type Remedy } from './remedies.js';
import type { Candidate, FileEdit, ProposeInput, ProposeOutput, Proposer } from './types.js';

export function createPatternsProposer(): Proposer {
  return {
    name: 'patterns',
    propose: proposeFromPatterns,
  };
}

async function proposeFromPatterns(input: ProposeInput): Promise<ProposeOutput> {
  const output: ProposeOutput = { candidates: [], declined: [], dropped: [], usage: zeroUsage() };
  const { files } = await readHarnessFiles(input.surface, input.harnessRoot);
  const contents = new Map(files.map((f) => [f.file, f.content]));
  const everything = normalizeForMatch(files.map((f) => f.content).join('\n'));
  const rejected = rejectedIdeas(input.history);
  const proposedFor = new Map<string, string>();
  const limit = input.count > 0 ? input.count : 4;
  // One remedy serves every cluster of its class, so it is predicted to fix all their tasks.
  const classTasks = new Map<string, Set<string>>();
  for (const w of input.weaknesses) {
    const tasks = classTasks.get(w.signature.failureClass) ?? new Set<string>();
    w.tasks.forEach((t) => tasks.add(t));
    classTasks.set(w.signature.failureClass, tasks);
  }

  for (const weakness of [...input.weaknesses].sort((a, b) => a.rank - b.rank)) {
    const failureClass = weakness.signature.failureClass;
    const remedy = remedyFor(failureClass);
    const decline = (reason: string) => output.declined.push({ weaknessId: weakness.id, reason });
    if (!remedy) {
      decline(`no remedy in the pattern library for failure class ${failureClass}`);
      continue;
    }
    if (everything.includes(normalizeForMatch(remedy.text))) {
      decline(`the ${failureClass} remedy ("${remedy.title}") is already in the harness`);
      continue;
    }
    const earlier = proposedFor.get(failureClass);
    if (earlier) {
      decline(`the ${failureClass} remedy is already proposed this round for ${earlier}`);
      continue;
    }
    const before = rejected.find((e) => e.weaknessId === weakness.id && e.proposer === 'patterns' && e.summary.startsWith(summaryPrefix(remedy)));
    if (before) {
      decline(
        `the ${failureClass} remedy was ${before.decision === 'refused' ? 'refused' : 'rejected'} in round ${before.round} (${before.id}): ${before.reason}`,
      );
      continue;
    }
    if (output.candidates.length >= limit) {
      decline(`not addressed this round: the round already has ${limit} candidate(s)`);
      continue;
    }
    const file = targetFile(remedy, [...contents.keys()]);
    if (!file) {
      decline('the harness surface has no text file (system prompt, AGENTS.md or recovery file) to add an instruction to');
      continue;
    }
    const edit = appendSection(file, contents.get(file)!, remedy);
    output.candidates.push(candidateFor(weakness, remedy, file, edit, [...classTasks.get(failureClass)!].sort()));
    proposedFor.set(failureClass, weakness.id);
  }
  input.logger?.debug?.(`patterns proposer: ${output.candidates.length} candidate(s), ${output.declined.length} declined`);
  return output;
}

function summaryPrefix(remedy: Remedy): string {
  return `Pattern remedy for ${remedy.failureClass}:`;
}

function candidateFor(weakness: Weakness, remedy: Remedy, file: string, edit: FileEdit, predictedFixes: string[]): Candidate {
  const tasks = weakness.tasks.slice(0, 8).join(', ') + (weakness.tasks.length > 8 ? `, and ${weakness.tasks.length - 8} more` : '');
  return {
    id: candidateId([edit]),
    weaknessId: weakness.id,
    mechanism: remedy.mechanism,
    summary: `${summaryPrefix(remedy)} add "${remedy.title}" to ${file}`,
    rationale:
      `${weakness.tasks.length} train task(s) (${tasks}) fail with ${remedy.failureClass}` +
      `${weakness.signature.fingerprint ? ` ("${weakness.signature.fingerprint.slice(0, 160)}")` : ''}. ` +
      `The harness has no instruction for this; the library's remedy is: ${remedy.text}`,
    predictedFixes,
    edits: [edit],
    proposer: 'patterns',
  };
}

/** Prevention goes in the system prompt, reactions in the matching recovery file; otherwise any text file of the harness. */
export function targetFile(remedy: Remedy, files: string[]): string | undefined {
  const prompt = pickPromptFile(files);
  const recovery = pickRecoveryFile(files, remedy.recoveryKeywords);
  const ordered = remedy.target === 'prompt' ? [prompt, recovery] : [recovery, prompt];
  return ordered.find(Boolean) ?? anyRecoveryFile(files) ?? files.filter(isTextFile).sort()[0];
}

/**
 * An edit that appends `## title` and the remedy text at the end of `file`: a replace anchored on the shortest unique
 * tail of the file, so several such edits to one file still apply one after another (a merge of candidates).
 */
export function appendSection(file: string, content: string, remedy: Pick<Remedy, 'title' | 'text'>): FileEdit {
  const eol = content.includes('\r\n') ? '\r\n' : '\n';
  const section = `## ${remedy.title}${eol}${eol}${remedy.text}`;
  const body = content.replace(/\s+$/, '');
  if (body === '') return { kind: 'create', file, content: `${section}${eol}` };
  const lines = body.split('\n');
  let anchor = body;
  for (let k = 1; k <= lines.length; k++) {
    const tail = lines.slice(-k).join('\n');
    if (tail.trim() !== '' && countOccurrences(content, tail) === 1) {
      anchor = tail;
      break;
    }
  }
  return { kind: 'replace', file, search: anchor, replace: `${anchor}${eol}${eol}${section}` };
}
