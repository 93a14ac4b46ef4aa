// An episode that failed by exit code keeps its trace evidence: failing tests in a CTRF/JUnit report become the
// signature, and a trace's infrastructure exception wins over the exit code. Real published reports and trials.
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { mineWeaknesses } from '../../src/mining/mine.js';
import type { EpisodeRecord } from '../../src/domain/types.js';
import { readTraceFile } from '../../src/traces/read.js';
import type { ArtifactReadResult } from '../../src/traces/model.js';
import { record } from './build.js';

const published = path.resolve('test/fixtures/published');
const exitOne = (taskId: string): EpisodeRecord => record(taskId, 'fail', { error: { type: 'exit-code', message: 'exited with code 1' } });

async function read(...parts: string[]): Promise<ArtifactReadResult> {
  const file = path.join(published, ...parts);
  return readTraceFile(file, path.dirname(file));
}

describe('exit-code failures with trace evidence', () => {
  it('clusters exit-1 episodes by their failing tests, and counts a trial with an infrastructure exception apart', async () => {
    const artifacts = new Map<string, ArtifactReadResult>([
      ['nginx', await read('ctrf', 'harbor-nginx-request-logging-7of8.ctrf.json')],
      ['pytest', await read('junit', 'python-xunit-pytest.xml')],
      ['webserver', await read('harbor', 'pi-configure-git-webserver-runtime-error', 'job', 'configure-git-webserver__q5XQo9K', 'result.json')],
      ['bare', { traces: [], skipped: [] }],
    ]);
    const records = [...artifacts.keys()].map(exitOne);
    const result = await mineWeaknesses({
      episodes: records,
      readArtifacts: async (r) => artifacts.get(r.key.taskId)!,
      maxClusters: 10,
      evidenceTokens: 2000,
      secrets: [],
    });
    const byTask = new Map(result.weaknesses.flatMap((w) => w.tasks.map((t) => [t, w.signature] as const)));
    expect(byTask.get('nginx')!.fingerprint).toMatch(/test failed: .*test_/);
    expect(byTask.get('pytest')!.fingerprint).toMatch(/test failed: /);
    expect(byTask.get('nginx')!.fingerprint).not.toBe(byTask.get('pytest')!.fingerprint);
    // Without any trace the exit code is all there is.
    expect(byTask.get('bare')!.fingerprint).toMatch(/exit-code/);
    // The RuntimeError of the agent runner is infrastructure: excluded, never a weakness of the harness.
    expect(byTask.has('webserver')).toBe(false);
    expect(result.infraExcluded).toBe(1);
  });
});
