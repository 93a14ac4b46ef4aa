// The GitHub Action entry point (dist/index.js): only calls run() with the real flows; run() never throws.
// The flows are imported when a job calls them, so an event the action ignores (or a PR touching no harness file)
// never loads the core loop.
import { run } from './action/main.js';

void run({
  evolve: async (options) => (await import('./flows/evolve.js')).evolve(options),
  validateRefs: async (options) => (await import('./flows/validate-refs.js')).validateRefs(options),
});
