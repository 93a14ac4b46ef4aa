// `self-harness init` on the layouts real repos have: a Harbor task repo (runner: harbor), an Inspect evals repo
// (@task files in a subfolder, logs elsewhere) and a small agent with its prompt inline; proposals and warnings.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { makeRepo, removeDir, tempDir } from '../helpers/git.js';
import { runCliIn } from '../agent/run-from-anywhere.js';
import { installStandIn } from '../runners/harbor-stand-in.js';
import { loadConfig } from '../../src/config/load.js';
import { createRunner } from '../../src/runners/factory.js';

const scratch: string[] = [];
afterAll(() => scratch.forEach(removeDir));
function repo(files: Record<string, string>): string {
  const dir = makeRepo(files, 'sh-init-layout-');
  scratch.push(dir);
  return dir;
}
const noModel = { OPENAI_API_KEY: '', OPENAI_BASE_URL: '', SELF_HARNESS_MODEL_BASE_URL: '' };

interface InitJson {
  detected: string[];
  harnessInclude: string[];
  runner: string;
  run?: string;
  written: string[];
  notes: string[];
  warnings: string[];
}

async function init(root: string, ...args: string[]): Promise<InitJson> {
  const result = await runCliIn(root, ['init', '--json', ...args], noModel);
  expect(result.exitCode, String(result.all)).toBe(0);
  return JSON.parse(String(result.stdout)) as InitJson;
}

function workflowSteps(root: string, name: string): { name?: string; uses?: string; run?: string; id?: string }[] {
  const workflow = parseYaml(readFileSync(path.join(root, '.github', 'workflows', name), 'utf8'));
  return Object.values(workflow.jobs as Record<string, { steps: any[] }>)[0]!.steps;
}

/** Every file init wrote, as text: none may tell the user to run an unpublished package. */
function writtenText(root: string, out: InitJson): string {
  return out.written.map((file) => readFileSync(path.join(root, file), 'utf8')).join('\n') + out.notes.join('\n');
}

/** A Harbor task in the layouts published task repos use: task.toml with tests/test.sh, instruction.md optional. */
function harborTask(id: string, withInstruction = true): Record<string, string> {
  return {
    [`tasks/${id}/task.toml`]: 'version = "1.0"\n[metadata]\ndifficulty = "easy"\n[verifier]\ntimeout_sec = 60.0\n',
    [`tasks/${id}/tests/test.sh`]: '#!/bin/bash\ncurl -LsSf https://example.invalid/uv.sh | sh\nuvx pytest /tests/test_outputs.py\n',
    [`tasks/${id}/tests/test_outputs.py`]: 'def test_answer():\n    assert open("/app/answer.txt").read() == "42"\n',
    [`tasks/${id}/environment/Dockerfile`]: 'FROM ubuntu:24.04\nWORKDIR /app\n',
    ...(withInstruction ? { [`tasks/${id}/instruction.md`]: `Solve ${id}.\n` } : {}),
  };
}

describe('init on a Harbor task repo', () => {
  it('proposes runner: harbor with an injected harness file, says it needs harbor and Docker, and the workflows install harbor', async () => {
    const root = repo({ ...harborTask('pass-alpha'), ...harborTask('fail-beta', false), ...harborTask('infra-gamma'), 'README.md': '# tasks\n' });
    const out = await init(root);
    expect(out.detected[0]).toBe('3 Harbor task directories (task.toml + instruction.md or tests/test.sh) in tasks/*');
    expect(out.runner).toBe('harbor');
    expect(out.run).toBeUndefined();
    const loaded = loadConfig(undefined, root);
    expect(loaded.config.suite.runner).toBe('harbor');
    expect(loaded.config.suite.run).toBeUndefined();
    expect(loaded.config.suite.tasks).toBe('tasks/*');
    expect(loaded.config.suite.harbor).toMatchObject({
      path: 'tasks',
      agent: 'terminus-2',
      env: 'docker',
      inject: 'instruction-file',
      'inject-path': 'harness/instructions.md',
    });
    expect(loaded.config.harness.include).toEqual(['harness/**']);
    expect(existsSync(path.join(root, 'harness', 'instructions.md'))).toBe(true);
    expect(existsSync(path.join(root, 'harness', 'system-prompt.md'))).toBe(false);
    expect(out.notes.join('\n')).toMatch(/needs the harbor CLI \(Harbor 0\.13\.1, Python >= 3\.12: `pipx install harbor==0\.13\.1`.*\) and Docker/);
    expect(out.warnings).toEqual([]);

    for (const name of ['self-harness-evolve.yml', 'self-harness-validate.yml', 'self-harness-commands.yml']) {
      const steps = workflowSteps(root, name);
      const install = steps.findIndex((s) => s.run?.includes('pipx install harbor==0.13.1'));
      expect(install, name).toBeGreaterThan(0);
      expect(install, name).toBeLessThan(steps.findIndex((s) => s.id === 'self-harness'));
    }
    expect(writtenText(root, out)).not.toMatch(/npx self-harness|npm install[^\n]*self-harness/);

    // The config runs: a stand-in `harbor` on PATH gets the task dir, the agent and the injected harness file.
    const runner = await createRunner(loaded);
    expect(runner.runCommand).toContain('--extra-instruction-path <harness>/harness/instructions.md');
    const standIn = installStandIn();
    scratch.push(path.dirname(standIn.binDir));
    const result = await runCliIn(root, ['run', '--json'], { ...noModel, ...standIn.env });
    expect(result.exitCode, String(result.all)).toBe(0);
    const summary = JSON.parse(String(result.stdout));
    const byTask = Object.fromEntries(summary.records.map((r: { taskId: string; outcome: string }) => [r.taskId, r.outcome]));
    expect(byTask).toEqual({ 'pass-alpha': 'pass', 'fail-beta': 'fail', 'infra-gamma': 'infra-error' });
    const call = standIn.invocations().find((i) => i.task === 'pass-alpha')!;
    expect(call.argv.slice(0, 3)).toEqual(['run', '--path', path.join(root, 'tasks', 'pass-alpha')]);
    const injected = call.argv[call.argv.indexOf('--extra-instruction-path') + 1]!;
    expect(call.argv).toEqual(expect.arrayContaining(['--agent', 'terminus-2', '--model', 'openai/gpt-4o-mini']));
    expect(injected).toMatch(/\/harness\/instructions\.md$/);
  });
});

/** A stand-in `inspect` (python) that writes a JSON log whose one sample scores C for q1 and I otherwise. */
function inspectOnPath(): string {
  const bin = tempDir('sh-inspect-bin-');
  scratch.push(bin);
  const script = `#!/usr/bin/env python3
import json, os, sys
argv = sys.argv[1:]
flag = lambda name: argv[argv.index(name) + 1]
assert argv[0] == "eval", argv
sample = flag("--sample-id")
log_dir = flag("--log-dir")
os.makedirs(log_dir, exist_ok=True)
log = {"version": 2, "status": "success", "eval": {"task": argv[1], "model": os.environ.get("INSPECT_EVAL_MODEL")},
       "samples": [{"id": sample, "epoch": 1, "input": "q", "messages": [],
                    "scores": {"match": {"value": "C" if sample == "q1" else "I", "answer": "x"}},
                    "model_usage": {"m": {"input_tokens": 10, "output_tokens": 3}}}]}
with open(os.path.join(log_dir, "2026-10-01T10-00-00+00-00_arith_x.json"), "w") as f:
    json.dump(log, f)
`;
  writeFileSync(path.join(bin, 'inspect'), script);
  chmodSync(path.join(bin, 'inspect'), 0o755);
  return bin;
}

/** An Inspect .eval log (a zip) with the given `id:epoch` sample entries. */
function writeEvalLog(file: string, samples: string[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const script = `import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("header.json", json.dumps({"version": 2, "status": "success", "eval": {"task": "arith"}}))
    for name in sys.argv[2:]:
        sid, epoch = name.rsplit(":", 1)
        z.writestr("samples/%s_epoch_%s.json" % (sid, epoch), json.dumps({"id": sid, "epoch": int(epoch), "scores": {}}))
`;
  execFileSync('python3', ['-c', script, file, ...samples]);
}

const INSPECT_TASK = `from inspect_ai import Task, task
from inspect_ai.dataset import json_dataset
from inspect_ai.scorer import match
from inspect_ai.solver import generate, prompt_template

PROMPT = open("prompts/arith.txt").read()


@task
def arith():
    return Task(dataset=json_dataset("data.jsonl"), solver=[prompt_template(PROMPT), generate()], scorer=match())


@task(name="arith_hard")
def arith_hard():
    return Task(dataset=json_dataset("hard.jsonl"), solver=[generate()], scorer=match())
`;

describe('init on an Inspect evals repo', () => {
  it("finds @task files in a subfolder and logs outside logs/, lists the chosen task's samples as <task>:<id>, runs one sample per episode and installs Inspect", async () => {
    const root = repo({
      'evals/arith/task.py': INSPECT_TASK,
      'evals/arith/data.jsonl': '{"input": "1+1", "target": "2"}\n',
      'evals/arith/prompts/arith.txt': 'Answer with a number.\n{prompt}\n',
      'requirements.txt': 'inspect-ai\n',
      'experiments/logs/notes.json': '{"not": "an inspect log"}\n',
      'README.md': '# evals\n',
    });
    writeEvalLog(path.join(root, 'results', 'october', '2026-10-01T10-00-00_arith_abc.eval'), ['q1:1', 'q2:1', 'q3:1']);
    writeFileSync(
      path.join(root, 'experiments', 'logs', '2026-10-02T09-00-00_arith_def.json'),
      JSON.stringify({ version: 2, status: 'success', eval: { task: 'arith' }, samples: [{ id: 'q4', epoch: 1, scores: {} }] }),
    );
    // A log of the other @task: its samples are not the chosen task's.
    writeFileSync(
      path.join(root, 'experiments', 'logs', '2026-10-03T09-00-00_arith_hard_ghi.json'),
      JSON.stringify({ version: 2, status: 'success', eval: { task: 'arith_hard' }, samples: [{ id: 'h1', epoch: 1, scores: {} }] }),
    );
    const out = await init(root);
    expect(out.detected).toEqual(
      expect.arrayContaining([
        'Inspect task file evals/arith/task.py (@task arith, arith_hard)',
        '3 Inspect logs in experiments/logs, results/october with 5 sample ids',
      ]),
    );
    const loaded = loadConfig(undefined, root);
    expect(out.runner).toBe('command');
    expect(loaded.config.suite.run).toBe('python3 self-harness-inspect.py evals/arith/task.py@arith');
    expect(loaded.config.suite.env).toEqual({ INSPECT_EVAL_MODEL: 'openai/gpt-4o-mini' });
    expect(loaded.config.harness.include).toEqual(['evals/arith/prompts/**']);
    const ids = readFileSync(path.join(root, 'self-harness-tasks.txt'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(ids).toEqual(['arith:q1', 'arith:q2', 'arith:q3', 'arith:q4']);
    const notes = out.notes.join('\n');
    expect(notes).toContain('`self-harness import experiments/logs results/october`');
    expect(notes).toContain('Other Inspect tasks found: evals/arith/task.py@arith_hard');
    const install = workflowSteps(root, 'self-harness-evolve.yml').find((s) => s.run?.includes('pip" install inspect-ai openai -r requirements.txt'));
    expect(install?.run).toContain('>> "$GITHUB_PATH"');
    expect(writtenText(root, out)).not.toMatch(/npx self-harness/);
    expect(out.warnings).toEqual([
      'experiments/logs/2026-10-03T09-00-00_arith_hard_ghi.json (task arith_hard): not logs of evals/arith/task.py@arith, which suite.run runs, so their samples are not in self-harness-tasks.txt. To run that task instead, change the task in suite.run and add its sample ids (<task>:<sample id>) to self-harness-tasks.txt.',
    ]);

    // One sample per episode: the stand-in's score becomes the outcome (inspect exits 0 either way).
    const bin = inspectOnPath();
    const result = await runCliIn(root, ['run', '--json', '--split', 'train'], { ...noModel, PATH: `${bin}:${process.env.PATH}` });
    expect(result.exitCode, String(result.all)).toBe(0);
    const summary = JSON.parse(String(result.stdout));
    const outcomes = summary.records.map((r: { taskId: string; outcome: string }) => `${r.taskId}:${r.outcome}`).sort();
    expect(outcomes.length).toBeGreaterThan(0);
    // The runner passes the bare sample id to inspect (the stand-in scores "q1" as C): task ids keep import's form.
    for (const line of outcomes) expect(line).toMatch(/^(arith:q1:pass|arith:q[234]:fail)$/);
  });

  it('keeps a prompt written inline in the @task file out of the surface, and warns why', async () => {
    const root = repo({
      'evals/quiz.py': `from inspect_ai import Task, task\nfrom inspect_ai.scorer import includes\nfrom inspect_ai.solver import generate, system_message\n\n@task\ndef quiz():\n    return Task(dataset=[], solver=[system_message("You are a careful quiz solver."), generate()], scorer=includes())\n`,
    });
    const out = await init(root);
    expect(loadConfig(undefined, root).config.suite.run).toBe('python3 self-harness-inspect.py evals/quiz.py@quiz');
    expect(out.harnessInclude).toEqual(['prompts/**']);
    expect(out.warnings[0]).toMatch(
      /system prompt is inline in evals\/quiz\.py, which also defines the Inspect @task .* Move the prompt to prompts\/system\.md/,
    );
    expect(out.warnings[1]).toMatch(/harness\.include \(prompts\/\*\*\) matches no editable file .*the harness surface is empty/);
  });
});

const AGENT_PY = `import json, os
from openai import OpenAI

SYSTEM_PROMPT = """You are a coding agent. Think before you act.
Use the tools you are given."""


def run(task):
    client = OpenAI()
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": task}])
`;

describe('init on a small agent repo with its prompt inline', () => {
  it('proposes the source file that holds the prompt as the harness, and not the run script or tests', async () => {
    const root = repo({
      'agent.py': AGENT_PY,
      'run_agent.py':
        'import os, json\nfrom agent import run\nrun(os.environ["SELF_HARNESS_TASK"])\nopen(os.path.join(os.environ["SELF_HARNESS_OUT"], "result.json"), "w").write(json.dumps({"reward": 1}))\n',
      'tests/test_agent.py': 'SYSTEM_PROMPT = "a fixture"\n',
    });
    const out = await init(root);
    expect(out.detected).toContain('a system prompt written inline in: agent.py');
    expect(loadConfig(undefined, root).config.suite.run).toBe('python3 run_agent.py');
    expect(out.harnessInclude).toEqual(['agent.py']);
    expect(out.notes.join('\n')).toMatch(/harness\.include lists agent\.py, which hold the system prompt inline in code/);
    expect(out.warnings).toEqual([]);
  });

  it('warns, with the reason, when the prompt is inline in the run script itself and the surface is empty', async () => {
    const root = repo({ 'run_agent.py': `${AGENT_PY}\nrun(__import__("os").environ["SELF_HARNESS_TASK"])\n` });
    const out = await init(root);
    expect(out.harnessInclude).toEqual(['prompts/**']);
    expect(out.warnings).toHaveLength(2);
    expect(out.warnings[0]).toMatch(/system prompt is inline in run_agent\.py, the script suite\.run runs: it is part of the evaluator/);
    expect(out.warnings[1]).toMatch(/the harness surface is empty/);
  });

  it('warns about a surface that reaches files the path policy refuses (tests under the agent folder)', async () => {
    const root = repo({
      'agent/prompts/system.txt': 'You are helpful.\n',
      'agent/tests/fixtures/expected.txt': 'golden output\n',
      'run_agent.sh': 'exit 0\n',
    });
    const out = await init(root);
    expect(out.harnessInclude).toEqual(['agent/**/*.txt']);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toMatch(
      /harness\.include \(agent\/\*\*\/\*\.txt\) matches 1 file\(s\) that self-harness never edits .*agent\/tests\/fixtures\/expected\.txt: under a tests\/ directory; tests are never edited/,
    );
  });
});
