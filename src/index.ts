// The GitHub Action entry point (dist/index.js): only calls run() with the real flows; run() never throws.
import { run } from './action/main.js';
import { evolve } from './flows/evolve.js';
import { validateRefs } from './flows/validate-refs.js';

void run({ evolve, validateRefs });
