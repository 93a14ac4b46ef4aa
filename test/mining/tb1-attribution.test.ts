// Terminal-Bench 1 failures are attributed to the right party and the right trial: the harness's test-output parse
// error is not the agent's, the test run's output is not an agent action, a whole run read as one episode gives one
// trial's instruction with that same trial's error. Published TB1 runs, real reader, real miner.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { episodeView } from '../../src/mining/episode-view.js';
import { mineWeaknesses } from '../../src/mining/mine.js';
import { classifyFailure } from '../../src/mining/signature.js';
import { readEpisodeArtifacts, readTraceFile } from '../../src/traces/read.js';
import { record } from './build.js';

const run = path.resolve('test/fixtures/published/tb1/openhands-sonnet');
const identity = (text: string) => text;

describe('TB1 attribution in mining', () => {
  it("mines TB1's parse_error as the test output going unparsed, not as the agent's parse error or a missing command", async () => {
    const file = path.join(run, 'cron-broken-network/cron-broken-network.1-of-1.openhands-sonnet/results.json');
    const artifacts = await readTraceFile(file, path.dirname(file));
    // The post-test pane says `uv: command not found`: the test script's problem, not an agent action's.
    expect(artifacts.traces[0]!.steps.at(-1)!.observations[0]!.content).toContain('uv: command not found');
    const finding = classifyFailure(episodeView(record('cron-broken-network', 'fail'), artifacts.traces), identity);
    expect(finding.signature).toEqual({
      failureClass: 'unknown',
      fingerprint: 'test_output_unparsed: terminal-bench could not parse the test output (failure mode parse_error)',
    });
    const result = await mineWeaknesses({
      episodes: [record('cron-broken-network', 'fail')],
      readArtifacts: async () => artifacts,
      maxClusters: 3,
      evidenceTokens: 2000,
      secrets: [],
    });
    expect(result.weaknesses.map((w) => w.signature.failureClass)).toEqual(['unknown']);
    expect(result.weaknesses[0]!.evidence[0]!.excerpt).toContain('/tests/run-uv-pytest.sh: line 3: uv: command not found');
  });

  it('keeps an installed agent that never started out of the weaknesses', async () => {
    const file = path.resolve('test/fixtures/published/tb1/swe-agent-mini/fix-permissions/fix-permissions.1-of-1.2025-08-07__20-46-16/results.json');
    const artifacts = await readTraceFile(file, path.dirname(file));
    const result = await mineWeaknesses({
      // Recorded as a plain failure (is_resolved false): the trace's infrastructure error still wins.
      episodes: [record('fix-permissions', 'fail')],
      readArtifacts: async () => artifacts,
      maxClusters: 3,
      evidenceTokens: 2000,
      secrets: [],
    });
    expect(result.weaknesses).toEqual([]);
    expect(result.infraExcluded).toBe(1);
  });

  it("gives a whole run read as one episode one trial's instruction, tests and error, never another's", async () => {
    const artifacts = await readEpisodeArtifacts(run);
    expect(artifacts.traces).toHaveLength(80);
    const nginx = episodeView(record('nginx-request-logging', 'fail'), artifacts.traces);
    expect(nginx.instruction).toMatch(/^Set up an Nginx web server/);
    expect(nginx.tests).toHaveLength(8);
    expect(nginx.tests.filter((t) => t.status === 'failed').map((t) => t.name)).toEqual(['test_nginx_config_settings']);
    expect(nginx.error).toBeUndefined();

    // A record naming no trial of the run: the trial with the most steps, and only its own error.
    const whole = episodeView(record('the-whole-run', 'fail'), artifacts.traces);
    const trial = artifacts.traces.find((t) => t.instruction === whole.instruction)!;
    expect(whole.traceFile).toBe(trial.file);
    expect(whole.error).toEqual(trial.error);
    expect(whole.tests).toEqual(trial.tests);
  });
});
