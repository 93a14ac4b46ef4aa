// The one place that decides what self-harness may ever write. Pure: no file system, no git.
// Every proposed edit, every promoted file and every listed surface file goes through checkEditablePath.
import picomatch from 'picomatch';

export interface PathPolicy {
  /** Globs of harness files (config `harness.include`), relative to the project root. */
  include: string[];
  /** Globs never edited even when included (config `harness.exclude`). */
  exclude: string[];
  /** The config file, relative to the project root. */
  configPath: string;
  /** Globs or directories of tasks (and the tasks file), relative to the project root. */
  taskGlobs: string[];
  /** The state directory, relative to the project root. */
  stateDir: string;
  /** `suite.run`: the script it runs and every file it names are the evaluator, never the harness. */
  runCommand?: string;
}

export type PathVerdict = { ok: true } | { ok: false; reason: string };

const OK: PathVerdict = { ok: true };
const TEST_DIRS = new Set(['test', 'tests', '__tests__']);
const TEST_FILE = /\.(test|spec)\./i;
// Control characters and the zero-width characters some file systems ignore when comparing names.
const INVISIBLE = /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;

/** Decides whether self-harness may write `relPath` (relative to the project root). */
export function checkEditablePath(relPath: string, policy: PathPolicy): PathVerdict {
  const shown = JSON.stringify(relPath);
  const refuse = (why: string): PathVerdict => ({ ok: false, reason: `${relPath}: ${why}` });
  if (typeof relPath !== 'string' || relPath.length === 0) return { ok: false, reason: `${shown}: empty path; give a path relative to the project root` };
  if (relPath.includes('\0')) return { ok: false, reason: `${shown}: contains a NUL byte` };
  if (INVISIBLE.test(relPath)) return { ok: false, reason: `${shown}: contains control or invisible characters` };
  if (relPath.includes('\\')) return refuse("contains a backslash; use '/' separators relative to the project root");
  if (relPath.startsWith('/') || /^[a-zA-Z]:/.test(relPath)) return refuse('absolute path; give a path relative to the project root');
  const segments = relPath.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0) return refuse('names the project root, not a file');
  // '..' is refused outright, even when it would normalize inside: a symlinked parent makes 'link/../x' leave the repo.
  if (segments.includes('..')) return refuse("contains a '..' segment; give the path without it");
  const rel = segments.join('/');
  const lower = segments.map((s) => s.toLowerCase());

  if (lower.includes('.git')) return refuse('under .git/, which self-harness never writes');
  if (lower.includes('.github')) return refuse('under .github/, which self-harness never writes');
  if (lower.slice(0, -1).includes('node_modules')) return refuse('under node_modules/, installed dependencies are not harness files');
  const configPath = normalizeRelative(policy.configPath);
  if (configPath && rel.toLowerCase() === configPath.toLowerCase()) return refuse('is the self-harness config file, which self-harness never writes');
  const stateDir = normalizeRelative(policy.stateDir);
  if (stateDir && isUnder(lower, stateDir.toLowerCase())) return refuse(`under the state directory ${stateDir}/, which holds run results, not harness files`);
  for (const glob of policy.taskGlobs) {
    const hit = taskMatch(segments, glob);
    if (hit) return refuse(`inside task ${hit} (matched by ${glob}); tasks are the yardstick and are never edited`);
  }
  const evaluator = evaluatorReason(segments, lower, policy.runCommand);
  if (evaluator) return refuse(`${evaluator}; the evaluator is never the harness, so self-harness never edits it whatever harness.include says`);
  const testDir = segments.slice(0, -1).find((s) => TEST_DIRS.has(s.toLowerCase()));
  if (testDir) return refuse(`under a ${testDir}/ directory; tests are never edited`);
  if (TEST_FILE.test(segments[segments.length - 1]!)) return refuse('a test file (*.test.* / *.spec.*); tests are never edited');

  const included = policy.include.some((glob) => matcher(glob)(rel));
  if (!included) return refuse(`not matched by harness.include (${policy.include.join(', ') || 'empty'}); add a glob there if it is part of the harness`);
  // Case-insensitive like the built-in rules: on a case-insensitive file system `Secret/x` is `secret/x`.
  const excludedBy = policy.exclude.find((glob) => matcher(glob, true)(rel));
  if (excludedBy !== undefined) return refuse(`matched by harness.exclude ${excludedBy}`);
  return OK;
}

// Files that decide how an episode is built, run, installed or judged, wherever they sit and whatever include says.
const VCS_FILES = new Set(['.gitignore', '.gitattributes', '.gitmodules', '.gitconfig', '.mailmap']);
const DEV_ENV_FILES = new Set([
  '.envrc',
  '.env',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.pnpmfile.cjs',
  '.tool-versions',
  '.nvmrc',
  '.node-version',
  '.python-version',
  '.mise.toml',
  'mise.toml',
  'flake.nix',
  'shell.nix',
  'default.nix',
  'devbox.json',
  '.pre-commit-config.yaml',
]);
const DEV_ENV_DIRS = new Set(['.husky', '.devcontainer', '.vscode', '.idea', '.circleci', '.buildkite', '.gitlab', '.ci']);
const CI_FILES = new Set(['.gitlab-ci.yml', '.travis.yml', 'jenkinsfile', 'azure-pipelines.yml', 'bitbucket-pipelines.yml', 'appveyor.yml', '.drone.yml']);
const MANIFESTS = new Set([
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'pnpm-workspace.yaml',
  'bun.lock',
  'bun.lockb',
  'deno.json',
  'deno.jsonc',
  'deno.lock',
  'pyproject.toml',
  'setup.py',
  'setup.cfg',
  'pipfile',
  'pipfile.lock',
  'poetry.lock',
  'uv.lock',
  'pdm.lock',
  'conftest.py',
  'tox.ini',
  'noxfile.py',
  'pytest.ini',
  'cargo.toml',
  'cargo.lock',
  'go.mod',
  'go.sum',
  'gemfile',
  'gemfile.lock',
  'composer.json',
  'composer.lock',
  'build.gradle',
  'build.gradle.kts',
  'pom.xml',
  'makefile',
  'gnumakefile',
  'justfile',
  'taskfile.yml',
  'dockerfile',
  'containerfile',
  'docker-compose.yml',
  'docker-compose.yaml',
  'compose.yml',
  'compose.yaml',
]);

/** Why a path is part of the evaluator (run script, manifest, VCS, CI or dev-environment file), or undefined. */
function evaluatorReason(segments: string[], lower: string[], runCommand: string | undefined): string | undefined {
  const name = lower[lower.length - 1]!;
  const rel = segments.join('/');
  if (runCommand && runCommandPaths(runCommand).includes(rel)) return `named by suite.run (${runCommand})`;
  if (VCS_FILES.has(name)) return `${name} changes what git tracks or how it checks files out`;
  const dir = lower.slice(0, -1).find((s) => DEV_ENV_DIRS.has(s));
  if (dir) return `under ${dir}/, a hook, CI or dev-environment directory that runs code outside the episode`;
  if (DEV_ENV_FILES.has(name) || name.startsWith('.env.')) return `${name} configures the shell, package manager or toolchain episodes run with`;
  if (CI_FILES.has(name)) return `${name} is a CI definition`;
  if (MANIFESTS.has(name) || /^requirements[\w.-]*\.txt$/.test(name) || /^dockerfile\./.test(name))
    return `${name} is a package manifest, lock file or build file (lifecycle scripts run code)`;
  return undefined;
}

/**
 * The files `suite.run` names, relative to the project root (its cwd): every word that looks like a path
 * (`node agent/run.js`, `bash ./eval.sh --verifier checks/verify.py`, `--config=harness/x.json`).
 */
export function runCommandPaths(runCommand: string): string[] {
  const words = runCommand.split(/[\s;&|()<>`]+/).flatMap((word) => {
    const unquoted = word.replace(/^['"]+|['"]+$/g, '');
    const value = unquoted.startsWith('-') ? unquoted.slice(unquoted.indexOf('=') + 1) : unquoted;
    return value === unquoted || unquoted.includes('=') ? [value] : [];
  });
  const paths = new Set<string>();
  for (const word of words) {
    if (!/[/.]/.test(word) || /^[a-z][a-z0-9+.-]*:\/\//i.test(word) || word.includes('$')) continue;
    const normalized = normalizeRelative(word);
    if (normalized && /[/]|\.[A-Za-z0-9]+$/.test(normalized)) paths.add(normalized);
  }
  return [...paths];
}

/** A relative path with '.', '' segments and backslashes normalized; undefined when absolute or leaving the root. */
export function normalizeRelative(rel: string): string | undefined {
  const segments = rel
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  if (rel.startsWith('/') || /^[a-zA-Z]:/.test(rel) || segments.includes('..') || segments.length === 0) return undefined;
  return segments.join('/');
}

function isUnder(lowerSegments: string[], dir: string): boolean {
  const dirSegments = dir.split('/');
  return dirSegments.length <= lowerSegments.length && dirSegments.every((s, i) => s === lowerSegments[i]);
}

/** The task directory (a prefix of the path) matched by `glob`, if any. */
function taskMatch(segments: string[], glob: string): string | undefined {
  const normalized = normalizeGlob(glob);
  if (!normalized) return undefined;
  let isMatch = taskMatchers.get(normalized);
  if (!isMatch) taskMatchers.set(normalized, (isMatch = picomatch(normalized, { dot: true, nocase: true })));
  for (let n = 1; n <= segments.length; n++) {
    const prefix = segments.slice(0, n).join('/');
    if (isMatch(prefix)) return prefix;
  }
  return undefined;
}

const matchers = new Map<string, (p: string) => boolean>();
const taskMatchers = new Map<string, (p: string) => boolean>();

/** Globs match files; a glob ending in '/' means everything under that directory. */
function matcher(glob: string, nocase = false): (p: string) => boolean {
  const cacheKey = `${nocase ? 'i' : 's'}:${glob}`;
  let cached = matchers.get(cacheKey);
  if (!cached) {
    const normalized = normalizeGlob(glob);
    cached = normalized ? picomatch(normalized, { dot: true, nocase }) : () => false;
    matchers.set(cacheKey, cached);
  }
  return cached;
}

/** Strips './' and turns 'dir/' into 'dir/**'; globs that leave the root match nothing. */
export function normalizeGlob(glob: string): string | undefined {
  let g = glob.trim();
  while (g.startsWith('./')) g = g.slice(2);
  if (g === '' || g.startsWith('/') || g.startsWith('../')) return undefined;
  if (g.endsWith('/')) g += '**';
  return g;
}
