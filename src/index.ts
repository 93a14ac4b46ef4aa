// The GitHub Action entry point (dist/index.js): only calls run() with the real flows; run() never throws.
import { run } from './action/main.js';
import { evolve } from './core/evolve.js';
import { validateRefs } from './core/validate-refs.js';

void run({ evolve, validateRefs });
