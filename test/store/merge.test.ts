import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mergeStates } from '../../src/store/merge.js';
import { EpisodeStore } from '../../src/store/ledger.js';
import { readEpisodeArtifacts } from '../../src/traces/read.js';
import type { Logger } from '../../src/domain/types.js';
import { repoRoot } from '../helpers/cli.js';
import { tempDir } from '../helpers/git.js';
import { makeRecord, writeState } from './generate.js';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info: () => {}, warn: (m) => warnings.push(m) };
}

const ledgerLines = (dir: string) => readFileSync(path.join(dir, 'episodes.jsonl'), 'utf8').split('\n').filter(Boolean);

describe('mergeStates', () => {
  it('adds the episodes of every shard with their artifacts, and a second merge changes nothing', async () => {
    const base = tempDir('sh-merge-');
    const one = path.join(base, 'shard-1');
    const two = path.join(base, 'shard-2');
    writeState(one, [makeRecord('a', 0, 'pass', '1/2'), makeRecord('b', 0, 'fail', '1/2')]);
    writeState(two, [makeRecord('c', 0, 'timeout', '2/2')]);
    const target = path.join(base, 'merged');

    const first = await mergeStates(target, [one, two]);
    expect(first).toMatchObject({ added: 3, duplicates: 0, conflicts: [], skipped: 0, missingArtifacts: 0 });
    expect(first.sources.map((s) => [s.records, s.added])).toEqual([
      [2, 2],
      [1, 1],
    ]);
    const store = await EpisodeStore.open(target);
    expect(store.all().map((r) => [r.key.taskId, r.outcome, r.shard])).toEqual([
      ['a', 'pass', '1/2'],
      ['b', 'fail', '1/2'],
      ['c', 'timeout', '2/2'],
    ]);
    const c = store.all()[2]!;
    expect(c.artifacts).toBe(`episodes/${c.id}`);
    expect(readFileSync(path.join(target, c.artifacts, 'trace.txt'), 'utf8')).toBe('c#0 timeout\n');

    const before = readFileSync(path.join(target, 'episodes.jsonl'), 'utf8');
    const second = await mergeStates(target, [one, two]);
    expect(second).toMatchObject({ added: 0, duplicates: 3, conflicts: [] });
    expect(readFileSync(path.join(target, 'episodes.jsonl'), 'utf8')).toBe(before);
  });

  it('reports the same episode with a different outcome as a conflict and keeps the first', async () => {
    const base = tempDir('sh-merge-');
    const target = path.join(base, 'merged');
    writeState(target, [makeRecord('a', 0, 'pass')]);
    const other = path.join(base, 'other');
    writeState(other, [makeRecord('a', 0, 'fail'), makeRecord('b', 1, 'pass')]);
    const report = await mergeStates(target, [other]);
    expect(report.added).toBe(1);
    expect(report.conflicts).toEqual([{ id: makeRecord('a', 0, 'pass').id, taskId: 'a', attempt: 0, kept: 'pass', other: 'fail', source: other }]);
    const store = await EpisodeStore.open(target);
    expect(store.get(makeRecord('a', 0, 'pass').id)!.outcome).toBe('pass');
    expect(ledgerLines(target)).toHaveLength(2);
  });

  it('lets a judged outcome replace an infrastructure error, never the other way round', async () => {
    const base = tempDir('sh-merge-');
    const target = path.join(base, 'merged');
    writeState(target, [makeRecord('a', 0, 'infra-error'), makeRecord('b', 0, 'pass')]);
    const shard = path.join(base, 'shard');
    writeState(shard, [makeRecord('a', 0, 'fail'), makeRecord('b', 0, 'infra-error')]);
    const report = await mergeStates(target, [shard]);
    expect(report).toMatchObject({ added: 1, replaced: 1, duplicates: 1, conflicts: [] });
    const store = await EpisodeStore.open(target);
    expect(store.get(makeRecord('a', 0, 'fail').id)!.outcome).toBe('fail');
    expect(store.get(makeRecord('b', 0, 'pass').id)!.outcome).toBe('pass');
  });

  it('skips torn and malformed ledger lines with a warning naming the file and line', async () => {
    const base = tempDir('sh-merge-');
    const shard = path.join(base, 'shard');
    const good = makeRecord('a', 0, 'pass');
    writeState(shard, [good, makeRecord('b', 0, 'fail')], { tail: '{"id":"torn' });
    const text = readFileSync(path.join(shard, 'episodes.jsonl'), 'utf8').split('\n');
    text[1] = JSON.stringify({ ...JSON.parse(text[1]!), outcome: 'maybe' });
    writeFileSync(path.join(shard, 'episodes.jsonl'), text.join('\n'));
    const logger = recordingLogger();
    const report = await mergeStates(path.join(base, 'merged'), [shard], { logger });
    expect(report).toMatchObject({ added: 1, skipped: 2 });
    expect(logger.warnings.join('\n')).toMatch(/episodes\.jsonl:2: skipped a malformed record \(field "outcome"/);
    expect(logger.warnings.join('\n')).toMatch(/episodes\.jsonl:3: skipped an unfinished last line/);
  });

  it('copies no symlink and no artifact path that leaves the shard directory', async () => {
    const base = tempDir('sh-merge-');
    const shard = path.join(base, 'shard');
    const a = makeRecord('a', 0, 'pass');
    const escaping = { ...makeRecord('b', 0, 'fail'), artifacts: '../../etc' };
    writeState(shard, [a]);
    writeState(shard, [a, escaping], { artifacts: false });
    symlinkSync('/etc/hostname', path.join(shard, a.artifacts, 'leak.txt'));
    const logger = recordingLogger();
    const target = path.join(base, 'merged');
    const report = await mergeStates(target, [shard], { logger });
    expect(report.added).toBe(2);
    expect(readdirSync(path.join(target, 'episodes', a.id))).toEqual(['trace.txt']);
    expect(existsSync(path.join(target, 'episodes', escaping.id))).toBe(false);
    expect(logger.warnings.join('\n')).toMatch(/outside its state directory/);
  });

  it('does not follow an artifact directory that is itself a symlink, copying or moving', async () => {
    for (const move of [false, true]) {
      const base = tempDir('sh-merge-');
      const outside = path.join(base, 'outside');
      writeState(outside, [makeRecord('secret', 0, 'pass')]);
      const shard = path.join(base, 'shard');
      const a = makeRecord('a', 0, 'pass');
      writeState(shard, [a], { artifacts: false });
      symlinkSync(path.join(outside, 'episodes', makeRecord('secret', 0, 'pass').id), path.join(shard, a.artifacts));
      const target = path.join(base, 'merged');
      const report = await mergeStates(target, [shard], { move });
      expect(report).toMatchObject({ added: 1, missingArtifacts: 1 });
      expect(existsSync(path.join(target, 'episodes', a.id))).toBe(false);
    }
  });

  it('moves artifact directories with move, without their symlinks, and a second merge is all duplicates', async () => {
    const base = tempDir('sh-merge-');
    const shard = path.join(base, 'shard');
    const a = makeRecord('a', 0, 'pass');
    const b = makeRecord('b', 0, 'fail');
    writeState(shard, [a, b]);
    symlinkSync('/etc/hostname', path.join(shard, a.artifacts, 'leak.txt'));
    const target = path.join(base, 'merged');
    const report = await mergeStates(target, [shard], { move: true });
    expect(report).toMatchObject({ added: 2, missingArtifacts: 0 });
    expect(readdirSync(path.join(target, 'episodes', a.id))).toEqual(['trace.txt']);
    expect(readFileSync(path.join(target, 'episodes', b.id, 'trace.txt'), 'utf8')).toBe('b#0 fail\n');
    expect(existsSync(path.join(shard, a.artifacts))).toBe(false);
    const before = readFileSync(path.join(target, 'episodes.jsonl'), 'utf8');
    expect(await mergeStates(target, [shard], { move: true })).toMatchObject({ added: 0, duplicates: 2 });
    expect(readFileSync(path.join(target, 'episodes.jsonl'), 'utf8')).toBe(before);
  });

  it('refuses a directory that is not a state directory, and the target itself', async () => {
    const base = tempDir('sh-merge-');
    writeState(path.join(base, 'shards', 'shard-1'), [makeRecord('a', 0, 'pass')]);
    await expect(mergeStates(path.join(base, 'merged'), [path.join(base, 'shards')])).rejects.toThrow(/has no episodes\.jsonl; pass a shard's state directory/);
    await expect(mergeStates(path.join(base, 'shards', 'shard-1'), [path.join(base, 'shards', 'shard-1')])).rejects.toThrow(
      /is the target state directory itself/,
    );
    await expect(mergeStates(path.join(base, 'merged'), [path.join(base, 'nope')])).rejects.toThrow(/not a directory/);
  });

  it('carries legacy Terminal-Bench 1 and Harbor trial artifacts through a merge so the trace readers still read them', async () => {
    const base = tempDir('sh-merge-');
    const shard = path.join(base, 'shard');
    const tb1 = makeRecord('hello-world', 0, 'pass', '1/1');
    const harbor = makeRecord('dna-insert', 0, 'fail', '1/1');
    writeState(shard, [tb1, harbor], { artifacts: false });
    const published = path.join(repoRoot, 'test', 'fixtures', 'published');
    cpSync(path.join(published, 'tb1', 'openhands-sonnet'), path.join(shard, tb1.artifacts, 'runs', 'openhands-sonnet'), { recursive: true });
    cpSync(path.join(published, 'harbor', 'thinharness-dna-insert-fail'), path.join(shard, harbor.artifacts, 'jobs'), { recursive: true });
    const target = path.join(base, 'merged');
    expect((await mergeStates(target, [shard])).added).toBe(2);

    const tb1Read = await readEpisodeArtifacts(path.join(target, 'episodes', tb1.id));
    const tb1Traces = tb1Read.traces.filter((t) => t.format === 'tb1');
    expect(tb1Traces.map((t) => t.taskId).sort()).toContain('hello-world');
    expect(tb1Traces.length).toBeGreaterThanOrEqual(5);
    const harborRead = await readEpisodeArtifacts(path.join(target, 'episodes', harbor.id));
    expect(harborRead.traces.filter((t) => t.format === 'harbor').map((t) => [t.taskId, t.outcome])).toEqual([['dna-insert', 'fail']]);
  });
});
