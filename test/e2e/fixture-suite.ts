// A tiny, fast suite for end-to-end tests: an agent script whose pass probability depends on the harness text.
// "VERIFY" in the prompt helps a lot, "BREAK" ruins it; anything else leaves it as is. Deterministic per
// (task, attempt, harness hash), like a real noisy agent re-run with the same seed.
import { makeRepo } from '../helpers/git.js';

const agentScript = String.raw`
import { readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
const prompt = readFileSync('harness/prompt.md', 'utf8');
const task = process.env.SELF_HARNESS_TASK;
const attempt = process.env.SELF_HARNESS_ATTEMPT;
const out = process.env.SELF_HARNESS_OUT;
if (process.env.AGENT_LOG) appendFileSync(process.env.AGENT_LOG, task + '#' + attempt + '\n');
const p = prompt.includes('BREAK') ? 0.02 : prompt.includes('VERIFY') ? 0.95 : 0.3;
const h = createHash('sha256').update(task + '|' + attempt + '|' + process.env.SELF_HARNESS_HARNESS).digest();
const u = h.readUInt32BE(0) / 2 ** 32;
const events = [
  { type: 'message', step: 1, role: 'user', content: 'Do the task ' + task },
  { type: 'tool_call', step: 2, name: 'shell', arguments: { command: 'make output' } },
  { type: 'tool_result', step: 2, content: 'ok', exit_code: 0 },
  { type: 'tool_call', step: 3, name: 'finish', arguments: { summary: 'done' } },
];
writeFileSync(out + '/trace.jsonl', events.map((e) => JSON.stringify(e)).join('\n') + '\n');
if (u < p) {
  writeFileSync(out + '/result.json', JSON.stringify({ reward: 1 }));
} else {
  writeFileSync(out + '/result.json', JSON.stringify({ reward: 0, error: { type: 'VerifierFailed', message: 'tests failed after the agent reported completion: output.txt does not match the expected format' } }));
}
`;

export const TASK_IDS = Array.from({ length: 16 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);

export interface SuiteOptions {
  rounds?: number;
  candidates?: number;
  diagnose?: boolean;
  holdout?: number;
}

/** The suite's files: the harness, the agent script, the config and the task directories. */
export function suiteFiles(options: SuiteOptions = {}): Record<string, string> {
  const files: Record<string, string> = {
    'harness/prompt.md': '# System prompt\n\nYou are a careful agent. Do the task, then call finish.\n',
    'agent.mjs': agentScript,
    '.self-harness.yml': [
      'harness:',
      '  include: ["harness/**"]',
      'suite:',
      '  tasks: "tasks/*"',
      '  run: "node agent.mjs"',
      '  timeout-seconds: 30',
      '  concurrency: 4',
      '  attempts: 1',
      `  holdout: ${options.holdout ?? 0.25}`,
      '  seed: "e2e"',
      'mining:',
      `  diagnose: ${options.diagnose ?? false}`,
      'propose:',
      `  candidates: ${options.candidates ?? 1}`,
      'validate:',
      '  max-attempts: 6',
      'evolve:',
      `  rounds: ${options.rounds ?? 1}`,
      '',
    ].join('\n'),
  };
  for (const id of TASK_IDS) files[`tasks/${id}/task.txt`] = `Produce output.txt for ${id}.\n`;
  return files;
}

/** A git repo holding the suite and a workflow file (which no edit may ever touch). */
export function makeSuiteRepo(options: SuiteOptions = {}): string {
  return makeRepo({ ...suiteFiles(options), '.github/workflows/ci.yml': 'name: ci\non: push\njobs: {}\n' }, 'sh-e2e-');
}
