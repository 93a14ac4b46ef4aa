// The action bundle used by the black-box tests while driving stand-in flows (see stand-in-flows.ts).
import { run } from '../../src/action/main.js';
import { evolve, validateRefs } from './stand-in-flows.js';

void run({ evolve, validateRefs });
