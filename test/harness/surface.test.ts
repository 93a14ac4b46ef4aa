import { symlinkSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import type { LoadedConfig } from '../../src/config/schema.js';
import { hashFiles, sha256 } from '../../src/harness/hash.js';
import { classifyChangedPaths, createSurface, harnessVersion, locateProject } from '../../src/harness/surface.js';
import { makeRepo, tempDir, writeFiles } from '../helpers/git.js';

const configText = `harness:
  include: [agent/**, AGENTS.md]
  exclude: [agent/vendor/**]
suite:
  tasks: tasks/*
  run: node agent/run.js
`;

function project(extra: Record<string, string> = {}): LoadedConfig {
  const root = tempDir('sh-surface-');
  writeFiles(root, {
    '.self-harness.yml': configText,
    'AGENTS.md': 'be careful\n',
    'agent/prompt.md': 'You are an agent.\n',
    'agent/tools.json': '{"tools":[]}\n',
    'agent/vendor/lib.js': 'vendored\n',
    'agent/prompt.test.ts': 'test\n',
    'agent/.github/x.yml': 'no\n',
    'tasks/hello/instruction.md': 'say hello\n',
    'src/app.ts': 'not harness\n',
    '.self-harness/worktrees/abc/agent/prompt.md': 'old copy\n',
    ...extra,
  });
  const file = path.join(root, '.self-harness.yml');
  return { config: parseConfigText(configText, file), path: file, root };
}

describe('harness surface', () => {
  it('lists only editable files, sorted and repo-relative', async () => {
    const surface = createSurface(project());
    expect(await surface.listFiles()).toEqual(['AGENTS.md', 'agent/prompt.md', 'agent/tools.json']);
    expect(surface.isEditable('agent/new.md')).toEqual({ ok: true });
    expect(surface.isEditable('.self-harness.yml').ok).toBe(false);
    expect(surface.isEditable('tasks/hello/x.md').ok).toBe(false);
  });

  it('skips symlinks that leave the directory or alias protected files, and symlinked directories; keeps links to surface files', async () => {
    const loaded = project();
    const outside = tempDir('sh-outside-');
    writeFileSync(path.join(outside, 'secret.md'), 'secret\n');
    symlinkSync(path.join(outside, 'secret.md'), path.join(loaded.root, 'agent/leak.md'));
    symlinkSync(outside, path.join(loaded.root, 'agent/outdir'));
    symlinkSync('prompt.md', path.join(loaded.root, 'agent/alias.md'));
    symlinkSync('missing.md', path.join(loaded.root, 'agent/dangling.md'));
    symlinkSync('..', path.join(loaded.root, 'agent/loop'));
    symlinkSync('../tasks/hello/instruction.md', path.join(loaded.root, 'agent/task-alias.md'));
    symlinkSync('../.self-harness.yml', path.join(loaded.root, 'agent/config-alias.md'));
    const files = await createSurface(loaded).listFiles();
    expect(files).toEqual(['AGENTS.md', 'agent/alias.md', 'agent/prompt.md', 'agent/tools.json']);
  });

  it('skips files of nested repositories or worktrees, and protects an overriding state dir', async () => {
    const loaded = project({ 'agent/runs/wt/.git': 'gitdir: /elsewhere\n', 'agent/runs/wt/agent/prompt.md': 'old\n', 'agent/cache/x.md': 'x\n' });
    expect(await createSurface(loaded).listFiles()).toEqual(['AGENTS.md', 'agent/cache/x.md', 'agent/prompt.md', 'agent/tools.json']);
    const overridden = createSurface(loaded, { stateDir: path.join(loaded.root, 'agent/cache') });
    expect(await overridden.listFiles()).toEqual(['AGENTS.md', 'agent/prompt.md', 'agent/tools.json']);
    expect(overridden.isEditable('agent/cache/x.md')).toMatchObject({ ok: false, reason: expect.stringMatching(/state directory agent\/cache\//) });
  });

  it('hash changes iff a surface file changes', async () => {
    const loaded = project();
    const surface = createSurface(loaded);
    const h0 = await surface.hash();
    writeFileSync(path.join(loaded.root, 'src/app.ts'), 'changed\n');
    writeFileSync(path.join(loaded.root, 'tasks/hello/instruction.md'), 'changed\n');
    writeFileSync(path.join(loaded.root, 'agent/vendor/lib.js'), 'changed\n');
    writeFileSync(path.join(loaded.root, 'agent/prompt.test.ts'), 'changed\n');
    writeFileSync(path.join(loaded.root, '.self-harness/worktrees/abc/agent/prompt.md'), 'changed\n');
    expect(await surface.hash()).toBe(h0);
    writeFileSync(path.join(loaded.root, 'agent/prompt.md'), 'You are a careful agent.\n');
    const h1 = await surface.hash();
    expect(h1).not.toBe(h0);
    writeFileSync(path.join(loaded.root, 'agent/new.md'), '');
    const h2 = await surface.hash();
    expect(h2).not.toBe(h1);
    writeFileSync(path.join(loaded.root, 'agent/prompt.md'), 'You are an agent.\n');
    expect(await surface.hash()).not.toBe(h0); // agent/new.md still there
  });

  it('hashes another checkout of the same layout and labels the version', async () => {
    const loaded = project();
    const surface = createSurface(loaded);
    const copy = tempDir('sh-copy-');
    cpSync(loaded.root, copy, { recursive: true });
    const version = await harnessVersion(surface, copy, 'HEAD~1');
    expect(version).toEqual({ hash: await surface.hash(), root: copy, label: 'HEAD~1' });
    writeFileSync(path.join(copy, 'AGENTS.md'), 'different\n');
    expect((await harnessVersion(surface, copy, 'x')).hash).not.toBe(version.hash);
  });

  it('uses the config directory as root when the config sits in a subdirectory', async () => {
    const repo = tempDir('sh-sub-');
    writeFiles(repo, { 'examples/demo/agent/prompt.md': 'hi\n', 'agent/prompt.md': 'top\n', 'examples/demo/.self-harness.yml': configText });
    const file = path.join(repo, 'examples/demo/.self-harness.yml');
    const surface = createSurface({ config: parseConfigText(configText, file), path: file, root: path.dirname(file) });
    expect(surface.root).toBe(path.join(repo, 'examples/demo'));
    expect(await surface.listFiles()).toEqual(['agent/prompt.md']);
    expect(surface.policy.configPath).toBe('.self-harness.yml');
  });
});

describe('content hashes', () => {
  it('hashFiles is order-independent and separates path from content', async () => {
    const a = tempDir();
    const b = tempDir();
    writeFiles(a, { 'x/y': 'z', 'x/w': '' });
    writeFiles(b, { 'x/y': '', 'x/w': 'z' });
    expect(await hashFiles(a, ['x/y', 'x/w'])).toBe(await hashFiles(a, ['x/w', 'x/y']));
    expect(await hashFiles(a, ['x/y', 'x/w'])).not.toBe(await hashFiles(b, ['x/y', 'x/w']));
    mkdirSync(path.join(a, 'empty'));
    expect(await hashFiles(a, [])).toBe(sha256(''));
    await expect(hashFiles(a, ['nope'])).rejects.toThrow(/cannot hash .*nope/);
  });

  it('sha256 is hex of the bytes', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256(Buffer.from('abc'))).toBe(sha256('abc'));
  });
});

describe('locateProject and classifyChangedPaths', () => {
  it('locates a nested config relative to the git top level, also through a symlinked checkout', async () => {
    const repo = makeRepo({ 'agent/.self-harness.yml': configText, 'agent/AGENTS.md': 'x\n' });
    const link = path.join(tempDir('sh-locate-'), 'checkout');
    symlinkSync(repo, link);
    for (const root of [path.join(repo, 'agent'), path.join(link, 'agent')]) {
      const file = path.join(root, '.self-harness.yml');
      const located = await locateProject({ root, path: file });
      expect(located).toMatchObject({ configDir: 'agent', configFile: 'agent/.self-harness.yml' });
    }
    expect(await locateProject({ root: repo, path: path.join(repo, '.self-harness.yml') })).toMatchObject({ configDir: '', configFile: '.self-harness.yml' });
  });

  it("says why each non-harness path is outside, with the path policy's reasons", () => {
    const loaded = project();
    const { harness, outside } = classifyChangedPaths(['agent/prompt.md', 'agent/vendor/lib.js', 'src/app.ts', 'tasks/hello/instruction.md'], {
      policy: createSurface(loaded).policy,
      configDir: '.',
    });
    expect(harness).toEqual(['agent/prompt.md']);
    expect(outside.map((o) => o.reason)).toEqual([
      'agent/vendor/lib.js: matched by harness.exclude agent/vendor/**',
      expect.stringContaining('src/app.ts: not matched by harness.include'),
      expect.stringContaining('tasks/hello/instruction.md: inside task tasks/hello'),
    ]);
  });
});
