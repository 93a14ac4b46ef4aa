// Runs the CLI from source with any cwd: test/helpers/cli.ts `--import tsx` resolves tsx from the cwd, which fails
// outside the repository, so this imports tsx by absolute URL instead.
import { execa, type Options, type Result } from 'execa';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers/cli.js';

const tsxLoader = pathToFileURL(path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const cliEntry = path.join(repoRoot, 'src', 'cli.ts');

export function runCliIn(cwd: string, args: string[], env: Record<string, string> = {}, options: Options = {}): Promise<Result> {
  return execa(process.execPath, ['--import', tsxLoader, cliEntry, ...args], {
    reject: false,
    all: true,
    cwd,
    env: { NO_COLOR: '1', CI: 'true', ...env },
    ...options,
  } as Options) as Promise<Result>;
}
