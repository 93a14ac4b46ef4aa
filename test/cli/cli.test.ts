// The CLI as a person meets it: one help layout, --version from the bundle, did-you-mean, error prefixes once.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/git.js';
import { closest, editDistance } from '../../src/cli/suggest.js';
import { globalOptions, renderHelp, type CommandSpec } from '../../src/cli/options.js';

const COMMANDS = ['run', 'mine', 'validate', 'evolve', 'merge', 'init', 'agent'];
const ownVersion = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

describe('the self-harness command line', () => {
  it("prints its own version for --version and -V, not the calling project's (as from an npm script)", async () => {
    const caller = tempDir();
    writeFileSync(path.join(caller, 'package.json'), JSON.stringify({ name: 'caller', version: '9.9.9' }));
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag], { cwd: caller, env: { npm_package_version: '9.9.9' } });
      expect(result.exitCode).toBe(0);
      expect(String(result.stdout).trim()).toBe(ownVersion);
    }
    expect(ownVersion).not.toBe('9.9.9');
  });

  it("prints every command's help in one layout, the same for `help <cmd>` and `<cmd> --help`", async () => {
    for (const name of COMMANDS) {
      const [viaHelp, viaFlag] = await Promise.all([runCli(['help', name]), runCli([name, '--help'])]);
      expect(viaHelp.exitCode, name).toBe(0);
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
      const text = String(viaHelp.stdout);
      expect(text.startsWith(`usage: self-harness ${name} `), name).toBe(true);
      const sections = text.split('\n').filter((line) => /^[a-z ]+:$/.test(line));
      expect(sections, name).toEqual(['options:', 'exit status:']);
      for (const flag of ['--config PATH', '--state-dir DIR', '--json', '-h, --help']) expect(text, `${name} ${flag}`).toContain(`  ${flag}`);
      expect(text, name).toMatch(/^ {2}2 usage or config error/m);
      // One column of flags: every option line's text starts at the same column.
      const optionLines = text
        .split('options:\n')[1]
        .split('\n\n')[0]
        .split('\n')
        .filter((line) => /^ {2}-/.test(line));
      const columns = new Set(optionLines.map((line) => /^ {2}\S.*?\S {2,}(?=\S)/.exec(line)?.[0].length).filter((c) => c !== undefined));
      expect(columns.size, `${name}: ${[...columns].join(',')}`).toBe(1);
    }
    const top = await runCli(['help']);
    expect(top.exitCode).toBe(0);
    expect(String(top.stdout)).toMatch(/^usage: self-harness <command> \[options\]\n/);
    for (const name of COMMANDS) expect(String(top.stdout)).toMatch(new RegExp(`^ {2}${name} +\\S`, 'm'));
    expect(top.stdout).toContain('-V, --version');
  });

  it('lists every option a command accepts in its help', () => {
    const spec: CommandSpec = {
      name: 'demo',
      usage: '[options]',
      description: 'A demo.',
      options: { rounds: { type: 'string', value: 'N', help: 'how many\nand a second line' }, 'dry-run': { type: 'boolean', help: 'only plan' } },
      exit: ['0 done'],
    };
    const text = renderHelp(spec);
    for (const name of [...Object.keys(globalOptions), 'rounds', 'dry-run']) expect(text).toContain(`--${name}`);
    expect(text).toMatch(/--rounds N +how many\n +and a second line/);
  });

  it('suggests the closest command or option for a typo, and nothing for a far-off word', async () => {
    const command = await runCli(['runn']);
    expect(command.exitCode).toBe(2);
    expect(String(command.stderr).trim()).toBe('self-harness: unknown command "runn" (did you mean run?). Run `self-harness --help` for the commands.');
    const far = await runCli(['deploy']);
    expect(far.stderr).toContain('unknown command "deploy". Run');
    const option = await runCli(['--versoin']);
    expect(option.exitCode).toBe(2);
    expect(String(option.stderr).trim()).toBe(
      'self-harness: unknown option --versoin (did you mean --version?). Run `self-harness --help` for the commands and options.',
    );
    const helpTypo = await runCli(['help', 'evolv']);
    expect(helpTypo.exitCode).toBe(2);
    expect(helpTypo.stderr).toContain('(did you mean evolve?)');
    const flag = await runCli(['evolve', '--dryrun']);
    expect(flag.exitCode).toBe(2);
    expect(String(flag.stderr).trim()).toBe(
      'self-harness evolve: unknown option --dryrun (did you mean --dry-run?). Run `self-harness evolve --help` for the options.',
    );
  });

  it('prefixes an error with the command once', async () => {
    const merge = await runCli(['merge', '--state-dir', tempDir()]);
    expect(merge.exitCode).toBe(2);
    expect(merge.stderr).toMatch(/^self-harness merge: name at least one shard state directory/);
    expect(merge.stderr).not.toContain('merge: merge:');
  });

  it('measures typos by edit distance, an adjacent swap as one edit', () => {
    expect(editDistance('attempts', 'atempts')).toBe(1);
    expect(editDistance('evolve', 'evlove')).toBe(1);
    expect(editDistance('', 'run')).toBe(3);
    expect(closest('--atempts', ['--attempts', '--tasks'])).toBe('--attempts');
    expect(closest('vaildate', ['run', 'validate'])).toBe('validate');
    expect(closest('xyz', ['run', 'mine'])).toBeUndefined();
    expect(closest('--dry', ['--dry-run', '--json'])).toBe('--dry-run');
  });
});
