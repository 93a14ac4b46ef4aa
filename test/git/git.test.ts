import path from 'node:path';
import { realpathSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { git, GitError, repoTopLevel, resolveRef } from '../../src/git/git.js';
import { UserError } from '../../src/domain/types.js';
import { git as gitSync, makeRepo, tempDir, writeFiles } from '../helpers/git.js';

describe('git wrapper', () => {
  it('returns trimmed stdout and passes input', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    expect(await git(['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: repo })).toBe('main');
    const blob = await git(['hash-object', '--stdin'], { cwd: repo, input: 'hello\n' });
    expect(blob).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('throws GitError with the command, exit code and stderr', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const error = await git(['show', 'no-such-ref'], { cwd: repo }).catch((e) => e);
    expect(error).toBeInstanceOf(GitError);
    expect(error.args).toEqual(['show', 'no-such-ref']);
    expect(error.exitCode).toBe(128);
    expect(error.stderr).toMatch(/no-such-ref/);
    expect(error.message).toMatch(/^git show no-such-ref failed \(exit 128\) in .*: fatal:/);
  });

  it('ignores GIT_DIR inherited from a surrounding hook', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const other = makeRepo({ 'b.txt': 'b\n' });
    const saved = process.env.GIT_DIR;
    process.env.GIT_DIR = path.join(other, '.git');
    try {
      expect(await git(['ls-files'], { cwd: repo })).toBe('a.txt');
    } finally {
      if (saved === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = saved;
    }
  });

  it('runs git with terminal prompts disabled', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const printed = await git(['-c', 'alias.penv=!printenv GIT_TERMINAL_PROMPT', 'penv'], { cwd: repo, env: {} });
    expect(printed).toBe('0');
  });

  it('resolveRef gives the full sha and a UserError for unknown refs', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    writeFiles(repo, { 'a.txt': 'b\n' });
    gitSync(repo, 'commit', '-qam', 'second');
    const head = gitSync(repo, 'rev-parse', 'HEAD');
    const parent = gitSync(repo, 'rev-parse', 'HEAD~1');
    expect(await resolveRef(repo, 'HEAD')).toBe(head);
    expect(await resolveRef(repo, 'HEAD~1')).toBe(parent);
    expect(await resolveRef(repo, parent.slice(0, 8))).toBe(parent);
    await expect(resolveRef(repo, 'HEAD~5')).rejects.toThrow(UserError);
    await expect(resolveRef(repo, 'nope')).rejects.toThrow(/git ref "nope" is not a commit in .*Fetch it first/);
    await expect(resolveRef(repo, '--output=x')).rejects.toThrow(/is not a git ref/);
  });

  it('resolveRef explains shallow clones', async () => {
    const origin = makeRepo({ 'a.txt': 'a\n' });
    writeFiles(origin, { 'a.txt': 'b\n' });
    gitSync(origin, 'commit', '-qam', 'second');
    const clone = path.join(tempDir(), 'clone');
    gitSync(origin, 'clone', '-q', '--depth', '1', `file://${origin}`, clone);
    await expect(resolveRef(clone, 'HEAD~1')).rejects.toThrow(/shallow: .*fetch-depth: 0/);
  });

  it('repoTopLevel finds the top from a subdirectory and refuses outside a repository', async () => {
    const repo = makeRepo({ 'sub/dir/a.txt': 'a\n' });
    expect(await repoTopLevel(path.join(repo, 'sub/dir'))).toBe(realpathSync(repo));
    await expect(repoTopLevel(tempDir())).rejects.toThrow(/is not inside a git repository/);
  });
});
