// Every `--json` output, from real CLI processes on a small fixture suite, validates against its committed schema
// (schema/cli/*.schema.json, which forbid keys they do not name), and the committed schemas equal a fresh
// generation from src/cli/json-output.ts: a key added to an output without a schema change fails here.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { JSON_OUTPUTS } from '../../src/cli/json-output.js';
import { renderJsonSchemas, schemaFile, type OutputName } from '../../scripts/gen-json-schemas.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { git, tempDir } from '../helpers/git.js';
import { makeSuiteRepo } from '../e2e/fixture-suite.js';

const names = Object.keys(JSON_OUTPUTS) as OutputName[];
const committed = (name: OutputName) => JSON.parse(readFileSync(schemaFile(name), 'utf8')) as object;

function validatorOf(name: OutputName) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  return ajv.compile(committed(name));
}

/** The output of one command, validated; the errors name the schema and the offending path. */
function expectValid(name: OutputName, stdout: unknown): Record<string, unknown> {
  const value = JSON.parse(String(stdout)) as Record<string, unknown>;
  const validate = validatorOf(name);
  expect(validate(value), `${name}: ${JSON.stringify(validate.errors, null, 2)}`).toBe(true);
  return value;
}

describe('--json schemas', () => {
  it('are committed for every output and equal a fresh generation (run `npx tsx scripts/gen-json-schemas.ts` after changing an output)', () => {
    const fresh = renderJsonSchemas();
    for (const name of names) expect(readFileSync(schemaFile(name), 'utf8'), name).toBe(fresh[name]);
  });

  it('reject a key they do not name, at the top and inside', () => {
    const validate = validatorOf('merge');
    const good = { episodes: { added: 0 } };
    expect(validate({ ...good, surprise: 1 })).toBe(false);
    expect(validate.errors?.some((e) => e.keyword === 'additionalProperties')).toBe(true);
  });
});

describe('--json outputs of real commands validate against their schemas', () => {
  let repo: string;
  beforeAll(() => {
    repo = makeSuiteRepo({ rounds: 1 });
  });
  const cli = (args: string[]) => runCli(args, { cwd: repo });

  it('run, mine, validate (whole and one shard), merge and evolve on the fixture suite', async () => {
    const run = await cli(['run', '--json']);
    expect(run.exitCode, String(run.all)).toBe(0);
    expect(expectValid('run', run.stdout)).toMatchObject({ episodes: { total: 16 } });

    const mine = await cli(['mine', '--no-model', '--json']);
    expect(mine.exitCode, String(mine.all)).toBe(0);
    expectValid('mine', mine.stdout);

    writeFileSync(path.join(repo, 'harness/prompt.md'), '# System prompt\n\nVERIFY the output, then call finish.\n');
    git(repo, 'commit', '-qam', 'verify');
    const shard = await cli(['validate', '--base', 'HEAD~1', '--shard', '1/2', '--state-dir', 'shard-1', '--json']);
    expect(shard.exitCode, String(shard.all)).toBe(0);
    expectValid('validate-shard', shard.stdout);
    const merge = await cli(['merge', 'shard-1', '--json']);
    expect(merge.exitCode, String(merge.all)).toBe(0);
    expectValid('merge', merge.stdout);

    const validate = await cli(['validate', '--base', 'HEAD~1', '--question', 'superiority', '--json']);
    expect(validate.exitCode, String(validate.all)).toBe(0);
    const report = expectValid('validate', validate.stdout);
    expect(report).toMatchObject({ decision: 'promote', changedFiles: [{ path: 'harness/prompt.md' }] });
    expect((report.train as { perTask: unknown[] }).perTask.length).toBeGreaterThan(0);

    const evolve = await cli(['evolve', '--no-model', '--rounds', '1', '--json']);
    expect([0, 1], String(evolve.all)).toContain(evolve.exitCode);
    expectValid('evolve', evolve.stdout);
  });

  it('init, import and agent', async () => {
    const empty = tempDir('sh-json-init-');
    git(empty, 'init', '-q');
    const init = await runCli(['init', '--json'], { cwd: empty });
    expect(init.exitCode, String(init.all)).toBe(0);
    expectValid('init', init.stdout);

    const imported = await runCli(['import', path.join(repoRoot, 'test', 'fixtures', 'published', 'harbor'), '--json'], { cwd: repo });
    expect(imported.exitCode, String(imported.all)).toBe(0);
    expectValid('import', imported.stdout);

    const demo = path.join(repoRoot, 'examples', 'demo');
    const out = tempDir('sh-json-agent-');
    const agent = await runCli(
      ['agent', '--simulated', '--task-dir', path.join(demo, 'tasks', 'exact-greeting'), '--harness', path.join(demo, 'harness'), '--out', out, '--json'],
      { cwd: out },
    );
    expect(agent.exitCode, String(agent.all)).toBe(0);
    expect(expectValid('agent', agent.stdout)).toMatchObject({ task: 'exact-greeting', out });
  });
});
