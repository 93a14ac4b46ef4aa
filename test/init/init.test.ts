import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from '../helpers/cli.js';
import { makeRepo, removeDir, tempDir } from '../helpers/git.js';
import { runCliIn } from '../agent/run-from-anywhere.js';
import { loadConfig } from '../../src/config/load.js';

const scratch: string[] = [];
afterAll(() => scratch.forEach(removeDir));
function repo(files: Record<string, string>): string {
  const dir = makeRepo(files, 'sh-init-');
  scratch.push(dir);
  return dir;
}

/** A `self-harness` on PATH that runs the CLI from source, as an installed CLI would be. */
function cliOnPath(): string {
  const bin = tempDir('sh-bin-');
  scratch.push(bin);
  const loader = pathToFileURL(path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  writeFileSync(path.join(bin, 'self-harness'), `#!/bin/sh\nexec "${process.execPath}" --import "${loader}" "${path.join(repoRoot, 'src', 'cli.ts')}" "$@"\n`);
  chmodSync(path.join(bin, 'self-harness'), 0o755);
  return bin;
}
const noModel = { OPENAI_API_KEY: '', OPENAI_BASE_URL: '', SELF_HARNESS_MODEL_BASE_URL: '' };

function harborTask(id: string, answer: string): Record<string, string> {
  return {
    [`tasks/${id}/instruction.md`]: `Write ${answer} to answer.txt.\n`,
    [`tasks/${id}/task.toml`]: '[metadata]\ndifficulty = "easy"\n[verifier]\ntimeout_sec = 10.0\n',
    [`tasks/${id}/tests/test.sh`]: `[ "$(cat answer.txt 2>/dev/null)" = "${answer}" ]\n`,
    [`tasks/${id}/solution/solve.sh`]: `echo ${answer} > answer.txt\n`,
    [`tasks/${id}/environment/Dockerfile`]: 'FROM ubuntu:24.04\n',
  };
}

/** An Inspect .eval log (a zip) with the given sample entries, written by python3's zipfile. */
function writeEvalLog(file: string, samples: string[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const script = `import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("header.json", json.dumps({"version": 2, "status": "success", "eval": {"task": "demo"}}))
    for name in sys.argv[2:]:
        sid, epoch = name.rsplit(":", 1)
        z.writestr("samples/%s_epoch_%s.json" % (sid, epoch), json.dumps({"id": sid, "epoch": int(epoch), "input": "q", "messages": [], "scores": {"match": {"value": "C"}}}))
`;
  execFileSync('python3', ['-c', script, file, ...samples]);
}

async function init(root: string, ...args: string[]) {
  const result = await runCliIn(root, ['init', ...args], noModel);
  expect(result.exitCode, String(result.all)).toBe(0);
  return String(result.stdout);
}

async function runSuite(root: string, env: Record<string, string> = {}) {
  const result = await runCliIn(root, ['run', '--json'], { ...noModel, ...env });
  expect(result.exitCode, String(result.all)).toBe(0);
  return JSON.parse(String(result.stdout));
}

describe('self-harness init', () => {
  it('sets up a Harbor tasks repo with the reference agent on request (--reference-agent), and `self-harness run` accepts the result', async () => {
    const root = repo({ ...harborTask('alpha', 'a'), ...harborTask('beta', 'b'), ...harborTask('gamma', 'c'), 'README.md': '# tasks\n' });
    const out = await init(root, '--reference-agent');
    expect(out).toMatch(/3 Harbor task directories/);
    const { config } = loadConfig(undefined, root);
    expect(config.suite.tasks).toBe('tasks/*');
    expect(config.suite.run).toBe('self-harness agent');
    expect(config.harness.include).toEqual(['harness/**']);
    for (const file of [
      'system-prompt.md',
      'tools.json',
      'limits.json',
      'recovery/parse-error.md',
      'recovery/timeout.md',
      'recovery/nonzero-exit.md',
      'recovery/repeated-action.md',
    ]) {
      expect(existsSync(path.join(root, 'harness', file)), file).toBe(true);
    }
    const bin = cliOnPath();
    const summary = await runSuite(root, { PATH: `${bin}:${process.env.PATH}` });
    expect(summary.episodes.total).toBe(3);
    const outcomes = summary.records.map((r: { outcome: string }) => r.outcome);
    expect(outcomes.every((o: string) => o === 'pass' || o === 'fail')).toBe(true);
  });

  it("uses the package.json eval script and the Inspect logs' sample ids, and `self-harness run` runs them", async () => {
    const root = repo({
      'package.json': JSON.stringify({ name: 'evals', private: true, scripts: { test: 'true', eval: 'node eval.js' } }),
      'eval.js':
        'const fs = require("fs"); fs.writeFileSync(process.env.SELF_HARNESS_OUT + "/result.json", JSON.stringify({ reward: process.env.SELF_HARNESS_TASK === "demo:q1" ? 1 : 0 }));\n',
      'prompts/system.md': 'You answer questions.\n',
      'prompts/tools/search.txt': 'search(query)\n',
    });
    writeEvalLog(path.join(root, 'logs', '2026-10-01T10-00-00_demo.eval'), ['q1:1', 'q2:1', 'q2:2', 'q3:1']);
    const out = await init(root);
    expect(out).toMatch(/Inspect log/);
    const { config } = loadConfig(undefined, root);
    expect(config.suite.run).toBe('npm run --silent eval');
    expect(config.suite['tasks-file']).toBe('self-harness-tasks.txt');
    expect(config.harness.include).toEqual(['prompts/**']);
    expect(
      readFileSync(path.join(root, 'self-harness-tasks.txt'), 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('#')),
    ).toEqual(['demo:q1', 'demo:q2', 'demo:q3']);
    const summary = await runSuite(root);
    expect(summary.episodes.total).toBe(3);
    const byTask = Object.fromEntries(summary.records.map((r: { taskId: string; outcome: string }) => [r.taskId, r.outcome]));
    expect(byTask).toEqual({ 'demo:q1': 'pass', 'demo:q2': 'fail', 'demo:q3': 'fail' });
  });

  it('finds prompt files and a run_agent.py in a plain repo, and `self-harness run` accepts the config', async () => {
    const root = repo({
      'AGENTS.md': '# Agent rules\n',
      'agent/prompts/system.txt': 'You are helpful.\n',
      'agent/prompts/recovery.txt': 'Try again.\n',
      'agent/templates/task.j2': '{{ task }}\n',
      'src/app.py': 'print("app")\n',
      'run_agent.py': 'import os\nopen(os.path.join(os.environ["SELF_HARNESS_OUT"], "result.json"), "w").write(\'{"reward": 1}\')\n',
    });
    await init(root);
    const { config } = loadConfig(undefined, root);
    expect(config.suite.run).toBe('python3 run_agent.py');
    expect(config.harness.include.sort()).toEqual(['AGENTS.md', 'agent/**/*.j2', 'agent/**/*.txt']);
    expect(config.suite['tasks-file']).toBe('self-harness-tasks.txt');
    const summary = await runSuite(root);
    expect(summary.episodes.total).toBe(1);
    expect(summary.records[0].outcome).toBe('pass');
  });

  it('warns, with the reason, when the harness surface it wrote matches no file', async () => {
    const root = repo({ 'src/app.py': 'print("app")\n', 'run_agent.py': 'print("x")\n' });
    const result = await init(root);
    expect(result).toMatch(/warning: harness\.include \(prompts\/\*\*\) matches no editable file .*the harness surface is empty/);
  });

  it('writes the three workflows with their triggers and least permissions', async () => {
    const root = repo({ 'prompts/system.md': 'x\n', 'run_agent.sh': 'exit 0\n' });
    await init(root, '--action', 'acme/self-harness@v1');
    const workflow = (name: string) => parseYaml(readFileSync(path.join(root, '.github', 'workflows', name), 'utf8'));
    const evolve = workflow('self-harness-evolve.yml');
    expect(Object.keys(evolve.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(evolve.permissions).toEqual({});
    expect(evolve.jobs.evolve.permissions).toEqual({ contents: 'write', 'pull-requests': 'write', checks: 'write' });
    expect(evolve.jobs.evolve.steps.find((s: any) => s.id === 'self-harness')).toMatchObject({ uses: 'acme/self-harness@v1', with: { mode: 'evolve' } });
    expect(evolve.jobs.evolve.steps[1]).toMatchObject({ uses: expect.stringMatching(/^actions\/cache@[0-9a-f]{40}$/), with: { path: '.self-harness' } });
    const validate = workflow('self-harness-validate.yml');
    // Every PR gets the required check (no `paths:` filter that would leave it waiting forever), and merge queues too.
    expect(validate.on).toEqual({ pull_request: { types: ['opened', 'synchronize', 'reopened'] }, merge_group: { types: ['checks_requested'] } });
    expect(validate.concurrency).toEqual({ group: expect.stringContaining('github.event.pull_request.number'), 'cancel-in-progress': true });
    expect(validate.jobs.validate.permissions).toEqual({ checks: 'write', contents: 'read', 'pull-requests': 'read' });
    expect(validate.jobs.validate.steps.find((s: any) => s.id === 'self-harness').with.mode).toBe('validate');
    const commands = workflow('self-harness-commands.yml');
    expect(commands.on).toEqual({ issue_comment: { types: ['created'] } });
    expect(commands.jobs.command.permissions).toMatchObject({ issues: 'write', 'pull-requests': 'write' });
    for (const wf of [evolve, validate, commands]) {
      const steps = Object.values(wf.jobs as Record<string, { steps: any[] }>)[0]!.steps;
      expect(steps[0]).toMatchObject({ uses: expect.stringMatching(/^actions\/checkout@[0-9a-f]{40}$/), with: { 'persist-credentials': false } });
      expect(steps.at(-1)).toMatchObject({ uses: expect.stringMatching(/^actions\/upload-artifact@[0-9a-f]{40}$/) });
    }
    expect(readFileSync(path.join(root, '.gitignore'), 'utf8')).toMatch(/^\.self-harness\/\*\n!\.self-harness\/history\.jsonl$/m);
  });

  it('never overwrites an existing file without --force, names what it skipped, and appends .gitignore lines once', async () => {
    const root = repo({ 'prompts/system.md': 'x\n', 'run_agent.sh': 'exit 0\n', '.gitignore': 'node_modules/\n', '.self-harness.yml': '# mine\n' });
    const first = await init(root);
    expect(first).toMatch(/skipped\s+\.self-harness\.yml \(exists; --force overwrites it\)/);
    expect(readFileSync(path.join(root, '.self-harness.yml'), 'utf8')).toBe('# mine\n');
    expect(readFileSync(path.join(root, '.gitignore'), 'utf8')).toBe(
      'node_modules/\n\n# self-harness state (the candidate history is kept)\n.self-harness/*\n!.self-harness/history.jsonl\n',
    );
    writeFileSync(path.join(root, '.github', 'workflows', 'self-harness-evolve.yml'), 'edited\n');

    const second = await init(root);
    expect(second).toMatch(/skipped\s+\.github\/workflows\/self-harness-evolve\.yml/);
    const asJson = JSON.parse(await init(root, '--json'));
    expect(asJson.skipped).toContainEqual({ file: '.github/workflows/self-harness-evolve.yml', reason: 'exists; --force overwrites it' });
    expect(readFileSync(path.join(root, '.github', 'workflows', 'self-harness-evolve.yml'), 'utf8')).toBe('edited\n');
    expect(readFileSync(path.join(root, '.gitignore'), 'utf8').match(/history\.jsonl/g)).toHaveLength(1);

    const forced = await init(root, '--force');
    expect(forced).toMatch(/overwrote\s+\.self-harness\.yml/);
    expect(loadConfig(undefined, root).config.suite.run).toBe('sh run_agent.sh');
    expect(readFileSync(path.join(root, '.github', 'workflows', 'self-harness-evolve.yml'), 'utf8')).toMatch(/name: self-harness evolve/);
  });

  it('refuses a --dir that is not a directory with exit 2, and creates nothing', async () => {
    const missing = path.join(tempDir('sh-init-dir-'), 'nonexistent');
    scratch.push(path.dirname(missing));
    const result = await runCliIn(path.dirname(missing), ['init', '--dir', missing], noModel);
    expect(result.exitCode, String(result.all)).toBe(2);
    expect(String(result.stderr).trim()).toBe(
      `self-harness init: --dir ${missing}: not a directory; give the root of an existing repository (init never creates it).`,
    );
    expect(existsSync(missing)).toBe(false);
    const file = path.join(path.dirname(missing), 'a-file');
    writeFileSync(file, 'x\n');
    const onFile = await runCliIn(path.dirname(missing), ['init', '--dir', file], noModel);
    expect(onFile.exitCode).toBe(2);
    expect(String(onFile.stderr)).toContain(`--dir ${file}: not a directory`);
  });

  it('says in its help that the validate workflow runs on every pull request', async () => {
    const help = await runCliIn(repoRoot, ['help', 'init'], noModel);
    expect(help.exitCode).toBe(0);
    expect(String(help.stdout)).toContain('self-harness-validate.yml        validates every pull request');
    expect(String(help.stdout)).not.toContain('touch the harness');
  });
});
