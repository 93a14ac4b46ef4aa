import { describe, it, expect } from 'vitest';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { EpisodeStore } from '../../src/store/ledger.js';
import { episodeId } from '../../src/domain/episode-id.js';
import type { EpisodeKey, EpisodeRecord } from '../../src/domain/types.js';
import { tempDir } from '../helpers/git.js';
import { repoRoot } from '../helpers/cli.js';
import { ledgerLines } from '../runners/helpers.js';

const key: EpisodeKey = { harnessHash: 'h', taskId: 't', taskHash: 'c', attempt: 0, runCommand: 'run', model: 'm' };

function record(id: string, outcome: EpisodeRecord['outcome'] = 'pass'): EpisodeRecord {
  return {
    id,
    key,
    split: 'train',
    outcome,
    reward: outcome === 'pass' ? 1 : 0,
    exitCode: 0,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 5,
    artifacts: `episodes/${id}`,
    tries: 1,
    runner: 'command',
  };
}

describe('episodeId', () => {
  it('is 24 hex chars, independent of key order, and changes with every key field', () => {
    const id = episodeId(key);
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    const reordered = { model: 'm', runCommand: 'run', attempt: 0, taskHash: 'c', taskId: 't', harnessHash: 'h' };
    expect(episodeId(reordered)).toBe(id);
    for (const change of [{ harnessHash: 'h2' }, { taskId: 't2' }, { taskHash: 'c2' }, { attempt: 1 }, { runCommand: 'run2' }, { model: 'm2' }]) {
      expect(episodeId({ ...key, ...change })).not.toBe(id);
    }
  });
});

describe('EpisodeStore', () => {
  it('creates its directories, appends, and reads back the latest record per id', async () => {
    const stateDir = path.join(tempDir(), 'state');
    const store = await EpisodeStore.open(stateDir);
    await store.append(record('a', 'fail'));
    await store.append(record('b'));
    await store.append(record('a', 'pass'));
    expect(store.artifactsPath('a')).toBe(path.join(stateDir, 'episodes', 'a'));
    const reopened = await EpisodeStore.open(stateDir);
    expect(reopened.get('a')?.outcome).toBe('pass');
    expect(reopened.all().map((r) => r.id)).toEqual(['a', 'b']);
    expect(ledgerLines(stateDir)).toHaveLength(3);
  });

  it('skips a torn last line with a warning and starts the next append on a fresh line', async () => {
    const stateDir = tempDir();
    const store = await EpisodeStore.open(stateDir);
    await store.append(record('a'));
    const torn = JSON.stringify(record('b')).slice(0, 40);
    appendFileSync(path.join(stateDir, 'episodes.jsonl'), torn);
    const warnings: string[] = [];
    const reopened = await EpisodeStore.open(stateDir, { logger: { info: () => {}, warn: (m) => warnings.push(m) } });
    expect(reopened.all().map((r) => r.id)).toEqual(['a']);
    expect(warnings.join('\n')).toMatch(/episodes\.jsonl:2: skipped an unfinished last line/);
    await reopened.append(record('c'));
    const again = await EpisodeStore.open(stateDir);
    expect(again.all().map((r) => r.id)).toEqual(['a', 'c']);
  });

  it('skips a malformed line and names the field', async () => {
    const stateDir = tempDir();
    const bad = { ...record('x'), outcome: 'maybe' };
    writeFileSync(path.join(stateDir, 'episodes.jsonl'), `${JSON.stringify(bad)}\n${JSON.stringify(record('y'))}\n`);
    const warnings: string[] = [];
    const store = await EpisodeStore.open(stateDir, { logger: { info: () => {}, warn: (m) => warnings.push(m) } });
    expect(store.all().map((r) => r.id)).toEqual(['y']);
    expect(warnings[0]).toContain('episodes.jsonl:1: skipped a malformed line (field "outcome"');
  });

  it('reload picks up records appended by another store on the same directory', async () => {
    const stateDir = tempDir();
    const first = await EpisodeStore.open(stateDir);
    const second = await EpisodeStore.open(stateDir);
    await second.append(record('z'));
    expect(first.get('z')).toBeUndefined();
    await first.reload();
    expect(first.get('z')?.id).toBe('z');
  });

  it('writes many appends issued at once from one process as whole lines', async () => {
    const stateDir = tempDir();
    const store = await EpisodeStore.open(stateDir);
    await Promise.all(Array.from({ length: 60 }, (_, i) => store.append(record(`r${i}`))));
    expect(store.all()).toHaveLength(60);
    expect(
      ledgerLines(stateDir)
        .map((line) => JSON.parse(line).id)
        .sort(),
    ).toEqual(Array.from({ length: 60 }, (_, i) => `r${i}`).sort());
  });

  it('never corrupts the ledger when two processes append at once', async () => {
    const stateDir = tempDir();
    const script = path.join(repoRoot, 'test', 'runner', 'fixtures', 'append-records.ts');
    const spawnWriter = (prefix: string) => execa(process.execPath, ['--import', 'tsx', script, stateDir, prefix, '150'], { cwd: repoRoot });
    await Promise.all([spawnWriter('p'), spawnWriter('q')]);
    const lines = readFileSync(path.join(stateDir, 'episodes.jsonl'), 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(300);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const store = await EpisodeStore.open(stateDir);
    expect(store.all()).toHaveLength(300);
  });
});
