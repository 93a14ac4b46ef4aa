// The action's inputs, parsed once into one typed settings object; every error names the input, its value, and what is allowed.
import path from 'node:path';
import { UserError } from '../domain/types.js';

export type ActionMode = 'auto' | 'evolve' | 'validate';

export interface ActionSettings {
  mode: ActionMode;
  /** Absolute path of the config file, inside the workspace. */
  configPath: string;
  githubToken: string;
  model?: string;
  modelBaseUrl?: string;
  modelApiKey?: string;
  rounds?: number;
  budgetEpisodes?: number;
  budgetUsd?: number;
  branchPrefix: string;
  labels: string[];
  checkName: string;
  /** The check conclusion for an inconclusive validation: failure (blocks; the default: fail closed) or neutral (passes a required check). */
  inconclusiveConclusion: 'neutral' | 'failure';
  commandPrefix: string;
  /** The bot PR's title (default: derived from the train improvement). */
  title?: string;
  /** Open the bot PR as a draft. */
  draft: boolean;
  /** The bot commit's message (default: derived from the decision and its reason). */
  commitMessage?: string;
  /** At most this many check-run annotations (0: none). */
  maxAnnotations: number;
  /** Logins and team slugs asked to review a new bot PR. */
  reviewers: string[];
  teamReviewers: string[];
  /** The branch an evolve run targets (the bot PR's base); undefined: the branch the workflow runs on. */
  base?: string;
  /**
   * Globs (relative to the workspace) of eval output another workflow produced, imported into the ledger before an
   * evolve run mines (`self-harness import`).
   */
  artifacts: string[];
}

/** Reads one input the way the runner passes it (INPUT_<NAME> with the hyphens kept); '' when unset. */
export type InputReader = (name: string) => string;

export function envInputReader(env: NodeJS.ProcessEnv): InputReader {
  // ASCII-only trim: a BOM or NBSP is part of the value, not whitespace to strip silently.
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

function invalid(name: string, value: string, allowed: string): UserError {
  return new UserError(`input "${name}": got ${JSON.stringify(value)}; ${allowed}. Fix it in the workflow's \`with:\` block.`);
}

function positiveInt(read: InputReader, name: string, max: number): number | undefined {
  const raw = read(name);
  if (raw === '') return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1 || n > max) throw invalid(name, raw, `expected a whole number from 1 to ${max}`);
  return n;
}

function positiveNumber(read: InputReader, name: string): number | undefined {
  const raw = read(name);
  if (raw === '') return undefined;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(n > 0)) throw invalid(name, raw, 'expected a positive number such as 5 or 2.50');
  return n;
}

/** A whole branch name git accepts (the rules of a prefix, and no trailing "/", "." or ".lock"). */
export function isSafeBranchName(name: string): boolean {
  return isSafeBranchPrefix(name) && !name.endsWith('/') && !name.endsWith('.') && !name.endsWith('.lock');
}

/** A branch name part git accepts (git check-ref-format rules that matter for a prefix). */
export function isSafeBranchPrefix(prefix: string): boolean {
  return (
    prefix.length > 0 &&
    prefix.length <= 100 &&
    /^[A-Za-z0-9._\-/]+$/.test(prefix) &&
    !prefix.startsWith('/') &&
    !prefix.startsWith('-') &&
    !prefix.includes('..') &&
    !prefix.includes('//') &&
    !prefix.includes('.lock/') &&
    !prefix.split('/').some((part) => part.startsWith('.'))
  );
}

export function parseSettings(read: InputReader, workspace: string): ActionSettings {
  const modeRaw = read('mode') || 'auto';
  if (modeRaw !== 'auto' && modeRaw !== 'evolve' && modeRaw !== 'validate') {
    throw invalid('mode', modeRaw, 'expected one of auto, evolve, validate');
  }

  const configRaw = read('config') || '.self-harness.yml';
  const configPath = path.resolve(workspace, configRaw);
  const relative = path.relative(workspace, configPath);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw invalid('config', configRaw, `expected a path inside the workspace ${workspace}`);
  }

  const githubToken = read('github-token');
  if (!githubToken) {
    throw new UserError(
      'input "github-token" is empty. Leave it at its default (${{ github.token }}) or pass a GitHub App token; the job needs `permissions:` for contents, pull-requests and checks (see docs/action.md).',
    );
  }

  const modelBaseUrl = read('model-base-url') || undefined;
  if (modelBaseUrl !== undefined) {
    let ok: boolean;
    try {
      ok = ['http:', 'https:'].includes(new URL(modelBaseUrl).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw invalid('model-base-url', modelBaseUrl, 'expected an http(s) URL of an OpenAI-compatible endpoint, e.g. https://host/v1');
  }

  const branchPrefix = read('branch-prefix') || 'self-harness/';
  if (!isSafeBranchPrefix(branchPrefix)) {
    throw invalid('branch-prefix', branchPrefix, 'expected letters, digits, ".", "_", "-" and "/" (no "..", no leading "/", "-" or ".")');
  }

  const labelsRaw = read('labels');
  const labels = (labelsRaw === '' ? 'self-harness' : labelsRaw)
    .split(/[\n,]+/)
    .map((label) => label.trim())
    .filter(Boolean);
  for (const label of labels) {
    if (label.length > 50) throw invalid('labels', label, 'each label must be at most 50 characters (comma or newline separated)');
  }

  const checkName = read('check-name') || 'self-harness / regression-validation';
  if (checkName.length > 255 || /[\r\n]/.test(checkName)) throw invalid('check-name', checkName, 'expected one line of at most 255 characters');

  const inconclusiveRaw = read('inconclusive-conclusion') || 'failure';
  if (inconclusiveRaw !== 'neutral' && inconclusiveRaw !== 'failure') {
    throw invalid(
      'inconclusive-conclusion',
      inconclusiveRaw,
      'expected "neutral" (an inconclusive validation passes a required check) or "failure" (it blocks the merge)',
    );
  }
  const inconclusiveConclusion: 'neutral' | 'failure' = inconclusiveRaw;

  const commandPrefix = read('command-prefix') || '/self-harness';
  if (!/^\/[A-Za-z0-9._-]{1,50}$/.test(commandPrefix)) {
    throw invalid('command-prefix', commandPrefix, 'expected "/" followed by letters, digits, ".", "_" or "-" (e.g. /self-harness)');
  }

  const title = read('title') || undefined;
  if (title !== undefined && (title.length > 256 || /[\r\n]/.test(title))) throw invalid('title', title, 'expected one line of at most 256 characters');

  const draftRaw = read('draft') || 'false';
  if (draftRaw !== 'true' && draftRaw !== 'false') throw invalid('draft', draftRaw, 'expected true or false');

  const commitMessage = read('commit-message') || undefined;
  if (commitMessage !== undefined && commitMessage.length > 10_000)
    throw invalid('commit-message', `${commitMessage.slice(0, 40)}...`, 'expected at most 10,000 characters');

  const maxAnnotationsRaw = read('max-annotations') || '50';
  if (!/^\d+$/.test(maxAnnotationsRaw) || Number(maxAnnotationsRaw) > 1000)
    throw invalid('max-annotations', maxAnnotationsRaw, 'expected a whole number from 0 to 1000');

  const list = (name: string, pattern: RegExp, allowed: string) => {
    const items = read(name)
      .split(/[\n,]+/)
      .map((item) => item.trim())
      .filter(Boolean);
    for (const item of items) if (!pattern.test(item)) throw invalid(name, item, allowed);
    return items;
  };
  const reviewers = list('reviewers', /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'expected GitHub logins (comma or newline separated), e.g. octocat');
  const teamReviewers = list(
    'team-reviewers',
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
    "expected team slugs of this repository's organization (comma or newline separated), e.g. harness-reviewers, without the org/ prefix",
  );

  const base = read('base') || undefined;
  if (base !== undefined && !isSafeBranchName(base.replace(/^refs\/heads\//, ''))) {
    throw invalid('base', base, 'expected a branch name such as main or release/2.x (letters, digits, ".", "_", "-" and "/")');
  }

  const artifacts = read('artifacts')
    .split(/[\n,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
  for (const pattern of artifacts) {
    const staticPart = pattern.split('/').filter((segment) => !/[*?[\]{}]/.test(segment));
    const relative = path.relative(workspace, path.resolve(workspace, ...staticPart));
    if (path.isAbsolute(pattern) || pattern.split('/').includes('..') || relative.startsWith('..') || path.isAbsolute(relative)) {
      throw invalid('artifacts', pattern, `expected paths or globs relative to the workspace ${workspace}, without ".." (comma or newline separated)`);
    }
  }

  return {
    mode: modeRaw,
    configPath,
    githubToken,
    model: read('model') || undefined,
    modelBaseUrl,
    modelApiKey: read('model-api-key') || undefined,
    rounds: positiveInt(read, 'rounds', 50),
    budgetEpisodes: positiveInt(read, 'budget-episodes', 1_000_000),
    budgetUsd: positiveNumber(read, 'budget-usd'),
    branchPrefix,
    labels,
    checkName,
    inconclusiveConclusion,
    commandPrefix,
    title,
    draft: draftRaw === 'true',
    commitMessage,
    maxAnnotations: Number(maxAnnotationsRaw),
    reviewers,
    teamReviewers,
    base: base?.replace(/^refs\/heads\//, ''),
    artifacts,
  };
}
