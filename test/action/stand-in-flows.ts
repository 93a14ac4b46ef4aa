// Small stand-in flows for black-box tests of the GitHub plumbing: deterministic, driven by the harness text and a
// few STANDIN_* env vars, and they record every call (STANDIN_CALLS) so tests can assert "nothing was run".
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { EvolveResult, ValidateRefsResult, ChangedFile } from '../../src/domain/flows.js';
import type { EvolveOptions, ValidateRefsOptions } from '../../src/flows/options.js';
import type { Decision, ValidationReport, SplitComparison } from '../../src/domain/validation.js';

const HARNESS = 'harness/prompt.md';
const identity = {
  GIT_AUTHOR_NAME: 'Stand-in Core',
  GIT_AUTHOR_EMAIL: 'core@example.com',
  GIT_COMMITTER_NAME: 'Stand-in Core',
  GIT_COMMITTER_EMAIL: 'core@example.com',
};

function git(cwd: string, args: string[], extraEnv: Record<string, string> = {}, input?: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', input, env: { ...process.env, ...identity, ...extraEnv } }).trim();
}

function record(kind: string, details: Record<string, unknown>): void {
  const file = process.env.STANDIN_CALLS;
  if (file) appendFileSync(file, JSON.stringify({ kind, ...details }) + '\n');
}

function comparison(delta: number, fixes: string[], regressions: string[]): SplitComparison {
  const side = (rate: number) => ({
    passed: Math.round(rate * 4),
    total: 4,
    rate,
    ci: { low: Math.max(0, rate - 0.3), high: Math.min(1, rate + 0.3) },
    infra: 0,
  });
  return {
    baseline: side(0.5),
    candidate: side(0.5 + delta),
    delta,
    deltaCi: { low: delta - 0.2, high: delta + 0.2 },
    regressions,
    fixes,
    tasks: 4,
    attemptsPerTask: 1,
    // t1 and t3 pass on the baseline; a promotion fixes t2, a rejection breaks t1.
    perTask: ['t1', 't2', 't3', 't4'].map((taskId, i) => ({
      taskId,
      baseline: { passes: i % 2 === 0 ? 1 : 0, runs: 1 },
      candidate: { passes: (i % 2 === 0 && !(delta < 0 && i === 0)) || (delta > 0 && i === 1) ? 1 : 0, runs: 1 },
    })),
  };
}

function report(decision: Decision, base: string, head: string): ValidationReport {
  const delta = decision === 'promote' ? 0.25 : decision === 'reject' ? -0.25 : 0;
  return {
    version: 1,
    decision,
    reason: `stand-in decided ${decision}`,
    baseline: { label: base.slice(0, 12), harnessHash: 'a'.repeat(64) },
    candidate: { label: head.slice(0, 12), harnessHash: 'b'.repeat(64) },
    episodes: { run: 8, cached: 0, infra: 0 },
    train: comparison(delta, decision === 'promote' ? ['t2'] : [], decision === 'reject' ? ['t1'] : []),
    holdoutUses: 0,
    sequential: { method: 'stand-in', alpha: 0.05, beta: 0.2, minEffect: 0.1, looks: [], stoppedEarly: false },
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
  };
}

/** A report bigger than every GitHub limit, with multibyte text and a code fence open where it will be cut. */
function hugeMarkdown(): string {
  const lines = ['## stand-in report', '', '```text'];
  for (let i = 0; i < 4000; i += 1) lines.push(`line ${i}: épreuve ✓ 評価 — evidence excerpt`);
  lines.push('```');
  return lines.join('\n');
}

function changedFilesOf(cwd: string, base: string, head: string): ChangedFile[] {
  const diff = git(cwd, ['diff', '--unified=0', '--no-color', base, head, '--']);
  const files: ChangedFile[] = [];
  let current: ChangedFile | undefined;
  for (const line of diff.split('\n')) {
    const file = /^\+\+\+ b\/(.*)$/.exec(line);
    if (file) {
      current = { path: file[1]!, addedLines: [] };
      files.push(current);
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk && current) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      for (let i = 0; i < count; i += 1) current.addedLines.push(start + i);
    }
  }
  return files;
}

function writeReport(stateDir: string, name: string, value: unknown): string {
  const dir = path.join(stateDir, 'reports');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

/** What an episode "printed" (STANDIN_EPISODE_OUTPUT), logged the way a flow logs episode text. */
function logEpisodeOutput(options: { logger?: { info(message: string): void } }): void {
  if (process.env.STANDIN_EPISODE_OUTPUT) options.logger?.info(`episode t1 output:\n${process.env.STANDIN_EPISODE_OUTPUT}`);
}

export async function evolve(options: EvolveOptions): Promise<EvolveResult> {
  const cwd = options.loaded.root;
  logEpisodeOutput(options);
  // An episode that runs the `self-harness` CLI (as the reference agent's suite.run does).
  if (process.env.STANDIN_RUN_CLI) record('cli', { output: execFileSync('self-harness', ['--version'], { encoding: 'utf8' }).trim() });
  const base = git(cwd, ['rev-parse', `${options.baseRef ?? 'HEAD'}^{commit}`]);
  record('evolve', { base, rounds: options.rounds, focus: options.focus ?? null, budget: options.budget, model: options.model?.name ?? null });
  const decision = (process.env.STANDIN_EVOLVE ?? 'promote') as Decision;
  const shell = {
    baseCommit: base,
    rounds: [{ round: 1, weaknesses: 1, candidates: 1, promoted: decision === 'promote' ? ['c1'] : [], trainRate: 0.75, trainCi: { low: 0.4, high: 0.9 } }],
    targeted: [{ id: 'w1', failureClass: 'ignored-exit-code', tasks: ['t2'], evidence: ['exit status 1 ignored @someone <b>'] }],
    estimate: { episodes: 10, tokens: 0, usd: 0 },
    spent: { episodes: 8, cachedEpisodes: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
  };
  const reportPath = writeReport(options.stateDir, 'evolve', { decision });
  if (decision !== 'promote') {
    return {
      ...shell,
      decision,
      reason: `stand-in evolve: ${decision}`,
      changedFiles: [],
      diff: '',
      markdown: `## self-harness evolve: ${decision}\n`,
      reportPath,
    };
  }
  const before = git(cwd, ['show', `${base}:${HARNESS}`]);
  const after = `${before}\nAlways check the exit code of every command (${process.env.STANDIN_TAG ?? 'v1'}).\n`;
  const blob = git(cwd, ['hash-object', '-w', '--stdin'], {}, after);
  const index = path.join(os.tmpdir(), `standin-index-${process.pid}-${Date.now()}`);
  git(cwd, ['read-tree', base], { GIT_INDEX_FILE: index });
  git(cwd, ['update-index', '--cacheinfo', `100644,${blob},${HARNESS}`], { GIT_INDEX_FILE: index });
  if (process.env.STANDIN_OUTSIDE) {
    // A misbehaving core: also edits the task runner, outside the harness surface.
    const evil = git(cwd, ['hash-object', '-w', '--stdin'], {}, 'process.exit(0); // always pass\n');
    git(cwd, ['update-index', '--cacheinfo', `100644,${evil},run.js`], { GIT_INDEX_FILE: index });
  }
  const tree = git(cwd, ['write-tree'], { GIT_INDEX_FILE: index });
  const commit = git(cwd, ['commit-tree', tree, '-p', base, '-m', 'stand-in change']);
  const branch = options.branch ?? 'self-harness/evolve';
  git(cwd, ['update-ref', `refs/heads/${branch}`, commit]);
  const changedFiles = changedFilesOf(cwd, base, commit);
  const diff = git(cwd, ['diff', base, commit]);
  const validation = report('promote', base, commit);
  // A model's diagnosis goes into the report as the renderer puts it: a list item of prose (STANDIN_DIAGNOSIS).
  const diagnosis = process.env.STANDIN_DIAGNOSIS
    ? `- **ignored-exit-code**\n  - ${process.env.STANDIN_DIAGNOSIS}\n\n${process.env.STANDIN_DIAGNOSIS}\n\n`
    : '';
  const markdown = process.env.STANDIN_HUGE
    ? hugeMarkdown()
    : `## self-harness evolve: promote\n\n${diagnosis}stand-in change\n\n\`\`\`diff\n${diff}\n\`\`\`\n`;
  const said = process.env.STANDIN_DIAGNOSIS;
  const fromModel = said
    ? {
        targeted: [{ id: 'w-1', failureClass: 'ignored-exit-code', tasks: ['t1'], diagnosis: said, evidence: [said] }],
        changes: [{ round: 1, candidateId: 'c-1', summary: said, rationale: said }],
      }
    : {};
  return { ...shell, decision, reason: 'stand-in evolve: promote', branch, commit, changedFiles, diff, validation, markdown, reportPath, ...fromModel };
}

export async function validateRefs(options: ValidateRefsOptions): Promise<ValidateRefsResult> {
  const cwd = options.loaded.root;
  record('validate', { base: options.base, head: options.head, maxAttempts: options.loaded.config.validate['max-attempts'] });
  logEpisodeOutput(options);
  if (process.env.STANDIN_FAIL) throw new Error('stand-in: the suite could not start (run.js exited 127)');
  const text = git(cwd, ['show', `${options.head}:${HARNESS}`]);
  const decision: Decision = text.includes('REGRESS') ? 'reject' : text.includes('Always check') ? 'promote' : 'inconclusive';
  const changedFiles = changedFilesOf(cwd, options.base, options.head);
  const diff = git(cwd, ['diff', options.base, options.head]);
  const markdown = process.env.STANDIN_HUGE ? hugeMarkdown() : `## self-harness: ${decision}\n\nstand-in validation\n`;
  return {
    report: report(decision, options.base, options.head),
    changedFiles,
    outsideSurface: [],
    diff,
    markdown,
    reportPath: writeReport(options.stateDir, 'validate', { decision }),
  };
}
