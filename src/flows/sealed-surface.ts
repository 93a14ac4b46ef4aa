// The harness surface a flow uses, less every file whose contents name the held-out split: such a file is never
// shown to a model, hashed as harness, or taken from a candidate (a held-out id in a harness file would leak it).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../domain/types.js';
import { hashFiles } from '../harness/hash.js';
import type { HarnessSurface } from '../harness/surface.js';
import { findHeldOut, type SealedHoldout } from '../llm/guard.js';

export function sealedSurface(surface: HarnessSurface, sealed: SealedHoldout, logger: Logger): HarnessSurface {
  if (sealed.ids.length === 0 && sealed.lines.length === 0) return surface;
  const warned = new Set<string>();
  const listFiles = async (dir: string = surface.root): Promise<string[]> => {
    const absolute = path.resolve(surface.root, dir);
    const kept: string[] = [];
    for (const file of await surface.listFiles(absolute)) {
      const text = await readFile(path.join(absolute, file), 'utf8').catch(() => '');
      const found = findHeldOut(`${file}\n${text}`, sealed);
      if (!found) {
        kept.push(file);
        continue;
      }
      if (!warned.has(file)) {
        warned.add(file);
        logger.warn(
          `${file} names ${found}; it is left out of the harness surface (never shown to the proposer, hashed or edited) because the held-out split is sealed. Remove the held-out reference from it.`,
        );
      }
    }
    return kept;
  };
  return {
    root: surface.root,
    policy: surface.policy,
    isEditable: (relPath) => surface.isEditable(relPath),
    listFiles,
    async hash(dir = surface.root) {
      const absolute = path.resolve(surface.root, dir);
      return hashFiles(absolute, await listFiles(absolute));
    },
  };
}
