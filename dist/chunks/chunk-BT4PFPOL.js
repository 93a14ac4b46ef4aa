import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);

// src/domain/usage.ts
function zeroUsage() {
  return { inputTokens: 0, outputTokens: 0, costUsd: 0 };
}
function accumulateUsage(total, more) {
  total.inputTokens += more?.inputTokens ?? 0;
  total.outputTokens += more?.outputTokens ?? 0;
  total.costUsd += more?.costUsd ?? 0;
  return total;
}
function makeUsage(input, output, cost) {
  const usage = {};
  if (input !== void 0) usage.inputTokens = input;
  if (output !== void 0) usage.outputTokens = output;
  if (cost !== void 0) usage.costUsd = cost;
  return Object.keys(usage).length > 0 ? usage : void 0;
}
function sumUsage(total, more) {
  if (!more) return total;
  if (!total) return { ...more };
  const sum = (a, b) => a === void 0 && b === void 0 ? void 0 : (a ?? 0) + (b ?? 0);
  return makeUsage(sum(total.inputTokens, more.inputTokens), sum(total.outputTokens, more.outputTokens), sum(total.costUsd, more.costUsd));
}

export {
  zeroUsage,
  accumulateUsage,
  makeUsage,
  sumUsage
};
