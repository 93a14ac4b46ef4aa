// Placeholder until the `run` command lands; replaced by its owner.
import { UserError } from '../core/types.js';

export async function main(_args: string[]): Promise<number> {
  throw new UserError('the "run" command is not available in this build yet.');
}
