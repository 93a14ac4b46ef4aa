// The workflows have one source (src/init/workflows.ts): init writes it, docs/action.md shows it, and both stay so.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from '../helpers/cli.js';
import { PINNED, workflowFiles } from '../../src/init/workflows.js';
import { DOCS_WORKFLOW_OPTIONS, renderWorkflowBlocks, workflowBlocks } from '../../scripts/gen-workflow-docs.js';

const docs = readFileSync(path.join(repoRoot, 'docs', 'action.md'), 'utf8');

describe('workflows from one source', () => {
  it('docs/action.md shows exactly what init writes (npx tsx scripts/gen-workflow-docs.ts regenerates it)', () => {
    expect(renderWorkflowBlocks(docs)).toBe(docs);
    expect(workflowBlocks(docs)).toEqual(workflowFiles(DOCS_WORKFLOW_OPTIONS));
  });

  it('pins every third-party action by full SHA and keeps credentials out of .git/config', () => {
    for (const [name, text] of Object.entries(workflowFiles(DOCS_WORKFLOW_OPTIONS))) {
      const uses = [...text.matchAll(/uses: (\S+)/g)].map((m) => m[1]!).filter((u) => u.startsWith('actions/'));
      expect(uses.length, name).toBeGreaterThanOrEqual(3);
      for (const ref of uses) expect(ref, name).toMatch(/^actions\/[\w/-]+@[0-9a-f]{40}$/);
      const steps = Object.values(parseYaml(text).jobs as Record<string, { steps: any[] }>)[0]!.steps;
      expect(steps.filter((s) => String(s.uses).startsWith('actions/checkout@')).map((s) => s.with['persist-credentials'])).toEqual([false]);
    }
    expect(Object.values(PINNED).every((p) => /@[0-9a-f]{40} # v\d/.test(p))).toBe(true);
  });

  it('runs the gate on every PR and merge group, cancelling stale runs; only evolve saves the cache', () => {
    const files = workflowFiles({ action: 'o/r@v1', configPath: 'agent/.self-harness.yml', stateDir: 'agent/.self-harness', apiKeyEnv: 'KEY' });
    const validate = parseYaml(files['self-harness-validate.yml']!);
    expect(validate.on.pull_request.paths).toBeUndefined();
    expect(Object.keys(validate.on)).toEqual(['pull_request', 'merge_group']);
    expect(validate.concurrency['cancel-in-progress']).toBe(true);
    const cacheOf = (name: string) => parseYaml(files[name]!).jobs[Object.keys(parseYaml(files[name]!).jobs)[0]!].steps[1];
    expect(cacheOf('self-harness-evolve.yml')).toMatchObject({ uses: expect.stringMatching(/^actions\/cache@/), with: { path: 'agent/.self-harness' } });
    expect(cacheOf('self-harness-validate.yml').uses).toMatch(/^actions\/cache\/restore@/);
    expect(cacheOf('self-harness-commands.yml').uses).toMatch(/^actions\/cache\/restore@/);
  });

  it('queues /self-harness commands per PR on the job, so an ordinary comment (a skipped job) never cancels a waiting command', () => {
    const commands = parseYaml(workflowFiles(DOCS_WORKFLOW_OPTIONS)['self-harness-commands.yml']!);
    expect(commands.concurrency).toBeUndefined();
    expect(commands.jobs.command.if).toContain("startsWith(github.event.comment.body, '/self-harness')");
    expect(commands.jobs.command.concurrency).toEqual({ group: 'self-harness-pr-${{ github.event.issue.number }}', 'cancel-in-progress': false });
  });
});
