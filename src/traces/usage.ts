// Token and cost usage of trace segments: the one usage arithmetic lives in src/domain/usage.ts.
export { makeUsage, sumUsage as addUsage } from '../domain/usage.js';
