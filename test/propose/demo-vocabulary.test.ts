// The demo's shared failure vocabulary: the patterns proposer's remedies must be what the simulated agent looks for.
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createSurface } from '../../src/harness/surface.js';
import { TRAIT_REMEDIES, missingRemedies } from '../../src/agent/remedies.js';
import { applyCandidate } from '../../src/propose/apply.js';
import { createPatternsProposer } from '../../src/propose/patterns.js';
import { REMEDIES } from '../../src/propose/remedies.js';
import { tempDir } from '../helpers/git.js';
import { LIMITS, weakness } from './fixture.js';

const DEMO = path.resolve(import.meta.dirname, '../../examples/demo');

describe('demo vocabulary', () => {
  it('uses, word for word, the remedy sentences the simulated agent was written against', () => {
    for (const trait of TRAIT_REMEDIES) {
      expect(REMEDIES.find((r) => r.failureClass === trait.failureClass)?.text, trait.trait).toBe(trait.remedy);
    }
  });

  it('turns the naive demo harness into one the simulated agent sees as remedied for every trait', async () => {
    const root = tempDir('sh-propose-demo-');
    cpSync(path.join(DEMO, '.self-harness.yml'), path.join(root, '.self-harness.yml'));
    cpSync(path.join(DEMO, 'harness'), path.join(root, 'harness'), { recursive: true });
    const surface = createSurface(loadConfig(path.join(root, '.self-harness.yml')));
    const traits = TRAIT_REMEDIES.map((t) => t.trait);
    const harnessText = async () => (await surface.listFiles(root)).map((f) => readFileSync(path.join(root, f), 'utf8')).join('\n');
    expect(missingRemedies(traits, await harnessText())).toEqual(traits);

    const classes = [...new Set(TRAIT_REMEDIES.map((t) => t.failureClass))];
    const out = await createPatternsProposer().propose({
      weaknesses: classes.map((c, i) => weakness(c, { rank: i + 1 })),
      passingTasks: [],
      surface,
      harnessRoot: root,
      history: [],
      count: 4,
      limits: LIMITS,
    });
    expect(out.candidates).toHaveLength(4);
    for (const c of out.candidates) await applyCandidate(c, root, surface, LIMITS);
    expect(missingRemedies(traits, await harnessText())).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(root, 'harness/tools.json'), 'utf8'))).toBeTruthy();
  });
});
