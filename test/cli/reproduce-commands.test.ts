// No doc or message tells a person to run `npx self-harness`: the name is not published, so whoever registers it
// would run with the user's keys. The CLI is the action's own bundle (`node <clone>/dist/cli.js`).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full, ext) : ext.test(name) ? [full] : [];
  });
}

describe('commands shown to a person', () => {
  it('never run the CLI as `npx self-harness`', () => {
    const candidates = [path.join(repoRoot, 'README.md'), ...files(path.join(repoRoot, 'docs'), /\.md$/), ...files(path.join(repoRoot, 'src'), /\.ts$/)];
    const offenders = candidates.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, where: `${path.relative(repoRoot, file)}:${i + 1}` }))
        // The one place that says why not, in a comment.
        .filter(({ line }) => /npx self-harness\b/.test(line) && !line.trimStart().startsWith('*'))
        .map(({ where }) => where),
    );
    expect(offenders).toEqual([]);
  });
});
