// The demo's shared failure vocabulary: task traits, the harness text that remedies each, and the failure it causes.
// Kept in step with the miner's FailureClass and the patterns proposer's remedy library (see docs/agent.md).

export interface TraitRemedy {
  trait: string;
  /** FailureClass the miner assigns to the trace the simulated agent writes when the remedy is missing. */
  failureClass: 'timeout' | 'command-not-found' | 'false-completion' | 'action-loop';
  /** Every pattern must match somewhere in the harness text (case-insensitive) for the remedy to count as present. */
  patterns: RegExp[];
  /** The remedy sentence the patterns proposer inserts (for docs and tests). */
  remedy: string;
}

export const TRAIT_REMEDIES: readonly TraitRemedy[] = [
  {
    trait: 'long-running',
    failureClass: 'timeout',
    patterns: [/background/i, /poll/i],
    remedy:
      'Run commands that may take longer than a minute in the background (`cmd > log 2>&1 &`) and poll their progress with short checks; never block on them.',
  },
  {
    trait: 'missing-tool',
    failureClass: 'command-not-found',
    patterns: [/not found/i, /(alternative|fallback)/i],
    remedy: 'When a command is not found (exit 127), do not retry it: use an available alternative (python3, node, sed, awk) or a fallback.',
  },
  {
    trait: 'verify',
    failureClass: 'false-completion',
    patterns: [/before (you )?(call )?finish/i, /(verify|check)/i],
    remedy:
      "Before you call finish, run the task's checks yourself and compare the output with the exact format the instruction requires; fix any difference first.",
  },
  {
    trait: 'exact-format',
    failureClass: 'false-completion',
    patterns: [/before (you )?(call )?finish/i, /(verify|check)/i],
    remedy:
      "Before you call finish, run the task's checks yourself and compare the output with the exact format the instruction requires; fix any difference first.",
  },
  {
    trait: 'hidden-files',
    failureClass: 'action-loop',
    patterns: [/find/i, /instead of repeating/i],
    remedy: 'If a file is not where you expect, search for it (`find / -name ...`) instead of repeating the same command.',
  },
];

export function remedyFor(trait: string): TraitRemedy | undefined {
  return TRAIT_REMEDIES.find((r) => r.trait === trait);
}

/** True when every pattern of the trait's remedy occurs in the harness text; unknown traits count as remedied. */
export function hasRemedy(trait: string, harnessText: string): boolean {
  const remedy = remedyFor(trait);
  return !remedy || remedy.patterns.every((pattern) => pattern.test(harnessText));
}

/** Traits of the task whose remedy the harness lacks, in the task's order. */
export function missingRemedies(traits: readonly string[], harnessText: string): string[] {
  return traits.filter((trait) => remedyFor(trait) && !hasRemedy(trait, harnessText));
}

/**
 * The simulated agent's success probability: 0.9 with every remedy present, times 1/3 per missing remedy
 * (about 0.3 with one missing), shifted by a per-task variation in [-0.05, 0.05].
 */
export function successProbability(missing: number, taskVariation: number): number {
  const p = 0.9 * Math.pow(1 / 3, missing) + taskVariation;
  return Math.min(0.98, Math.max(0.02, p));
}
