// Secret redaction for mining: the rule set lives in src/llm/redact.ts (one rule set for every place text leaves
// the machine); this module keeps the names the miner and its callers import.
export { createRedactor, environmentSecrets, redact, redactPatterns, secretValuesFromEnv, type Redactor } from '../llm/redact.js';
