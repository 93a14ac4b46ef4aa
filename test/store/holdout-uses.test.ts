import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { holdoutUsesCounter, holdoutUsesFile } from '../../src/store/holdout-uses.js';
import { repoRoot } from '../helpers/cli.js';
import { tempDir } from '../helpers/git.js';

describe('held-out use counter', () => {
  it('starts at 0, counts each use and persists it in the state directory', async () => {
    const stateDir = path.join(tempDir('sh-uses-'), 'state');
    const counter = holdoutUsesCounter(stateDir);
    expect(await counter.read()).toBe(0);
    expect(await counter.increment()).toBe(1);
    expect(await counter.increment()).toBe(2);
    expect(await holdoutUsesCounter(stateDir).read()).toBe(2);
    expect(JSON.parse(readFileSync(holdoutUsesFile(stateDir), 'utf8'))).toMatchObject({ version: 1, uses: 2 });
  });

  it('loses no use when several processes increment at once', async () => {
    const stateDir = tempDir('sh-uses-');
    const script = `import { holdoutUsesCounter } from ${JSON.stringify(path.join(repoRoot, 'src/store/holdout-uses.ts'))};
const counter = holdoutUsesCounter(process.argv[2]);
for (let i = 0; i < 5; i++) await counter.increment();`;
    const scriptFile = path.join(stateDir, 'increment.mts');
    writeFileSync(scriptFile, script);
    await Promise.all(Array.from({ length: 3 }, () => execa(process.execPath, ['--import', 'tsx', scriptFile, stateDir], { cwd: repoRoot })));
    // Same-process writers too.
    await Promise.all(Array.from({ length: 5 }, () => holdoutUsesCounter(stateDir).increment()));
    expect(await holdoutUsesCounter(stateDir).read()).toBe(20);
  });

  it('names the file and the fix when the counter file is damaged', async () => {
    const stateDir = tempDir('sh-uses-');
    writeFileSync(holdoutUsesFile(stateDir), '{"version": 1, "uses": -3}');
    await expect(holdoutUsesCounter(stateDir).read()).rejects.toThrow(/holdout-uses\.json: field uses.*delete it/);
    writeFileSync(holdoutUsesFile(stateDir), 'not json');
    await expect(holdoutUsesCounter(stateDir).increment()).rejects.toThrow(/holdout-uses\.json: not valid JSON/);
  });
});
