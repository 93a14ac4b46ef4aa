// Bundles the action (dist/index.js) and the CLI (dist/cli.js) into self-contained ESM files.
import { build } from 'esbuild';

const banner = "import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);";

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  legalComments: 'none',
  logLevel: 'warning',
};

await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js', banner: { js: banner } });
await build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node\n' + banner } });
