// The one set of esbuild options for self-contained ESM bundles: the build, the dist check and the tests use it.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

// ESM bundles of CJS dependencies (e.g. @actions/http-client's tunnel) need a real `require`.
// The CLI's --version: this package's version, fixed at build time.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const requireBanner = "import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);";

/**
 * Bundles `entry` (with every dependency) into `outfile`; `shebang` makes it directly executable. `split` puts what
 * the entry loads with `import()` into `chunks/` next to `outfile` (loaded only when needed: the action's cold start).
 */
export async function bundle(entry, outfile, { shebang = false, split = false } = {}) {
  const output = split
    ? { outdir: path.dirname(outfile), entryNames: path.basename(outfile, '.js'), chunkNames: 'chunks/[name]-[hash]', splitting: true }
    : { outfile };
  await build({
    entryPoints: [entry],
    ...output,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    legalComments: 'none',
    define: { __SELF_HARNESS_VERSION__: JSON.stringify(version) },
    logLevel: 'warning',
    banner: { js: (shebang ? '#!/usr/bin/env node\n' : '') + requireBanner },
  });
}
