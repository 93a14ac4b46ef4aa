import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigSchema, type RawConfig } from '../../src/config/schema.js';
import { createHarborRunner, HarborRunner } from '../../src/runners/harbor.js';
import { harborSettings } from '../../src/runners/harbor-invocation.js';
import { runEpisodes } from '../../src/flows/episode-pool.js';
import { planEpisodes } from '../../src/domain/plan.js';
import { EpisodeStore } from '../../src/store/ledger.js';
import { readEpisodeArtifacts } from '../../src/traces/read.js';
import { UserError, type HarnessVersion, type Task } from '../../src/domain/types.js';
import { tempDir, writeFiles } from '../helpers/git.js';
import { installStandIn, type StandIn } from './harbor-stand-in.js';

type HarborRaw = NonNullable<RawConfig['suite']['harbor']>;

function configOf(harbor: HarborRaw, env: Record<string, string> = {}, suite: Partial<RawConfig['suite']> = {}) {
  return ConfigSchema.parse({ harness: { include: ['agent/**'] }, suite: { runner: 'harbor', harbor, env, ...suite } });
}

function workspace(taskIds: string[]) {
  const root = tempDir('sh-harbor-');
  const files: Record<string, string> = {
    'agent/my_agent.py': 'class Agent: pass\n',
    'agent/prompt.md.j2': 'Solve: {{ instruction }}\n',
    'agent/extra.md': 'Check your work.\n',
  };
  for (const id of taskIds) {
    files[`tasks/${id}/instruction.md`] = `Do ${id}.\n`;
    files[`tasks/${id}/task.toml`] = 'schema_version = "1.1"\n';
  }
  writeFiles(root, files);
  const tasks: Task[] = taskIds.map((id) => ({ id, dir: path.join(root, 'tasks', id), contentHash: `hash-${id}` }));
  const harness: HarnessVersion = { hash: 'harness-1', root, label: 'working copy' };
  return { root, tasks, harness };
}

const baseHarbor = (extra: Partial<HarborRaw> = {}): HarborRaw => ({
  path: 'tasks',
  'agent-import-path': 'my_agent:Agent',
  inject: 'agent-import-path',
  'inject-path': 'agent',
  model: 'openai/gpt-5-mini',
  env: 'docker',
  'extra-args': ['--max-retries', '0'],
  ...extra,
});

async function runAll(standIn: StandIn, taskIds: string[], harbor: HarborRaw = baseHarbor(), options: { timeoutMs?: number; infraRetries?: number } = {}) {
  const ws = workspace(taskIds);
  const runner = createHarborRunner(configOf(harbor, standIn.env), ws.root);
  const store = await EpisodeStore.open(path.join(ws.root, '.self-harness'));
  const plans = planEpisodes(ws.tasks, () => 'train', ws.harness, 1);
  const records = await runEpisodes(plans, {
    runner,
    store,
    concurrency: 4,
    timeoutMs: options.timeoutMs ?? 20_000,
    infraRetries: options.infraRetries ?? 1,
    retryBackoffMs: 1,
  });
  const byTask = Object.fromEntries(records.map((r) => [r.key.taskId, r]));
  return { ws, runner, store, records, byTask };
}

/** A path to `file` inside one of the episode copies under `stateDir`. */
function inCopy(stateDir: string, file: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escape(path.join(stateDir, 'episode-checkouts'))}/[^/]+/${escape(file)}$`);
}

describe('harbor runner: the invocation', () => {
  it('runs one trial per episode with long flags only, the job inside the episode dir, and the harness dir on PYTHONPATH', async () => {
    const standIn = installStandIn();
    const { ws, store, byTask } = await runAll(standIn, ['pass-hello']);
    const [call] = standIn.invocations();
    const outDir = store.artifactsPath(byTask['pass-hello']!.id);
    expect(call!.argv[0]).toBe('run');
    const flags = call!.argv.filter((a) => a.startsWith('-'));
    expect(flags.every((a) => a.startsWith('--'))).toBe(true);
    const after = (name: string) => call!.argv[call!.argv.indexOf(name) + 1];
    expect(after('--path')).toBe(path.join(ws.root, 'tasks', 'pass-hello'));
    expect(after('--agent-import-path')).toBe('my_agent:Agent');
    expect(after('--model')).toBe('openai/gpt-5-mini');
    expect(after('--env')).toBe('docker');
    expect(after('--n-attempts')).toBe('1');
    expect(after('--n-concurrent')).toBe('1');
    // The job runs in the try's own directory, which becomes the episode's artifact dir when the try ends.
    const tryDir = path.dirname(after('--jobs-dir')!);
    expect(path.basename(after('--jobs-dir')!)).toBe('jobs');
    expect(path.relative(path.join(store.stateDir, 'episodes', '.tries'), tryDir).startsWith(byTask['pass-hello']!.id)).toBe(true);
    expect(after('--job-name')).toBe('pass-hello-attempt-0');
    expect(call!.argv.slice(-2)).toEqual(['--max-retries', '0']);
    expect(call!.argv).not.toContain('--agent');
    // The harness dir is the episode's private copy of the version (under the state dir), never the version itself.
    expect(call!.pythonPath!.split(path.delimiter)[0]).toMatch(inCopy(store.stateDir, 'agent'));
    expect(path.dirname(call!.cwd)).toBe(path.join(store.stateDir, 'episode-checkouts'));
    expect(call!.task).toBe('pass-hello');
    // The trial files stay in the episode's artifact dir.
    expect(existsSync(path.join(outDir, 'jobs', 'pass-hello-attempt-0', 'result.json'))).toBe(true);
    expect(readFileSync(path.join(outDir, 'stdout.txt'), 'utf8')).toContain('1/1 trials done');
  });

  it('hands a prompt template as an agent kwarg, an instruction file as an extra instruction, and a dataset task by name', async () => {
    const standIn = installStandIn();
    const prompt = await runAll(
      standIn,
      ['pass-a'],
      baseHarbor({ 'agent-import-path': undefined, agent: 'claude-code', inject: 'prompt-template', 'inject-path': 'agent/prompt.md.j2', 'extra-args': [] }),
    );
    const instruction = await runAll(
      standIn,
      ['pass-b'],
      baseHarbor({ 'agent-import-path': undefined, agent: 'terminus-2', inject: 'instruction-file', 'inject-path': 'agent/extra.md', 'extra-args': [] }),
    );
    const dataset = await runAll(
      standIn,
      ['pass-c'],
      baseHarbor({ path: undefined, dataset: 'terminal-bench/terminal-bench-2', inject: 'none', 'inject-path': undefined, 'extra-args': [] }),
    );
    const [a, b, c] = standIn.invocations();
    const after = (argv: string[], name: string) => argv[argv.indexOf(name) + 1];
    expect(after(a!.argv, '--agent')).toBe('claude-code');
    expect(after(a!.argv, '--agent-kwarg')).toMatch(new RegExp(`^prompt_template_path=${inCopy(prompt.store.stateDir, 'agent/prompt.md.j2').source.slice(1)}`));
    expect(a!.pythonPath).toBeNull();
    expect(after(b!.argv, '--agent')).toBe('terminus-2');
    expect(after(b!.argv, '--extra-instruction-path')).toMatch(inCopy(instruction.store.stateDir, 'agent/extra.md'));
    expect(after(c!.argv, '--dataset')).toBe('terminal-bench/terminal-bench-2');
    expect(after(c!.argv, '--include-task-name')).toBe('pass-c');
    expect(after(c!.argv, '--agent-import-path')).toBe('my_agent:Agent');
    expect(c!.argv).not.toContain('--path');
    expect(c!.pythonPath).toBeNull();
    expect([prompt, instruction, dataset].map((r) => r.records[0]!.outcome)).toEqual(['pass', 'pass', 'pass']);
  });

  it('keys the cache on the invocation template: no per-episode or per-machine path, but the model and flags count', () => {
    const one = createHarborRunner(configOf(baseHarbor()), '/repo/one');
    const two = createHarborRunner(configOf(baseHarbor()), '/elsewhere/two');
    const otherModel = createHarborRunner(configOf(baseHarbor({ model: 'openai/gpt-5' })), '/repo/one');
    expect(one.runCommand).toBe(two.runCommand);
    expect(one.runCommand).toBe(
      'PYTHONPATH=<harness>/agent harbor run --path <task-dir> --agent-import-path my_agent:Agent --model openai/gpt-5-mini --env docker --n-attempts 1 --n-concurrent 1 --jobs-dir <out>/jobs --job-name <job> --yes --max-retries 0',
    );
    expect(one.runCommand).not.toContain('/repo');
    expect(one.model).toBe('openai/gpt-5-mini');
    expect(otherModel.runCommand).not.toBe(one.runCommand);
    expect(otherModel.model).toBe('openai/gpt-5');
    expect(one).toBeInstanceOf(HarborRunner);
  });

  it('refuses an incomplete suite.harbor section with the field to fix', () => {
    const attempt = (harbor: HarborRaw) => () => harborSettings(configOf(harbor), '/repo');
    expect(attempt({ path: 'tasks' })).toThrow(/suite\.harbor: set agent .* or agent-import-path/);
    expect(attempt({ path: 'tasks', agent: 'terminus-2', inject: 'prompt-template' })).toThrow(/inject-path/);
    expect(attempt({ path: 'tasks', agent: 'terminus-2', inject: 'agent-import-path' })).toThrow(/suite\.harbor\.agent-import-path/);
    expect(attempt({ path: 'tasks', agent: 'a', 'inject-path': '../outside', inject: 'instruction-file' })).toThrow(/inside the repository/);
    expect(attempt({ path: 'tasks', agent: 'a', 'extra-args': ['--job-name', 'x'] })).toThrow(/extra-args\[0\]: "--job-name"/);
    expect(attempt({ path: 'tasks', dataset: 'd', agent: 'a' })).toThrow(UserError);
  });
});

describe('harbor runner: trial outcomes', () => {
  it('maps pass, fail, agent timeout and reward-file errors to agent outcomes, with reward, error type and usage', async () => {
    const standIn = installStandIn();
    const { byTask } = await runAll(standIn, ['pass-one', 'fail-one', 'timeout-one', 'rewardfile-one']);
    expect(byTask['pass-one']).toMatchObject({ outcome: 'pass', reward: 1, tries: 1, runner: 'harbor', usage: { inputTokens: 11013, outputTokens: 2108 } });
    expect(byTask['pass-one']!.error).toBeUndefined();
    expect(byTask['fail-one']).toMatchObject({ outcome: 'fail', reward: 0, tries: 1 });
    expect(byTask['timeout-one']).toMatchObject({ outcome: 'timeout', reward: 0, tries: 1, error: { type: 'AgentTimeoutError' } });
    expect(byTask['timeout-one']!.error!.message).toMatch(/timed out after 900\.0 seconds/);
    expect(byTask['timeout-one']!.error!.infrastructure).toBeUndefined();
    expect(byTask['rewardfile-one']).toMatchObject({ outcome: 'fail', reward: 0, tries: 1, error: { type: 'RewardFileNotFoundError' } });
  });

  it('treats infrastructure exceptions and harbor crashes as infra-errors the pool retries, never as agent failures', async () => {
    const standIn = installStandIn();
    const { byTask } = await runAll(standIn, ['infra-one', 'flaky-one', 'crash-one', 'empty-one'], baseHarbor(), { infraRetries: 2 });
    expect(byTask['infra-one']).toMatchObject({ outcome: 'infra-error', tries: 3, error: { type: 'RuntimeError', infrastructure: true } });
    expect(byTask['flaky-one']).toMatchObject({ outcome: 'pass', reward: 1, tries: 2 });
    expect(byTask['crash-one']).toMatchObject({ outcome: 'infra-error', exitCode: 3, tries: 3, error: { type: 'harbor-failed', infrastructure: true } });
    expect(byTask['crash-one']!.error!.message).toMatch(/exited with code 3 [\s\S]*docker daemon not reachable/);
    expect(byTask['empty-one']).toMatchObject({ outcome: 'infra-error', error: { type: 'harbor-no-trial' } });
    const calls = standIn.invocations().filter((c) => c.task === 'flaky-one');
    expect(calls).toHaveLength(2);
  });

  it('kills a harbor run that outlives the suite timeout and records a timeout', async () => {
    const standIn = installStandIn();
    const ws = workspace(['hang-one']);
    const runner = new HarborRunner(harborSettings(configOf(baseHarbor()), ws.root), { env: standIn.env, killGraceMs: 200 });
    const outDir = path.join(ws.root, 'out');
    const result = await runner.run({ task: ws.tasks[0]!, attempt: 0, harness: ws.harness, outDir, timeoutMs: 800 });
    // The stand-in hangs: a runner that waited for it would never return (the test's own timeout, not a clock, catches that).
    expect(result).toMatchObject({ outcome: 'timeout', reward: 0, error: { type: 'timeout' } });
  });

  it('reports a missing harbor executable and a missing injected harness file as infrastructure problems with the fix', async () => {
    const ws = workspace(['pass-x']);
    const missing = createHarborRunner(configOf(baseHarbor({ executable: 'harbor-not-installed-here' })), ws.root);
    const result = await missing.run({ task: ws.tasks[0]!, attempt: 0, harness: ws.harness, outDir: path.join(ws.root, 'o1'), timeoutMs: 5000 });
    expect(result).toMatchObject({ outcome: 'infra-error', error: { type: 'harbor-not-started' } });
    expect(result.error!.message).toMatch(/not found on PATH; install Harbor 0\.13\.1/);
    const noPrompt = createHarborRunner(configOf(baseHarbor({ inject: 'prompt-template', 'inject-path': 'agent/gone.j2' })), ws.root);
    const second = await noPrompt.run({ task: ws.tasks[0]!, attempt: 0, harness: ws.harness, outDir: path.join(ws.root, 'o2'), timeoutMs: 5000 });
    expect(second).toMatchObject({ outcome: 'infra-error', error: { type: 'inject-path-missing' } });
    expect(second.error!.message).toContain('agent/gone.j2');
  });

  it('leaves the trial where the trace readers find it: ATIF steps and CTRF tests of the episode', async () => {
    const standIn = installStandIn();
    const { store, byTask } = await runAll(standIn, ['fail-read']);
    const read = await readEpisodeArtifacts(store.artifactsPath(byTask['fail-read']!.id));
    const harbor = read.traces.filter((t) => t.format === 'harbor');
    expect(harbor).toHaveLength(1);
    expect(harbor[0]).toMatchObject({ taskId: 'fail-read', outcome: 'fail', reward: 0 });
    expect(harbor[0]!.steps.length).toBeGreaterThan(2);
    expect(harbor[0]!.tests.some((t) => t.status === 'failed')).toBe(true);
  });
});
