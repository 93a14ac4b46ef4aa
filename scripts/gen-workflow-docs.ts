// Rewrites the workflow examples in docs/action.md from src/init/workflows.ts, the one source `init` writes from.
// Each example sits between `<!-- workflow: NAME -->` and `<!-- /workflow -->`. Run: npx tsx scripts/gen-workflow-docs.ts
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workflowFiles, type WorkflowOptions } from '../src/init/workflows.js';

/** What the docs show: init's defaults with a placeholder for the action's repository. */
export const DOCS_WORKFLOW_OPTIONS: WorkflowOptions = {
  action: 'your-org/self-harness@v1',
  configPath: '.self-harness.yml',
  stateDir: '.self-harness',
  apiKeyEnv: 'OPENAI_API_KEY',
};

const BLOCK = /(<!-- workflow: ([\w.-]+) -->\n)[\s\S]*?(<!-- \/workflow -->)/g;

/** `doc` with every marked block replaced by the generated workflow; throws on an unknown name. */
export function renderWorkflowBlocks(doc: string, options: WorkflowOptions = DOCS_WORKFLOW_OPTIONS): string {
  const files = workflowFiles(options);
  return doc.replace(BLOCK, (_m, open: string, name: string, close: string) => {
    const content = files[name];
    if (content === undefined) throw new Error(`docs: unknown workflow "${name}" (known: ${Object.keys(files).join(', ')})`);
    return `${open}\`\`\`yaml\n${content}\`\`\`\n${close}`;
  });
}

/** The workflows shown in `doc`, by name. */
export function workflowBlocks(doc: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of doc.matchAll(/<!-- workflow: ([\w.-]+) -->\n```yaml\n([\s\S]*?)```\n<!-- \/workflow -->/g)) out[m[1]!] = m[2]!;
  return out;
}

export const DOCS_WITH_WORKFLOWS = ['docs/action.md'];

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  for (const rel of DOCS_WITH_WORKFLOWS) {
    const file = path.join(root, rel);
    const before = readFileSync(file, 'utf8');
    const after = renderWorkflowBlocks(before);
    if (after !== before) writeFileSync(file, after);
    console.log(`${rel}: ${after === before ? 'up to date' : 'rewritten'}`);
  }
}
