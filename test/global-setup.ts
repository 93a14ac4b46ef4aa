// Builds the CLI once per test run into a temp dir, so tests spawn a bundle (fast) instead of transpiling src/ per process.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sh-cli-bundle-'));
  const outfile = path.join(dir, 'cli.mjs');
  await build({
    entryPoints: ['src/cli.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);" },
  });
  process.env.SELF_HARNESS_TEST_CLI = outfile;
  return () => rmSync(dir, { recursive: true, force: true });
}
