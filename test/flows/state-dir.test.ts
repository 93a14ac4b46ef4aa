// The state directory has one writer, a killed run's orphans cannot write into later artifacts, and a full disk
// ends with one clear line and an untouched ledger.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, symlinkSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { runEpisodes } from '../../src/flows/episode-pool.js';
import { planEpisodes } from '../../src/domain/plan.js';
import { EpisodeStore } from '../../src/store/ledger.js';
import { lockStateDir, STATE_LOCK_FILE } from '../../src/store/state-lock.js';
import type { EpisodeRequest, EpisodeRunner } from '../../src/domain/types.js';
import { repoRoot, tsxLoader } from '../helpers/cli.js';
import { tempDir } from '../helpers/git.js';
import { harness, task } from '../runners/helpers.js';

const base = { concurrency: 1, timeoutMs: 20_000, infraRetries: 0, retryBackoffMs: 10 };

/** A runner that writes one file and remembers the directory it was given. */
function recordingRunner(name: string, seen: string[]): EpisodeRunner {
  return {
    name: 'test',
    model: '',
    runCommand: name,
    async run(request: EpisodeRequest) {
      seen.push(request.outDir);
      writeFileSync(path.join(request.outDir, `${name}.txt`), name);
      return { outcome: 'pass', reward: 1, exitCode: 0 };
    },
  };
}

describe('the state directory', () => {
  it('refuses a second process with a message naming the holder, and takes over the lock of a dead one', async () => {
    const stateDir = tempDir('sh-lock-');
    const script = `import { lockStateDir } from ${JSON.stringify(path.join(repoRoot, 'src/store/state-lock.ts'))};\nawait lockStateDir(process.argv[1]);\nconsole.log('locked');\nsetInterval(() => {}, 1000);\n`;
    const holder = execa(process.execPath, ['--import', tsxLoader, '--input-type=module', '-e', script, stateDir], { cwd: repoRoot, reject: false });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (chunk: Buffer) => {
          if (String(chunk).includes('locked')) resolve();
        });
        holder.on('exit', () => reject(new Error('the lock holder exited early')));
      });
      await expect(lockStateDir(stateDir)).rejects.toThrow(
        new RegExp(`another self-harness process \\(pid ${holder.pid}\\) is using .*; wait for it to finish`),
      );
    } finally {
      holder.kill('SIGKILL');
      await holder;
    }
    // SIGKILL left the lock file behind; its pid is gone, so the lock is taken over.
    expect(existsSync(path.join(stateDir, STATE_LOCK_FILE))).toBe(true);
    const lock = await lockStateDir(stateDir);
    expect(JSON.parse(readFileSync(path.join(stateDir, STATE_LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(path.join(stateDir, STATE_LOCK_FILE))).toBe(false);
  });

  it('gives every try its own directory, so a late write into an earlier try never reaches the artifacts', async () => {
    const stateDir = tempDir('sh-tries-');
    const store = await EpisodeStore.open(stateDir);
    const plans = planEpisodes([task('alpha')], () => 'train', harness(), 1);
    const seen: string[] = [];
    const [first] = await runEpisodes(plans, { ...base, runner: recordingRunner('first', seen), store });
    const artifacts = path.join(stateDir, first!.artifacts);
    expect(seen[0]).not.toBe(artifacts);
    const [second] = await runEpisodes(plans, {
      ...base,
      runner: { ...recordingRunner('first', seen), run: recordingRunner('second', seen).run },
      store,
      useCache: false,
    });
    expect(second!.artifacts).toBe(first!.artifacts);
    expect(new Set(seen).size).toBe(2);
    expect(seen.every((dir) => dir.includes(`${path.sep}.tries${path.sep}`))).toBe(true);
    // An orphan of the first try (its run was killed) writing on into the directory it was given.
    mkdirSync(seen[0]!, { recursive: true });
    writeFileSync(path.join(seen[0]!, 'late.txt'), 'orphan');
    expect(readFileSync(path.join(artifacts, 'second.txt'), 'utf8')).toBe('second');
    expect(existsSync(path.join(artifacts, 'first.txt'))).toBe(false);
    expect(existsSync(path.join(artifacts, 'late.txt'))).toBe(false);
  });

  it('ends a full disk with one clear line and leaves the ledger as it was', async () => {
    const stateDir = tempDir('sh-full-');
    const store = await EpisodeStore.open(stateDir);
    const before = readFileSync(path.join(stateDir, 'episodes.jsonl'), { flag: 'a+' }).toString();
    // Writing to /dev/full fails with ENOSPC, as a full disk does.
    rmSync(store.ledgerPath, { force: true });
    symlinkSync('/dev/full', store.ledgerPath);
    const plans = planEpisodes([task('alpha'), task('beta')], () => 'train', harness(), 1);
    const error = (await runEpisodes(plans, { ...base, runner: recordingRunner('x', []), store }).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error | undefined;
    expect(error).toBeInstanceOf(Error);
    expect(error!.name).toBe('UserError');
    expect(error!.message).toMatch(
      /^could not write the ledger .*episodes\.jsonl: ENOSPC \(no space left on device\); the ledger is left as it was and [12] finished episode\(s\) were not recorded/,
    );
    expect(error!.message).not.toContain('\n');
    expect(before).toBe('');
  });
});
