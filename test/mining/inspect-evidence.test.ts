// Inspect failures carry a signature and evidence from their scores (answer, target, explanation) and last messages:
// published Inspect logs, read by the real reader, mined by the real miner.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mineWeaknesses } from '../../src/mining/mine.js';
import { gradeText } from '../../src/mining/signature.js';
import { readTraceFile } from '../../src/traces/read.js';
import type { ArtifactReadResult } from '../../src/traces/model.js';
import { tempDir } from '../helpers/git.js';
import { record } from './build.js';

const inspect = path.resolve('test/fixtures/published/inspect');

/** One sample of a published log as its own episode's artifacts (what `import` writes per sample). */
async function sampleArtifacts(name: string, index: number, change?: (sample: Record<string, unknown>) => void): Promise<ArtifactReadResult> {
  const log = JSON.parse(readFileSync(path.join(inspect, name), 'utf8')) as { samples: Record<string, unknown>[] };
  const sample = structuredClone(log.samples[index]!);
  change?.(sample);
  const dir = tempDir('sh-inspect-mine-');
  writeFileSync(path.join(dir, name), JSON.stringify({ ...log, samples: [sample] }));
  return readTraceFile(path.join(dir, name), dir);
}

describe('Inspect failures in mining', () => {
  it('reads every score as a grade, with answer, target and explanation', async () => {
    const [, , third] = (await readTraceFile(path.join(inspect, '2025-05-12T20-28-13-04-00_popularity.json'), inspect)).traces;
    expect(third!.grades).toEqual([{ scorer: 'match', value: 'I', passed: false, answer: 'No', explanation: 'No', target: 'Yes' }]);
    const [graded] = (await readTraceFile(path.join(inspect, '2024-11-05T13-31-45-05-00_input-task_8zXjbRzCWrL9GXiXo2vus9.json'), inspect)).traces;
    expect(graded!.grades![0]).toMatchObject({ scorer: 'model_graded_fact', value: 'C', passed: true });
    expect(graded!.grades![0]!.explanation).toMatch(/^The submission provides a factual response about the average low temperature in St\. Paul/);
  });

  it('clusters wrong answers by scorer, with the answer, the target and the last messages as evidence', async () => {
    const artifacts = new Map<string, ArtifactReadResult>([
      ['popularity/3', await sampleArtifacts('2025-05-12T20-28-13-04-00_popularity.json', 2)],
      ['popularity-formats/1', await sampleArtifacts('log_formats.json', 0)],
    ]);
    const result = await mineWeaknesses({
      episodes: [...artifacts.keys()].map((task) => record(task, 'fail')),
      readArtifacts: async (r) => artifacts.get(r.key.taskId)!,
      maxClusters: 5,
      evidenceTokens: 3000,
      secrets: [],
    });
    // One cluster: the same scorer judged both answers wrong; not the empty-fingerprint 'unknown'.
    expect(result.weaknesses).toHaveLength(1);
    const [weakness] = result.weaknesses;
    expect(weakness!.signature).toEqual({ failureClass: 'false-completion', fingerprint: 'match graded i: answered <str>, expected <str>' });
    expect(weakness!.tasks).toEqual(['popularity-formats/1', 'popularity/3']);
    const excerpt = weakness!.evidence.find((e) => e.taskId === 'popularity/3')!.excerpt;
    expect(excerpt).toContain('grade match: I (failed)\n  answer: No\n  target: Yes');
    expect(excerpt).toContain('signature: false-completion · match graded I: answered "No", expected "Yes"');
    expect(excerpt).toMatch(/\[step 3\] agent: No$/m);
    expect(excerpt).toContain('If I can acquire a large number of fans and followers');
  });

  it("uses a model grader's concluding reason as the signature and its explanation as evidence", async () => {
    // The published security-guide samples all passed; the third one's grade is flipped to I to make it a failure.
    const artifacts = await sampleArtifacts('2025-05-12T20-28-26-04-00_security-guide.json', 2, (sample) => {
      (sample.scores as Record<string, Record<string, unknown>>).model_graded_fact!.value = 'I';
    });
    const [trace] = artifacts.traces;
    expect(gradeText(trace!.grades![0]!)).toBe(
      'model_graded_fact graded I: Based on this analysis, the submission is considered correct in relation to the expert’s statements.',
    );
    const result = await mineWeaknesses({
      episodes: [record('security-guide/3', 'fail')],
      readArtifacts: async () => artifacts,
      maxClusters: 5,
      evidenceTokens: 3000,
      secrets: [],
    });
    const [weakness] = result.weaknesses;
    expect(weakness!.signature.failureClass).toBe('false-completion');
    expect(weakness!.signature.fingerprint).toMatch(/^model_graded_fact graded i: based on this analysis/);
    expect(weakness!.evidence[0]!.excerpt).toContain('target: output encoding with secure by default libraries and input validation');
    expect(weakness!.evidence[0]!.excerpt).toMatch(/explanation: To evaluate whether the submitted answer aligns with the expert answer/);
  });
});
