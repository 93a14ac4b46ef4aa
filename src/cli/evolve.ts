// Placeholder until the `evolve` command lands; replaced by its owner.
import { UserError } from '../core/types.js';

export async function main(_args: string[]): Promise<number> {
  throw new UserError('the "evolve" command is not available in this build yet.');
}
