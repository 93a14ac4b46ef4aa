// Hostile artifact directories, made as real files: FIFOs named like side files, symlinks and references leaving
// the episode, and a zip whose entries decompress past the caps. Reading ends, and nothing outside is read.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readEpisodeArtifacts } from '../../src/traces/read.js';
import { withinEpisode, readBytes } from '../../src/traces/confined.js';
import { tempDir } from '../helpers/git.js';
import { makeZip } from './zip.js';

const published = path.resolve('test/fixtures/published');
const SECRET = 'password is hunter2-OUTSIDE';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): { episode: string; outside: string } {
  const base = tempDir('sh-hostile-');
  dirs.push(base);
  const episode = path.join(base, 'episode');
  const outside = path.join(base, 'outside');
  mkdirSync(episode, { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(path.join(outside, 'secret.txt'), `${SECRET}\n`);
  return { episode, outside };
}

const mkfifo = (file: string) => {
  mkdirSync(path.dirname(file), { recursive: true });
  execFileSync('mkfifo', [file]);
};
const everything = (result: Awaited<ReturnType<typeof readEpisodeArtifacts>>) => JSON.stringify(result);

describe('reading an episode directory someone else filled', () => {
  it('does not hang on FIFOs named like Harbor and TB1 side files, and says what they are', async () => {
    const { episode } = scratch();
    const trial = path.join(episode, 'dna-insert__SHwX67r');
    cpSync(path.join(published, 'harbor/thinharness-dna-insert-fail/job/dna-insert__SHwX67r/result.json'), path.join(trial, 'result.json'));
    mkfifo(path.join(trial, 'verifier', 'test-stdout.txt'));
    mkfifo(path.join(trial, 'verifier', 'reward.txt'));
    const tb1 = path.join(episode, 'tb1', 'analyze-access-logs.1-of-1');
    cpSync(
      path.join(published, 'tb1/2025-09-14__15-58-05/analyze-access-logs/analyze-access-logs.1-of-1.2025-09-14__15-58-05/results.json'),
      path.join(tb1, 'results.json'),
    );
    mkfifo(path.join(tb1, 'commands.txt'));
    mkfifo(path.join(episode, 'trace.jsonl'));

    const result = await readEpisodeArtifacts(episode);
    const text = everything(result);
    expect(text).toMatch(/verifier\/test-stdout\.txt: not a regular file \(a FIFO\)/);
    expect(text).toMatch(/verifier\/reward\.txt: not a regular file \(a FIFO\)/);
    expect(text).toMatch(/commands\.txt: not a regular file \(a FIFO\)/);
    expect(result.traces.some((t) => t.format === 'harbor')).toBe(true);
    expect(result.traces.some((t) => t.format === 'tb1')).toBe(true);
  });

  it('never reads a symlinked side file or trace whose target is outside the episode', async () => {
    const { episode, outside } = scratch();
    const trial = path.join(episode, 'dna-insert__SHwX67r');
    cpSync(path.join(published, 'harbor/thinharness-dna-insert-fail/job/dna-insert__SHwX67r/result.json'), path.join(trial, 'result.json'));
    mkdirSync(path.join(trial, 'verifier'), { recursive: true });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(trial, 'verifier', 'test-stdout.txt'));
    writeFileSync(path.join(outside, 'trace.jsonl'), `${JSON.stringify({ type: 'message', role: 'user', content: SECRET })}\n`);
    symlinkSync(path.join(outside, 'trace.jsonl'), path.join(episode, 'trace.jsonl'));
    symlinkSync(outside, path.join(episode, 'linked-dir'));

    const result = await readEpisodeArtifacts(episode);
    expect(everything(result)).not.toContain('hunter2');
    expect(everything(result)).toMatch(/symlink leading outside the episode directory/);
  });

  it('does not follow ATIF continuation or sub-trajectory references that are absolute or contain ..', async () => {
    const { episode, outside } = scratch();
    const source = JSON.parse(readFileSync(path.join(published, 'atif/terminus_2/hello-world-context-summarization-linear-history.trajectory.json'), 'utf8'));
    const planted = {
      ...JSON.parse(readFileSync(path.join(published, 'atif/terminus_2/hello-world-context-summarization-linear-history.trajectory.cont-1.json'), 'utf8')),
    };
    planted.steps = [{ step_id: 1, source: 'user', message: SECRET }];
    writeFileSync(path.join(outside, 'cont.json'), JSON.stringify(planted));
    for (const [name, ref] of [
      ['absolute', path.join(outside, 'cont.json')],
      ['dotdot', '../../outside/cont.json'],
    ] as const) {
      const dir = path.join(episode, name, 'agent');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'trajectory.json'), JSON.stringify({ ...source, continued_trajectory_ref: ref }));
    }
    const result = await readEpisodeArtifacts(episode);
    expect(everything(result)).not.toContain('hunter2');
    expect(everything(result)).toMatch(/is an absolute or '\.\.' reference, not followed/);
  });

  it('stops decompressing an .eval whose entries add up past the cap', async () => {
    const { episode } = scratch();
    // 9 entries of 15 MB of spaces: each under the entry cap, 135 MB in all, a few hundred KB on disk.
    const big = Buffer.alloc(15 * 1024 * 1024, 0x20);
    const entries = [{ name: 'header.json', data: JSON.stringify({ eval: { task: 't' }, status: 'success', version: 2 }) }];
    for (let i = 0; i < 9; i++)
      entries.push({
        name: `samples/s${i}_epoch_1.json`,
        data: Buffer.concat([Buffer.from('{"id":"s","epoch":1,"messages":[]'), big, Buffer.from('}')]) as unknown as string,
      });
    writeFileSync(path.join(episode, 'run.eval'), makeZip(entries as Array<{ name: string; data: string | Buffer }>));
    const result = await readEpisodeArtifacts(episode);
    expect(everything(result)).toMatch(/decompress to more than 67108864 bytes in all/);
  });

  it('charges every file of an episode to one byte budget', async () => {
    const { episode } = scratch();
    writeFileSync(path.join(episode, 'a.json'), 'x'.repeat(600));
    writeFileSync(path.join(episode, 'b.json'), 'y'.repeat(600));
    await withinEpisode(
      episode,
      async () => {
        await readBytes(path.join(episode, 'a.json'), 10_000);
        await expect(readBytes(path.join(episode, 'b.json'), 10_000)).rejects.toThrow(/over the 0\.0 MB read cap; the rest is not read/);
      },
      1000,
    );
  });
});
