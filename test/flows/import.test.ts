// `importEvals` over real published eval output (read in place from test/fixtures/published; sources in its SOURCES.md).
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { importEvals, type ImportReport } from '../../src/flows/import.js';
import { EpisodeStore } from '../../src/store/ledger.js';
import { readEpisodeArtifacts } from '../../src/traces/read.js';
import { git, makeRepo, tempDir } from '../helpers/git.js';
import { repoRoot } from '../helpers/cli.js';
import { makeZip } from '../traces/zip.js';

const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'published');
const fixture = (...parts: string[]) => path.join(FIXTURES, ...parts);

function project(suiteLines: string[] = []) {
  const repo = makeRepo(
    {
      '.gitignore': '.self-harness/\n',
      '.self-harness.yml': ['harness:', "  include: ['agent/**']", 'suite:', "  tasks: 'tasks/*'", "  run: 'sh agent/run.sh'", ...suiteLines].join('\n'),
      'agent/run.sh': 'exit 0\n',
      'agent/prompt.md': 'You are a careful agent.\n',
      'tasks/t1/task.md': 'do it\n',
    },
    'sh-import-',
  );
  const loaded = loadConfig(path.join(repo, '.self-harness.yml'));
  return { repo, loaded, stateDir: path.join(repo, '.self-harness') };
}

/** sha256 of every file under dir (path -> hash), to show a source is untouched. */
function treeDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const full = path.join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[path.relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const outcomes = (report: ImportReport) => Object.fromEntries(report.added.map((e) => [e.taskId, e.outcome]));

describe('self-harness import', () => {
  it('records one episode per Harbor trial; an agent-runner RuntimeError is an infra-error, and traces stay mineable', async () => {
    const p = project();
    const report = await importEvals([fixture('harbor')], { loaded: p.loaded, stateDir: p.stateDir });
    expect(outcomes(report)).toEqual({
      'configure-git-webserver': 'infra-error',
      'dna-insert': 'fail',
      'openssl-selfsigned-cert': 'pass',
      'tune-mjcf': 'timeout',
    });
    const infra = report.added.find((e) => e.taskId === 'configure-git-webserver')!;
    expect(infra.error).toMatchObject({ type: 'RuntimeError', infrastructure: true });
    expect(infra.error!.message).toMatch(/RuntimeError: Pi subscription process failed/);
    // No commit recorded (git_commit_id is null): HEAD's harness.
    expect(report.versions).toHaveLength(1);
    expect(report.versions[0]!.why).toMatch(/HEAD/);

    const store = await EpisodeStore.open(p.stateDir);
    expect(store.all()).toHaveLength(4);
    for (const record of store.all()) {
      expect(record.key.stream).toMatch(/^import:[0-9a-f]{24}$/);
      expect(record.split).toBe('train');
      expect(record.runner).toBe('import:harbor');
    }
    const dna = store.all().find((r) => r.key.taskId === 'dna-insert')!;
    expect(existsSync(path.join(store.artifactsPath(dna.id), 'verifier', 'ctrf.json'))).toBe(true);
    const read = await readEpisodeArtifacts(store.artifactsPath(dna.id));
    expect(read.traces).toHaveLength(1);
    expect(read.traces[0]!.tests.some((t) => t.status === 'failed')).toBe(true);
  });

  it('records one episode per Terminal-Bench 1 trial, from trial directories and from the run-level results', async () => {
    const p = project();
    const report = await importEvals([fixture('tb1', 'openhands-sonnet')], { loaded: p.loaded, stateDir: p.stateDir });
    const run = JSON.parse(readFileSync(fixture('tb1', 'openhands-sonnet', 'results.json'), 'utf8')) as { results: unknown[] };
    expect(report.added).toHaveLength(run.results.length);
    const byTask = outcomes(report);
    expect(byTask['hello-world']).toBe('pass');
    expect(byTask['blind-maze-explorer-5x5']).toBe('timeout');
    expect(byTask['nginx-request-logging']).toBe('fail');
    expect(byTask['cartpole-rl-training']).toBe('pass'); // resolved, even after an agent timeout
    // Trials with their own directory keep their commands and panes.
    const hello = report.added.find((e) => e.taskId === 'hello-world')!;
    expect(hello.source).toBe(path.join(fixture('tb1', 'openhands-sonnet'), 'hello-world', 'hello-world.1-of-1.openhands-sonnet'));
    const store = await EpisodeStore.open(p.stateDir);
    expect(existsSync(path.join(store.artifactsPath(hello.id), 'commands.txt'))).toBe(true);
    // The run recorded a commit of another repository: HEAD is used instead.
    expect(report.versions.map((v) => v.why)).toEqual(['HEAD (no commit recorded, no --ref given)']);
  });

  it('records one episode per Inspect sample, each with its own sample only, and lists the logs it could not use', async () => {
    const p = project();
    const report = await importEvals([fixture('inspect')], { loaded: p.loaded, stateDir: p.stateDir });
    const security = report.added.filter((e) => e.taskId.startsWith('security_guide:'));
    expect(security).toHaveLength(3);
    const popularity = report.added.filter((e) => e.source.includes('_popularity.json#'));
    expect(popularity.map((e) => [e.taskId, e.outcome])).toEqual([
      ['popularity:1', 'pass'],
      ['popularity:2', 'pass'],
      ['popularity:3', 'fail'],
    ]);
    // Two other logs of a task named popularity: the same sample id becomes further attempts of that task.
    expect(
      report.added
        .filter((e) => e.taskId === 'popularity:1')
        .map((e) => e.attempt)
        .sort(),
    ).toEqual([0, 1, 2]);
    expect(report.skipped.map((s) => path.basename(s.file))).toContain('2025-05-12T20-28-13-04-00_no-samples.json');
    for (const skip of report.skipped) expect(skip.reason.length).toBeGreaterThan(10);
    const store = await EpisodeStore.open(p.stateDir);
    for (const episode of security) {
      const read = await readEpisodeArtifacts(store.artifactsPath(episode.id));
      expect(read.traces).toHaveLength(1);
      expect(read.traces[0]!.outcome).toBe(episode.outcome);
    }
  });

  it('records one episode per sample of a multi-sample Inspect .eval, and importing it again adds nothing', async () => {
    // The published popularity log (3 samples) packed the way Inspect writes a .eval: header.json plus samples/*.json.
    const log = JSON.parse(readFileSync(fixture('inspect', '2025-05-12T20-28-13-04-00_popularity.json'), 'utf8')) as Record<string, unknown> & {
      samples: Array<{ id: number; epoch: number }>;
    };
    const { samples, ...header } = log;
    const dir = tempDir('sh-import-eval-');
    writeFileSync(
      path.join(dir, 'popularity.eval'),
      makeZip([
        { name: 'header.json', data: JSON.stringify(header) },
        ...samples.map((s) => ({ name: `samples/${s.id}_epoch_${s.epoch}.json`, data: JSON.stringify(s) })),
      ]),
    );
    const p = project();
    const report = await importEvals([dir], { loaded: p.loaded, stateDir: p.stateDir });
    expect(report.skipped).toEqual([]);
    expect(report.added.map((e) => [e.taskId, e.outcome])).toEqual([
      ['popularity:1', 'pass'],
      ['popularity:2', 'pass'],
      ['popularity:3', 'fail'],
    ]);
    const store = await EpisodeStore.open(p.stateDir);
    const failed = report.added.find((e) => e.taskId === 'popularity:3')!;
    const read = await readEpisodeArtifacts(store.artifactsPath(failed.id));
    expect(read.traces.map((t) => [t.outcome, t.grades?.[0]?.target])).toEqual([['fail', 'Yes']]);
    const again = await importEvals([dir], { loaded: p.loaded, stateDir: p.stateDir });
    expect([again.added.length, again.duplicates.length]).toEqual([0, 3]);
  });

  it('records one episode per JUnit or CTRF report file, and lists trajectories that record no verdict as skipped', async () => {
    const p = project();
    const reports = await importEvals([fixture('junit'), fixture('ctrf')], { loaded: p.loaded, stateDir: p.stateDir });
    expect(outcomes(reports)).toEqual({
      'TEST-org.apache.pulsar.AddMissingPatchVersionTest': 'fail',
      'python-xunit-pytest': 'fail',
      report_flaky: 'fail',
      'ctrf-report': 'fail',
      'github-test-reporter-jest-ci': 'pass',
      'harbor-nginx-request-logging-7of8.ctrf': 'fail',
    });
    const atif = await importEvals([fixture('atif', 'terminus_2')], { loaded: p.loaded, stateDir: p.stateDir });
    expect(atif.added).toHaveLength(0);
    expect(atif.skipped).toContainEqual({
      file: fixture('atif', 'terminus_2', 'hello-world-timeout.trajectory.json'),
      reason: 'the atif trace records no outcome, reward or test result: not imported (import the trial directory that holds its result instead)',
    });
  });

  it('lists every file of the ATIF fixture dir: read, or skipped with why (continuations and sub-trajectories folded into their parent)', async () => {
    const p = project();
    const dir = fixture('atif');
    const report = await importEvals([dir], { loaded: p.loaded, stateDir: p.stateDir });
    const found = (readdirSync(dir, { recursive: true }) as string[]).map((rel) => path.join(dir, rel)).filter((file) => statSync(file).isFile());
    const accounted = new Set([...report.added.map((e) => e.source.replace(/#.*$/, '')), ...report.skipped.map((s) => s.file)]);
    expect(found.filter((file) => !accounted.has(file))).toEqual([]);
    const t2 = (name: string) => fixture('atif', 'terminus_2', name);
    const summarization = t2('hello-world-context-summarization.trajectory.json');
    for (const part of ['answers', 'questions', 'summary'])
      expect(report.skipped).toContainEqual({
        file: t2(`hello-world-context-summarization.trajectory.summarization-1-${part}.json`),
        reason: `folded into ${summarization} (continuation/sub-trajectory)`,
      });
    expect(report.skipped).toContainEqual({
      file: t2('hello-world-context-summarization-linear-history.trajectory.cont-1.json'),
      reason: `folded into ${t2('hello-world-context-summarization-linear-history.trajectory.json')} (continuation/sub-trajectory)`,
    });
  });

  it('stops when the suite cannot be listed instead of recording held-out trials as train', async () => {
    const p = project();
    writeFileSync(
      path.join(p.repo, '.self-harness.yml'),
      readFileSync(path.join(p.repo, '.self-harness.yml'), 'utf8').replace("tasks: 'tasks/*'", "tasks-file: 'tasks.txt'"),
    );
    writeFileSync(path.join(p.repo, 'tasks.txt'), 'dna-insert\nbad/id\n');
    const loaded = loadConfig(path.join(p.repo, '.self-harness.yml'));
    await expect(importEvals([fixture('harbor')], { loaded, stateDir: p.stateDir })).rejects.toThrow(/tasks\.txt:2: task id "bad\/id" must not contain/);
    expect(existsSync(path.join(p.stateDir, 'episodes.jsonl'))).toBe(false);
  });

  it('records a trial of a task the suite holds out as a held-out episode (mining reads train episodes only)', async () => {
    const p = project(['  holdout: 0', "  holdout-tasks: ['dna-insert']"]);
    mkdirSync(path.join(p.repo, 'tasks', 'dna-insert'));
    writeFileSync(path.join(p.repo, 'tasks', 'dna-insert', 'task.md'), 'held out\n');
    const report = await importEvals([fixture('harbor')], { loaded: p.loaded, stateDir: p.stateDir });
    expect(report.added).toHaveLength(4);
    const store = await EpisodeStore.open(p.stateDir);
    const splits = Object.fromEntries(store.all().map((r) => [r.key.taskId, r.split]));
    expect(splits).toEqual({ 'configure-git-webserver': 'train', 'dna-insert': 'holdout', 'openssl-selfsigned-cert': 'train', 'tune-mjcf': 'train' });
  });

  it('is idempotent, never changes the source, and does not follow a symlink out of it', async () => {
    const p = project();
    const source = tempDir('sh-import-src-');
    cpSync(fixture('harbor'), source, { recursive: true });
    const outside = path.join(tempDir('sh-outside-'), 'secret.txt');
    writeFileSync(outside, 'do not copy\n');
    const trial = path.join(source, 'thinharness-dna-insert-fail', 'job', 'dna-insert__SHwX67r');
    symlinkSync(outside, path.join(trial, 'linked.txt'));
    writeFileSync(path.join(source, 'notes.json'), '{"hello": 1}\n');
    const before = treeDigest(source);

    const first = await importEvals([source], { loaded: p.loaded, stateDir: p.stateDir });
    expect(first.added).toHaveLength(4);
    expect(first.skipped).toContainEqual(expect.objectContaining({ file: path.join(source, 'notes.json'), reason: expect.stringMatching(/unknown shape/) }));
    expect(first.skipped).toContainEqual({
      file: path.join(source, 'thinharness-dna-insert-fail', 'job', 'dna-insert__SHwX67r', 'linked.txt'),
      reason: expect.stringMatching(/symbolic link/),
    });
    const ledger = readFileSync(path.join(p.stateDir, 'episodes.jsonl'), 'utf8');

    const second = await importEvals([source, path.join(source, 'thinharness-dna-insert-fail')], { loaded: p.loaded, stateDir: p.stateDir });
    expect(second.added).toHaveLength(0);
    expect(second.duplicates).toHaveLength(5);
    expect(readFileSync(path.join(p.stateDir, 'episodes.jsonl'), 'utf8')).toBe(ledger);
    expect(treeDigest(source)).toEqual(before);

    const store = await EpisodeStore.open(p.stateDir);
    const dna = store.all().find((r) => r.key.taskId === 'dna-insert')!;
    expect(existsSync(path.join(store.artifactsPath(dna.id), 'linked.txt'))).toBe(false);
  });

  it('records episodes under --ref, else the commit the artifacts record', async () => {
    const p = project();
    const first = git(p.repo, 'rev-parse', 'HEAD');
    writeFileSync(path.join(p.repo, 'agent', 'prompt.md'), 'You are a quick agent.\n');
    git(p.repo, 'commit', '-qam', 'v2');
    const source = tempDir('sh-import-inspect-');
    const log = JSON.parse(readFileSync(fixture('inspect', 'log_formats.json'), 'utf8')) as { eval: { revision: { commit: string } } };
    log.eval.revision.commit = first;
    writeFileSync(path.join(source, 'recorded.json'), JSON.stringify(log));

    const recorded = await importEvals([source], { loaded: p.loaded, stateDir: p.stateDir });
    const byRef = await importEvals([fixture('harbor', 'thinharness-dna-insert-fail')], { loaded: p.loaded, stateDir: p.stateDir, ref: first });
    const atHead = await importEvals([fixture('harbor', 'thinharness-openssl-selfsigned-cert-pass')], { loaded: p.loaded, stateDir: p.stateDir });
    expect(recorded.added).toHaveLength(1);
    expect(recorded.added[0]!.harness).toBe(byRef.added[0]!.harness);
    expect(recorded.versions[0]!.why).toMatch(/recorded in the artifacts/);
    expect(atHead.added[0]!.harness).not.toBe(byRef.added[0]!.harness);
  });
});
