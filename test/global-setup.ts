// Builds the CLI once per test run into a temp dir, so tests spawn a bundle (fast) instead of transpiling src/ per process.
import { bundle } from '../scripts/bundle.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sh-cli-bundle-'));
  const outfile = path.join(dir, 'cli.mjs');
  await bundle('src/cli.ts', outfile);
  process.env.SELF_HARNESS_TEST_CLI = outfile;
  return () => rmSync(dir, { recursive: true, force: true });
}
