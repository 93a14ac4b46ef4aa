// Bundles the action (dist/index.js with its lazily loaded dist/chunks/) and the CLI (dist/cli.js) into ESM files.
import { rmSync } from 'node:fs';
import { bundle } from './bundle.mjs';

// Stale chunks would linger (and the dist check would not see them as changed) if not removed first.
rmSync('dist/chunks', { recursive: true, force: true });
await bundle('src/index.ts', 'dist/index.js', { split: true });
await bundle('src/cli.ts', 'dist/cli.js', { shebang: true });
