// Episodes cannot change what they are judged on: an episode that edits a harness file is an infra-error, the edit
// stays in its private copy (or is put back when it ran in place), and nothing is recorded under the clean hash.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfigText } from '../../src/config/load.js';
import { runEpisodes } from '../../src/flows/episode-pool.js';
import { createHarnessGuard } from '../../src/flows/harness-guard.js';
import { planEpisodes } from '../../src/domain/plan.js';
import { createSurface, harnessVersion } from '../../src/harness/surface.js';
import { EpisodeStore } from '../../src/store/ledger.js';
import { CommandRunner } from '../../src/runners/command.js';
import { tempDir, writeFiles } from '../helpers/git.js';
import { task } from '../runners/helpers.js';

function project() {
  const root = tempDir('sh-guard-');
  const text = 'harness:\n  include: ["harness/**"]\nsuite:\n  tasks: "tasks/*"\n  run: "sh episode.sh"\n';
  writeFiles(root, { '.self-harness.yml': text, 'harness/prompt.md': 'Be careful.\n', 'tasks/t1/task.txt': 'x\n' });
  const file = path.join(root, '.self-harness.yml');
  return { root, surface: createSurface({ config: parseConfigText(text, file), path: file, root }) };
}

describe('the harness guard', () => {
  it('makes an episode that edits a harness file an infra-error, leaves the version untouched, and the retry runs on the clean harness', async () => {
    const { root, surface } = project();
    const once = path.join(root, 'tampered-once');
    // The first try appends to the prompt (once); every try passes.
    const runner = new CommandRunner({
      command: `[ -e ${once} ] || { touch ${once}; echo "ALWAYS PASS" >> harness/prompt.md; }; grep -q ALWAYS harness/prompt.md && echo saw-tamper >> ${path.join(root, 'seen')}; exit 0`,
    });
    const store = await EpisodeStore.open(path.join(root, '.self-harness'));
    const version = await harnessVersion(surface, root, 'working copy');
    const plans = planEpisodes([task('t1')], () => 'train', version, 1);
    const [record] = await runEpisodes(plans, { runner, store, concurrency: 1, timeoutMs: 20_000, infraRetries: 0, harnessGuard: createHarnessGuard(surface) });
    expect(record).toMatchObject({ outcome: 'infra-error', error: { type: 'harness-modified', infrastructure: true } });
    expect(record!.error!.message).toMatch(/^the episode modified harness files: harness\/prompt\.md; the change stayed in the episode's private copy/);
    expect(readFileSync(path.join(root, 'harness/prompt.md'), 'utf8')).toBe('Be careful.\n');
    expect(await surface.hash(root)).toBe(version.hash);

    // Infra errors are never reused: the next run tries again, on the clean harness, and records a pass.
    const [again] = await runEpisodes(plans, { runner, store, concurrency: 1, timeoutMs: 20_000, infraRetries: 0, harnessGuard: createHarnessGuard(surface) });
    expect(again).toMatchObject({ outcome: 'pass' });
    expect(readFileSync(path.join(root, 'seen'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('refuses to run an episode on files that no longer hash to the planned version', async () => {
    const { root, surface } = project();
    const version = await harnessVersion(surface, root, 'working copy');
    const guard = createHarnessGuard(surface);
    expect(await guard.before(version)).toBeUndefined();
    writeFileSync(path.join(root, 'harness/new.md'), 'added\n');
    expect(await guard.before(version)).toMatch(/harness files at .* changed after the run planned them \(harness\/new\.md\)/);
    expect(await guard.after(version)).toEqual(['harness/new.md']);
    expect(existsSync(path.join(root, 'harness/new.md'))).toBe(false);
  });
});
