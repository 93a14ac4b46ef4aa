// A small project with a real config and harness surface, and helpers to build weaknesses and candidates.
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { createSurface, type HarnessSurface } from '../../src/harness/surface.js';
import type { Weakness, FailureClass } from '../../src/mining/types.js';
import { candidateId } from '../../src/propose/candidate.js';
import type { Candidate, FileEdit } from '../../src/propose/types.js';
import { tempDir, writeFiles } from '../helpers/git.js';

export const LIMITS = { maxEditLines: 40, maxRoundLines: 120 };

export const DEMO_HARNESS: Record<string, string> = {
  'harness/system-prompt.md': '# System prompt\n\nYou are a careful terminal agent.\n\nTask:\n{{instruction}}\n',
  'harness/tools.json': '{\n  "tools": [\n    { "name": "shell", "description": "Run a command" }\n  ]\n}\n',
  'harness/limits.json': '{ "maxSteps": 30 }\n',
  'harness/settings.yaml': 'retries: 2\n',
  'harness/recovery/parse-error.md': 'Your last tool call could not be parsed.\n',
  'harness/recovery/nonzero-exit.md': 'The command exited with a non-zero status.\n',
  'harness/recovery/repeated-action.md': 'You repeated the same action.\n',
  'harness/recovery/timeout.md': 'The command timed out.\n',
};

/**
 * A temp project: `.self-harness.yml` (harness include `include`, tasks `tasks/*`), the demo harness, a task, a test
 * file and a workflow. Returns the root and the real surface built from the loaded config.
 */
export function makeProject(options: { include?: string[]; files?: Record<string, string> } = {}): { root: string; surface: HarnessSurface } {
  const root = tempDir('sh-propose-');
  const include = options.include ?? ['harness/**'];
  writeFiles(root, {
    '.self-harness.yml': `harness:\n  include: [${include.map((g) => JSON.stringify(g)).join(', ')}]\nsuite:\n  tasks: "tasks/*"\n  run: "node agent.js"\n`,
    'tasks/fix-build/instruction.md': 'Build the project.\n',
    'tasks/fix-build/task.toml': 'version = "1.0"\n',
    'harness/tests/prompt.test.md': 'a test\n',
    '.github/workflows/ci.yml': 'on: push\n',
    ...DEMO_HARNESS,
    ...(options.files ?? {}),
  });
  const loaded = loadConfig(path.join(root, '.self-harness.yml'));
  return { root, surface: createSurface(loaded) };
}

export function weakness(failureClass: FailureClass, overrides: Partial<Weakness> = {}): Weakness {
  return {
    id: `w-${failureClass
      .replace(/[^a-z]/g, '')
      .slice(0, 10)
      .padEnd(10, '0')}`,
    signature: { failureClass, fingerprint: `${failureClass} fingerprint` },
    tasks: ['task-a', 'task-b'],
    episodes: ['e1', 'e2'],
    alsoInPassing: 0,
    evidence: [{ episodeId: 'e1', taskId: 'task-a', stepId: '4', excerpt: `evidence of ${failureClass}` }],
    rank: 1,
    ...overrides,
  };
}

export function candidate(edits: FileEdit[], overrides: Partial<Candidate> = {}): Candidate {
  return {
    id: candidateId(edits),
    weaknessId: 'w-0000000000',
    mechanism: 'prompt_instruction',
    summary: 'test candidate',
    rationale: 'because',
    predictedFixes: [],
    edits,
    proposer: 'model',
    ...overrides,
  };
}
