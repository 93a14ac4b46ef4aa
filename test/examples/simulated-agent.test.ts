import { cpSync, appendFileSync, readFileSync, readdirSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { removeDir, tempDir } from '../helpers/git.js';
import { runEpisode, type EpisodeSummary } from '../../src/agent/episode.js';
import { planSimulatedEpisode } from '../../src/agent/simulated.js';
import { remedyFor } from '../../src/agent/remedies.js';
import { readHarborTask } from '../../src/agent/tasks/harbor-task.js';
import { readEpisodeArtifacts } from '../../src/traces/read.js';
import { episodeView } from '../../src/mining/episode-view.js';
import { classifyFailure } from '../../src/mining/signature.js';
import { redactPatterns } from '../../src/mining/redact.js';
import { REMEDIES } from '../../src/propose/remedies.js';
import type { EpisodeRecord } from '../../src/domain/types.js';

const demo = path.join(repoRoot, 'examples', 'demo');
const tasksDir = path.join(demo, 'tasks');
const taskIds = readdirSync(tasksDir).sort();
const scratch = tempDir('sh-sim-');
afterAll(() => removeDir(scratch));

/** The demo harness plus the patterns proposer's four demo remedies appended to the system prompt. */
function remediedHarness(): string {
  const dir = path.join(scratch, 'harness-remedied');
  cpSync(path.join(demo, 'harness'), dir, { recursive: true });
  const texts = REMEDIES.filter((r) => ['timeout', 'command-not-found', 'false-completion', 'action-loop'].includes(r.failureClass)).map((r) => r.text);
  expect(texts).toHaveLength(4);
  appendFileSync(path.join(dir, 'system-prompt.md'), `\n${texts.map((t) => `- ${t}`).join('\n')}\n`);
  return dir;
}

async function runAll(harnessDir: string, label: string, attempts: number): Promise<{ summary: EpisodeSummary; out: string }[]> {
  const jobs = taskIds.flatMap((id) => Array.from({ length: attempts }, (_, attempt) => ({ id, attempt })));
  const results: { summary: EpisodeSummary; out: string }[] = [];
  const queue = [...jobs];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const out = path.join(scratch, label, job.id, String(job.attempt));
        mkdirSync(out, { recursive: true });
        const summary = await runEpisode({ taskDir: path.join(tasksDir, job.id), outDir: out, attempt: job.attempt, harnessDir, mode: 'simulated' });
        results.push({ summary, out });
      }
    }),
  );
  return results;
}

const rate = (results: { summary: EpisodeSummary }[]) => results.filter((r) => r.summary.passed).length / results.length;

describe('the simulated agent', () => {
  it('is deterministic for the same task, attempt and harness hash, and a different hash re-draws', async () => {
    const task = readHarborTask(path.join(tasksDir, 'count-open-issues'));
    const text = 'naive harness';
    expect(planSimulatedEpisode(task, 0, 'h1', text)).toEqual(planSimulatedEpisode(task, 0, 'h1', text));
    const draws = new Set(Array.from({ length: 20 }, (_, i) => planSimulatedEpisode(task, 0, `h${i}`, text).draw));
    expect(draws.size).toBe(20);
    const attempts = new Set(Array.from({ length: 20 }, (_, i) => planSimulatedEpisode(task, i, 'h1', text).draw));
    expect(attempts.size).toBe(20);

    const runTwice = async (id: string) => {
      const a = await runEpisode({
        taskDir: path.join(tasksDir, id),
        outDir: path.join(scratch, 'det-a', id),
        attempt: 1,
        harnessDir: path.join(demo, 'harness'),
        harnessHash: 'fixed',
        mode: 'simulated',
      });
      const b = await runEpisode({
        taskDir: path.join(tasksDir, id),
        outDir: path.join(scratch, 'det-b', id),
        attempt: 1,
        harnessDir: path.join(demo, 'harness'),
        harnessHash: 'fixed',
        mode: 'simulated',
      });
      const calls = (dir: string) => JSON.parse(readFileSync(path.join(scratch, dir, id, 'trajectory.json'), 'utf8')).steps.map((s: any) => s.tool_calls ?? []);
      expect({ passed: a.passed, reward: a.reward, error: a.error }).toEqual({ passed: b.passed, reward: b.reward, error: b.error });
      expect(calls('det-a')).toEqual(calls('det-b'));
    };
    for (const id of ['count-open-issues', 'build-bundle', 'find-app-port', 'iso-dates']) await runTwice(id);
  });

  it("passes more often once the patterns proposer's remedies are in the harness, and its failures mine into the shared classes", async () => {
    const naive = await runAll(path.join(demo, 'harness'), 'naive', 2);
    const remedied = await runAll(remediedHarness(), 'remedied', 2);
    console.log(`simulated pass rate: naive ${rate(naive).toFixed(2)}, with remedies ${rate(remedied).toFixed(2)} (${naive.length} episodes each)`);
    const naiveRate = rate(naive);
    const remediedRate = rate(remedied);
    expect(naiveRate).toBeLessThan(0.5);
    expect(remediedRate).toBeGreaterThan(0.75);
    expect(remediedRate - naiveRate).toBeGreaterThan(0.3);

    // Each naive failure, read back through the trace readers, is classified as its trait's failure class.
    const mismatches: string[] = [];
    const failed = naive.filter((r) => !r.summary.passed);
    expect(failed.length).toBeGreaterThan(20);
    for (const { summary, out } of failed) {
      expect(summary.reward).toBe(0);
      const artifacts = await readEpisodeArtifacts(out);
      const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8'));
      const record = {
        id: 'x',
        key: { harnessHash: 'h', taskId: summary.taskId, taskHash: 't', attempt: 0, runCommand: 'agent', model: '' },
        split: 'train',
        outcome: 'fail',
        reward: 0,
        error: result.error,
        exitCode: 0,
        startedAt: '',
        durationMs: 1,
        artifacts: out,
        tries: 1,
        runner: 'command',
      } satisfies EpisodeRecord;
      const finding = classifyFailure(episodeView(record, artifacts.traces), redactPatterns);
      const expected = remedyFor(summary.plan!.failingTrait!)!.failureClass;
      if (finding.signature.failureClass !== expected)
        mismatches.push(`${summary.taskId} (${summary.plan!.failingTrait}): mined ${finding.signature.failureClass}, expected ${expected}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('is picked by `self-harness agent` when no model is configured, says so on stderr, and labels its trajectory', async () => {
    const out = path.join(scratch, 'cli');
    const result = await runCli(['agent'], {
      cwd: demo,
      env: {
        SELF_HARNESS_TASK_DIR: path.join(tasksDir, 'iso-dates'),
        SELF_HARNESS_OUT: out,
        SELF_HARNESS_ATTEMPT: '2',
        SELF_HARNESS_HARNESS: 'abc',
        OPENAI_API_KEY: '',
        OPENAI_BASE_URL: '',
      },
    });
    expect(result.exitCode, String(result.all)).toBe(0);
    expect(String(result.stderr)).toMatch(/running the SIMULATED demo agent/);
    const trajectory = JSON.parse(readFileSync(path.join(out, 'trajectory.json'), 'utf8'));
    expect(trajectory.agent.name).toBe('self-harness-simulated-agent');
    const resultFile = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8'));
    expect(resultFile.agent).toBe('self-harness-simulated-agent');
    expect(typeof resultFile.reward).toBe('number');
    expect(resultFile.usage.input_tokens).toBe(0); // no model was called: no tokens are reported
  });
});
