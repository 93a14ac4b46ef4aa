// Text that leaves the machine for GitHub: every PR title and body, check-run title, summary and annotation, and comment
// reply passes here, redacted as a model request is (secretlint's recommended preset, the pattern rules and this
// process's secret-looking env values), before it is truncated to GitHub's limits.
import { redactDeep } from '../llm/redact.js';

export function outgoing(text: string): Promise<string> {
  return redactDeep(text);
}
