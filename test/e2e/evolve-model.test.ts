// End to end: `self-harness evolve` with a loopback OpenAI-compatible server playing the proposer model,
// and `self-harness validate` on a person's commit. Real processes, real git, real HTTP.
import type { ErrorControl } from '../../src/domain/flows.js';
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { git, removeDir } from '../helpers/git.js';
import { startModelServer, type ModelServer } from '../helpers/model-server.js';
import { makeSuiteRepo, TASK_IDS } from './fixture-suite.js';

type Edit = Record<string, string>;

function proposal(weaknessId: string, edits: Edit[], summary = 'edit the prompt') {
  return JSON.stringify({
    decision: 'propose',
    weakness_id: weaknessId,
    mechanism: 'prompt_instruction',
    summary,
    rationale: 'The traces show completion claimed before the verifier failed.',
    predicted_fixes: [],
    edits,
  });
}

const addLine = (line: string): Edit => ({
  kind: 'replace',
  file: 'harness/prompt.md',
  search: 'Do the task, then call finish.',
  replace: `Do the task, then call finish.\n${line}`,
});

/** A model that answers every proposer call with `reply(weaknessId)`. */
async function proposerModel(reply: (weaknessId: string) => string): Promise<ModelServer> {
  return startModelServer((body) => {
    const text = (body?.messages ?? []).map((m: { content?: string }) => m.content ?? '').join('\n');
    const weaknessId = /\bw-[0-9a-f]{10}\b/.exec(text)?.[0] ?? 'w-0000000000';
    return { content: reply(weaknessId) };
  });
}

let repo = '';
let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (repo) removeDir(repo);
  repo = '';
});

function evolve(model: ModelServer, extra: string[] = []) {
  return runCli(['evolve', '--json', ...extra], {
    cwd: repo,
    env: { OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: model.url, SELF_HARNESS_MODEL: 'test-model' },
  });
}

function report(stdout: string) {
  return JSON.parse(stdout) as {
    decision: string;
    branch?: string;
    commit?: string;
    diff: string;
    reason: string;
    validation?: { holdoutUses: number; train: { delta: number } };
    errorControl: ErrorControl;
  };
}

describe('evolve with a model proposer', () => {
  it('promotes a helpful edit, commits it on the bot branch, and leaves the working copy alone', async () => {
    repo = makeSuiteRepo();
    server = await proposerModel((w) =>
      proposal(w, [addLine('VERIFY your output against the instruction before you call finish.')], 'verify before finishing'),
    );
    const head = git(repo, 'rev-parse', 'HEAD');
    const result = await evolve(server);
    expect(result.exitCode, String(result.all)).toBe(0);
    const r = report(String(result.stdout));
    expect(r.decision).toBe('promote');
    expect(r.branch).toBe('self-harness/evolve');
    expect(r.validation?.holdoutUses).toBe(1);
    expect(r.validation!.train.delta).toBeGreaterThan(0.3);
    expect(git(repo, 'show', 'self-harness/evolve:harness/prompt.md')).toContain('VERIFY your output');
    expect(git(repo, 'log', '--format=%an', '-1', 'self-harness/evolve')).toBe('self-harness');
    expect(r.diff).toContain('+VERIFY your output');
    expect(r.diff).not.toContain('history.jsonl');
    // The working copy, its branch and HEAD are untouched.
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(readFileSync(path.join(repo, 'harness/prompt.md'), 'utf8')).not.toContain('VERIFY');
    expect(git(repo, 'status', '--porcelain', '--untracked-files=no')).toBe('');
    // The lineage is committed with the change.
    const history = git(repo, 'show', 'self-harness/evolve:.self-harness/history.jsonl');
    expect(history).toContain('"decision":"promote"');
    // The proposer never saw a held-out task id (the ledger says which tasks were held out).
    const ledger = readFileSync(path.join(repo, '.self-harness', 'episodes.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const holdout = [...new Set(ledger.filter((e) => e.split === 'holdout').map((e) => e.key.taskId as string))];
    expect(holdout.length).toBeGreaterThan(0);
    expect(holdout.every((id) => TASK_IDS.includes(id))).toBe(true);
    for (const request of server.requests) for (const id of holdout) expect(request.raw).not.toMatch(new RegExp(`\\b${id}\\b`));
    // Evidence that chose the proposal never judged it: mining episodes have no stream, screening and the held-out
    // confirmation ran on streams of their own, and no (harness, task, attempt) of the mining run was paired again.
    const mined = ledger.filter((e) => !e.key.stream);
    expect(mined.length).toBeGreaterThan(0);
    expect(mined.every((e) => e.split === 'train' && e.key.attempt === 0)).toBe(true);
    expect(ledger.filter((e) => e.split === 'holdout').every((e) => /^confirm:\d+$/.test(e.key.stream))).toBe(true);
    const screened = ledger.filter((e) => e.split === 'train' && e.key.stream);
    expect(screened.length).toBeGreaterThan(0);
    expect(screened.every((e) => /^screen:[0-9a-f]{16}:0$/.test(e.key.stream))).toBe(true);
    // The run's alpha: the confirmations' shares never add up to more than validate.alpha, and the report says so.
    expect(r.errorControl.alpha).toBe(0.05);
    expect(r.errorControl.spent).toBeLessThanOrEqual(0.05);
    expect(r.errorControl.spends.length).toBeGreaterThan(0);
    expect(r.errorControl.spends.reduce((sum: number, s: { alpha: number }) => sum + s.alpha, 0)).toBeCloseTo(r.errorControl.spent, 12);
    expect(r.errorControl.statement).toContain('promotes an edit with no real effect at most 5% of the time');
  });

  it('does not promote a harmful edit', async () => {
    repo = makeSuiteRepo();
    server = await proposerModel((w) => proposal(w, [addLine('BREAK everything.')], 'harmful'));
    const result = await evolve(server);
    expect(result.exitCode, String(result.all)).toBe(1);
    const r = report(String(result.stdout));
    expect(r.decision).toBe('reject');
    expect(r.branch).toBeUndefined();
    expect(git(repo, 'branch', '--list', 'self-harness/evolve')).toBe('');
  });

  it('does not promote an edit with no effect', async () => {
    repo = makeSuiteRepo();
    server = await proposerModel((w) => proposal(w, [addLine('Be polite.')], 'no-op'));
    const result = await evolve(server);
    expect(result.exitCode, String(result.all)).toBe(1);
    expect(report(String(result.stdout)).decision).not.toBe('promote');
    expect(git(repo, 'branch', '--list', 'self-harness/evolve')).toBe('');
  });

  it('refuses edits outside the harness surface, whatever the model says', async () => {
    repo = makeSuiteRepo();
    server = await proposerModel((w) =>
      proposal(w, [
        { kind: 'replace', file: '.github/workflows/ci.yml', search: 'jobs: {}', replace: 'jobs: { pwn: {} }' },
        { kind: 'create', file: 'tasks/t01/task.txt', content: 'easier task' },
      ]),
    );
    const result = await evolve(server);
    expect(result.exitCode, String(result.all)).toBe(1);
    // The refusal is reported; when the model's path names a held-out task (t01 may be one), the repair prompt that
    // would echo it is itself refused by the held-out guard.
    expect(String(result.all)).toMatch(/\.github|never writes|outside|held-out split is sealed/);
    expect(readFileSync(path.join(repo, '.github/workflows/ci.yml'), 'utf8')).toContain('jobs: {}');
    expect(git(repo, 'branch', '--list', 'self-harness/evolve')).toBe('');
    const everyFile = git(repo, 'log', '--all', '--name-only', '--format=');
    expect(everyFile).not.toMatch(/pwn/);
  });

  it('survives a malformed model reply', async () => {
    repo = makeSuiteRepo();
    server = await proposerModel(() => 'this is not JSON { at all');
    const result = await evolve(server);
    expect(result.exitCode, String(result.all)).toBe(1);
    expect(String(result.all)).toMatch(/dropped/);
    expect(report(String(result.stdout)).decision).not.toBe('promote');
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
  });
});

describe('validate a change a person wrote', () => {
  it('exits 0 and writes the report for a change that helps', async () => {
    repo = makeSuiteRepo();
    const base = git(repo, 'rev-parse', 'HEAD');
    writeFileSync(path.join(repo, 'harness/prompt.md'), '# System prompt\n\nVERIFY before you finish.\n');
    git(repo, 'commit', '-qam', 'verify before finishing');
    const reportFile = path.join(repo, 'report.json');
    const result = await runCli(['validate', '--question', 'superiority', '--base', base, '--head', 'HEAD', '--report', reportFile], { cwd: repo });
    expect(result.exitCode, String(result.all)).toBe(0);
    const r = JSON.parse(readFileSync(reportFile, 'utf8'));
    expect(r.decision).toBe('promote');
    expect(r.question).toBe('superiority');
    expect(r.episodes.run).toBeGreaterThan(0);
    for (const split of ['train', 'holdout']) {
      for (const side of ['baseline', 'candidate']) {
        expect(r[split][side]).toMatchObject({
          passed: expect.any(Number),
          total: expect.any(Number),
          rate: expect.any(Number),
          ci: { low: expect.any(Number), high: expect.any(Number) },
        });
      }
      expect(Array.isArray(r[split].regressions)).toBe(true);
      expect(Array.isArray(r[split].fixes)).toBe(true);
    }
    expect(r.holdoutUses).toBe(1);
  });

  it('does not fail a harmless change as a regression: the PR gate asks "is it not worse?", not "is it better?"', async () => {
    repo = makeSuiteRepo();
    const base = git(repo, 'rev-parse', 'HEAD');
    writeFileSync(path.join(repo, 'harness/prompt.md'), readFileSync(path.join(repo, 'harness/prompt.md'), 'utf8') + '\nA reworded note with no effect.\n');
    git(repo, 'commit', '-qam', 'reword');
    const reportFile = path.join(repo, 'report.json');
    const gate = await runCli(['validate', '--base', base, '--report', reportFile], { cwd: repo });
    const r = JSON.parse(readFileSync(reportFile, 'utf8'));
    expect(r.question).toBe('non-inferiority');
    expect(r.holdout).toBeUndefined();
    // 12 tasks x 6 attempts is little evidence for a 10-point margin: pass or inconclusive, never a regression.
    expect(['promote', 'inconclusive'], String(gate.all)).toContain(r.decision);
    expect(gate.exitCode).toBe(r.decision === 'promote' ? 0 : 1);
    expect(String(gate.all)).toMatch(/passes this gate at most 5(\.0)?% of the time/);
    // The same harmless change is no improvement: the superiority question does not promote it.
    const superiority = await runCli(['validate', '--question', 'superiority', '--base', base, '--report', reportFile], { cwd: repo });
    expect(superiority.exitCode, String(superiority.all)).toBe(1);
  });

  it('exits 1 for a change that hurts, and reuses cached episodes on a re-run', async () => {
    repo = makeSuiteRepo();
    const base = git(repo, 'rev-parse', 'HEAD');
    writeFileSync(path.join(repo, 'harness/prompt.md'), '# System prompt\n\nBREAK things.\n');
    git(repo, 'commit', '-qam', 'a bad idea');
    const reportFile = path.join(repo, 'report.json');
    const first = await runCli(['validate', '--base', base, '--report', reportFile], { cwd: repo });
    expect(first.exitCode, String(first.all)).toBe(1);
    expect(JSON.parse(readFileSync(reportFile, 'utf8')).decision).toBe('reject');
    const second = await runCli(['validate', '--base', base, '--report', reportFile], { cwd: repo });
    expect(second.exitCode, String(second.all)).toBe(1);
    const again = JSON.parse(readFileSync(reportFile, 'utf8'));
    expect(again.episodes.run).toBe(0);
    expect(again.episodes.cached).toBeGreaterThan(0);
    expect(existsSync(path.join(repo, '.self-harness', 'episodes.jsonl'))).toBe(true);
  });

  it('exits 2 with a readable line when --base is missing', async () => {
    repo = makeSuiteRepo();
    const result = await runCli(['validate'], { cwd: repo });
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toMatch(/--base REF is required/);
  });
});

describe('evolve guards found in review', () => {
  it('refuses the checked-out branch as --branch before any work (exit 2), so no validated commit is stranded', async () => {
    repo = makeSuiteRepo();
    server = await proposerModel((w) => proposal(w, [addLine('VERIFY your output before you call finish.')]));
    const result = await evolve(server, ['--branch', 'main']);
    expect(result.exitCode, String(result.all)).toBe(2);
    expect(String(result.stderr)).toMatch(/refusing to use branch "main"/);
    expect(server.requests).toHaveLength(0);
    expect(existsSync(path.join(repo, '.self-harness', 'episodes.jsonl'))).toBe(false);
  });

  it('calls a run stopped by the episode budget inconclusive, never a rejection, and stays within the budget', async () => {
    repo = makeSuiteRepo();
    server = await proposerModel((w) => proposal(w, [addLine('VERIFY your output before you call finish.')]));
    const result = await evolve(server, ['--budget-episodes', '20']);
    expect(result.exitCode, String(result.all)).toBe(1);
    const r = JSON.parse(String(result.stdout));
    expect(r.decision).toBe('inconclusive');
    expect(r.reason).toMatch(/budget/);
    const ledger = readFileSync(path.join(repo, '.self-harness', 'episodes.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(ledger.length).toBeLessThanOrEqual(20);
    expect(r.spent.episodes).toBe(ledger.length);
  });
});

describe('the bot branch merges cleanly into the working copy', () => {
  it('leaves no untracked copy of the committed history, so `git merge` of the bot branch works', async () => {
    repo = makeSuiteRepo();
    server = await proposerModel((w) => proposal(w, [addLine('VERIFY your output before you call finish.')]));
    const result = await evolve(server);
    expect(result.exitCode, String(result.all)).toBe(0);
    expect(existsSync(path.join(repo, '.self-harness', 'history.jsonl'))).toBe(false);
    expect(readFileSync(path.join(repo, '.self-harness', 'history.local.jsonl'), 'utf8')).toContain('"decision":"promote"');
    git(repo, 'merge', '--ff-only', '-q', 'self-harness/evolve');
    expect(readFileSync(path.join(repo, 'harness/prompt.md'), 'utf8')).toContain('VERIFY');
  });
});
