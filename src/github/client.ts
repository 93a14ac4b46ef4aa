// The one place an Octokit is built: @actions/github's getOctokit (REST methods, pagination, the runner's proxy
// settings) with the retry plugin on 5xx and the throttling plugin's bounded retries on primary and secondary limits.
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';

export interface RepoId {
  owner: string;
  repo: string;
}

export type GitHub = ReturnType<typeof getOctokit>;

export interface GitHubClientOptions {
  token: string;
  /** REST API root (GITHUB_API_URL), e.g. https://api.github.com or https://ghe.example/api/v3. */
  baseUrl: string;
  /** How many times a rate-limited request is retried before the error surfaces. */
  rateLimitRetries?: number;
  /**
   * Milliseconds per "retry-after second" and per retry backoff unit, and the gap between writes.
   * GitHub asks for 1000 ms; tests set a tiny value so retries stay fast.
   */
  timeUnitMs?: number;
  log?: { debug(message: string): void; info(message: string): void; warn(message: string): void; error(message: string): void };
}

/** Reads the test/ops override of the time unit (SELF_HARNESS_GITHUB_TIME_UNIT_MS); undefined = GitHub's 1000 ms. */
export function timeUnitFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.SELF_HARNESS_GITHUB_TIME_UNIT_MS;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export function createGitHub(options: GitHubClientOptions): GitHub {
  const retries = options.rateLimitRetries ?? 3;
  const unit = options.timeUnitMs ?? 1000;
  const log = options.log;
  const quiet = { debug: () => {}, info: () => {}, warn: (m: string) => log?.warn(m), error: (m: string) => log?.error(m) };
  return getOctokit(
    options.token,
    {
      // Explicit, so GITHUB_API_URL (read by the caller from the run context) is what the client talks to.
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      userAgent: 'self-harness-action',
      log: log ?? quiet,
      retry: { retries: 3, retryAfterBaseValue: unit },
      throttle: {
        retryAfterBaseValue: unit,
        fallbackSecondaryRateRetryAfter: 60,
        // Writes one at a time with a gap, as GitHub's guidance for avoiding secondary limits asks.
        write: new Bottleneck.Group({ maxConcurrent: 1, minTime: unit }),
        notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: unit }),
        onRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          log?.warn(`GitHub rate limit hit on ${request.method} ${request.url}; retry ${retryCount + 1}/${retries} after ${retryAfter}s`);
          return retryCount < retries;
        },
        onSecondaryRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          log?.warn(`GitHub secondary rate limit on ${request.method} ${request.url}; retry ${retryCount + 1}/${retries} after ${retryAfter}s`);
          return retryCount < retries;
        },
      },
    },
    retry,
    throttling,
  );
}

/** The HTTP status of an Octokit error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** GitHub's validation messages of a 422 error (`errors[].message` plus the top message). */
export function validationMessages(error: unknown): string[] {
  const data = (error as { response?: { data?: { message?: string; errors?: { message?: string; code?: string }[] } } } | null)?.response?.data;
  const messages: string[] = [];
  if (data?.message) messages.push(data.message);
  for (const item of data?.errors ?? []) if (item?.message) messages.push(item.message);
  return messages;
}
