// Bundles the action (dist/index.js) and the CLI (dist/cli.js) into self-contained ESM files.
import { bundle } from './bundle.mjs';

await bundle('src/index.ts', 'dist/index.js');
await bundle('src/cli.ts', 'dist/cli.js', { shebang: true });
