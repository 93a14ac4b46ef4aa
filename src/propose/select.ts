// Chooses the proposer from the config's `propose.proposer` and whether a model is configured.
import type { ChatModel } from '../domain/types.js';
import { UserError } from '../domain/types.js';
import { createModelProposer } from './model-proposer.js';
import { createPatternsProposer } from './patterns.js';
import type { Proposer } from './types.js';

/** `auto` = the model proposer when a model is given, else the patterns proposer. */
export function createProposer(kind: 'auto' | 'patterns' | 'model', model?: ChatModel): Proposer {
  if (kind === 'patterns') return createPatternsProposer();
  if (kind === 'model') {
    if (!model) {
      throw new UserError(
        'propose.proposer is "model" but no model endpoint is configured: set the env var named by model.api-key-env (or model.base-url), or set propose.proposer to "patterns" or "auto".',
      );
    }
    return createModelProposer(model);
  }
  return model ? createModelProposer(model) : createPatternsProposer();
}
