// Runs the CLI from source as a real child process (no build needed).
import { execa, type Options, type Result } from 'execa';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cliEntry = path.join(repoRoot, 'src', 'cli.ts');
// An absolute loader URL, so the CLI can run with any cwd (a bare `--import tsx` resolves from the cwd).
export const tsxLoader = pathToFileURL(path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** The CLI bundle built by test/global-setup.ts, else the source through tsx. */
function cliCommand(): string[] {
  const bundle = process.env.SELF_HARNESS_TEST_CLI;
  return bundle ? [bundle] : ['--import', tsxLoader, cliEntry];
}

export function runCli(args: string[], options: Options = {}): Promise<Result> {
  return execa(process.execPath, [...cliCommand(), ...args], {
    reject: false,
    all: true,
    env: { NO_COLOR: '1', CI: 'true', ...(options.env ?? {}) },
    ...options,
    cwd: options.cwd ?? repoRoot,
  } as Options) as Promise<Result>;
}

/** The CLI as a spawned process that the test can kill (e.g. SIGKILL half way). */
export function spawnCli(args: string[], options: Options = {}) {
  return execa(process.execPath, [...cliCommand(), ...args], {
    reject: false,
    all: true,
    env: { NO_COLOR: '1', CI: 'true', ...(options.env ?? {}) },
    ...options,
    cwd: options.cwd ?? repoRoot,
  } as Options);
}
