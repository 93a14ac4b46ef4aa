import { afterEach, describe, expect, it } from 'vitest';
import { selectHarnessEpisodes } from '../../src/cli/mine.js';
import type { EpisodeRecord } from '../../src/domain/types.js';
import { OpenAIChatModel } from '../../src/llm/openai.js';
import { sealHoldout } from '../../src/llm/guard.js';
import { diagnosisMessages } from '../../src/mining/diagnose.js';
import { mineWeaknesses } from '../../src/mining/mine.js';
import { estimateTokens } from '../../src/mining/tokens.js';
import type { ArtifactReadResult } from '../../src/traces/model.js';
import { startModelServer, type ModelServer } from '../helpers/model-server.js';
import { call, finish, record, say, trace } from './build.js';

function loopTrace(path: string) {
  return trace([
    say('Find the file', 'user'),
    ...Array.from({ length: 4 }, () => call(`ls ${path}`, `ls: cannot access '${path}': No such file or directory`, 2)),
  ]);
}

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('mineWeaknesses', () => {
  it('never asks the artifact reader for a non-train episode', async () => {
    const records = [record('a', 'fail'), record('b', 'fail', { split: 'holdout' }), record('c', 'pass'), record('d', 'fail', { split: 'holdout' })];
    const asked: string[] = [];
    const result = await mineWeaknesses({
      episodes: records,
      readArtifacts: async (r): Promise<ArtifactReadResult> => {
        asked.push(r.key.taskId);
        return { traces: [loopTrace('/x')], skipped: [] };
      },
      maxClusters: 3,
      evidenceTokens: 2000,
      secrets: [],
    });
    expect(asked.sort()).toEqual(['a', 'a', 'c']);
    expect(result.nonTrainDropped).toBe(2);
    expect(result.weaknesses.map((w) => w.tasks)).toEqual([['a']]);
  });

  it('records unreadable artifacts as skipped and still classifies from the record', async () => {
    const result = await mineWeaknesses({
      episodes: [record('a', 'timeout')],
      readArtifacts: async () => {
        throw new Error('EACCES: permission denied');
      },
      maxClusters: 3,
      evidenceTokens: 2000,
      secrets: [],
    });
    expect(result.weaknesses[0]!.signature.failureClass).toBe('timeout');
    expect(result.skipped[0]!.reason).toMatch(/artifacts not readable: EACCES/);
  });

  it('diagnoses only the top clusters within the prompt budget, merges the ones judged the same, and sums usage', async () => {
    const traces = new Map<string, ArtifactReadResult>();
    const records: EpisodeRecord[] = [];
    const add = (task: string, t: ReturnType<typeof trace>) => {
      const r = record(task, 'fail');
      records.push(r);
      traces.set(r.id, { traces: [t], skipped: [] });
    };
    for (const task of ['l1', 'l2', 'l3']) add(task, loopTrace(`/data/${task}.csv`));
    for (const task of ['c1', 'c2'])
      add(
        task,
        trace([
          call('cat /srv/in.csv', 'cat: /srv/in.csv: No such file or directory', 1),
          call('cat /srv/in.csv', 'cat: /srv/in.csv: No such file or directory', 1),
          call('cat /srv/in.csv', 'cat: /srv/in.csv: No such file or directory', 1),
        ]),
      );
    add('f1', trace([call('make', 'x'.repeat(50_000), 0), finish()]));
    let loopId = '';
    server = await startModelServer((body) => {
      const user = String(body.messages.at(-1).content);
      const id = /Cluster (w-[0-9a-f]+)/.exec(user)![1]!;
      const own = /kind="cluster fingerprint">\n(.*)\n/.exec(user)![1]!;
      if (own.startsWith('bash: cat')) {
        // the cat loop is the same as the ls loop: name the other loop cluster
        const other = /(w-[0-9a-f]+): action-loop · bash: ls/.exec(user)?.[1] ?? 'none';
        return {
          content: JSON.stringify({
            terminal_cause: 'missing_file',
            criticality: 'root_cause',
            agent_mechanism: 'repeats_lookup',
            harness_fixable: true,
            diagnosis: 'same',
            same_as: [other],
          }),
        };
      }
      if (own.startsWith('bash: ls')) loopId = id;
      return {
        content: JSON.stringify({
          terminal_cause: 'cause',
          criticality: 'root_cause',
          agent_mechanism: 'm',
          harness_fixable: true,
          diagnosis: `[step 2] in ${id}`,
        }),
      };
    });
    const model = new OpenAIChatModel(
      { name: 'm', baseUrl: server.url, inputUsdPerMtok: 1, outputUsdPerMtok: 1, temperature: 0, maxRetries: 0 },
      sealHoldout([], []),
    );
    const result = await mineWeaknesses({
      episodes: records,
      readArtifacts: async (r) => traces.get(r.id)!,
      model,
      maxClusters: 2,
      evidenceTokens: 1500,
      secrets: [],
    });
    expect(server.requests).toHaveLength(2);
    for (const request of server.requests) {
      const estimated = request.body.messages.reduce((n: number, m: { content: string }) => n + estimateTokens(m.content) + 4, 0);
      expect(estimated).toBeLessThanOrEqual(1500);
    }
    expect(result.weaknesses[0]!.id).toBe(loopId);
    expect(result.weaknesses[0]!.tasks).toEqual(['c1', 'c2', 'l1', 'l2', 'l3']);
    expect(result.weaknesses[0]!.merged).toHaveLength(1);
    expect(result.weaknesses[1]!.signature.failureClass).toBe('false-completion');
    expect(result.weaknesses[1]!.labels).toBeUndefined();
    expect(result.model).toBe('m');
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.costUsd).toBeGreaterThan(0);
  });

  it('keeps a prompt under budget even when many clusters are listed', () => {
    const w = {
      id: 'w-0',
      signature: { failureClass: 'timeout' as const, fingerprint: 'x' },
      tasks: ['a'],
      episodes: ['e'],
      alsoInPassing: 0,
      evidence: [],
      rank: 1,
    };
    const many = Array.from({ length: 50 }, (_, i) => ({ ...w, id: `w-${i}`, signature: { failureClass: 'timeout' as const, fingerprint: 'y'.repeat(150) } }));
    const user = diagnosisMessages(w, many)[1]!.content;
    expect(user.match(/^w-\d+: timeout/gm)!.length).toBe(20);
  });
});

describe('harness version selection for mine', () => {
  const r = (hash: string, startedAt: string): EpisodeRecord => ({ ...record('t', 'fail'), key: { ...record('t', 'fail').key, harnessHash: hash }, startedAt });
  const records = [r('aaa111', '2026-11-29T10:00:00Z'), r('bbb222', '2026-11-29T11:00:00Z'), r('aaa111', '2026-11-29T09:00:00Z')];

  it('prefers the working copy, then the most recent run, and accepts a prefix or all', () => {
    expect(selectHarnessEpisodes(records, undefined, 'aaa111').records).toHaveLength(2);
    expect(selectHarnessEpisodes(records, undefined, 'zzz').records.map((x) => x.key.harnessHash)).toEqual(['bbb222']);
    expect(selectHarnessEpisodes(records, 'bbb', undefined).records).toHaveLength(1);
    expect(selectHarnessEpisodes(records, 'all', undefined).records).toHaveLength(3);
    expect(() => selectHarnessEpisodes(records, 'ccc', undefined)).toThrow(/no train episode of that harness version/);
  });
});
