// Mining benchmark: generates a mixed corpus (ATIF, trace.jsonl, JUnit) of BENCH_MB megabytes (default 1024)
// in a temp dir, mines it deterministically (--no-model semantics) in a child process so that its peak RSS is
// the miner's alone, then measures the prompt tokens per diagnosed cluster against a loopback model server.
// Then reads a hostile corpus (a zip bomb, deep nesting, huge lines, FIFOs, symlinks out of the episode), each episode
// in a child process under a deadline running the trace readers as users meet them (an esbuild bundle on plain node,
// not the tsx loader, whose own ~120 MB would count), and prints its time and peak RSS (goal <= 300 MB, and no hang)
// beside the RSS of the same process reading an empty episode.
// Run: npx tsx bench/mining.ts     (BENCH_MB=200 for a quicker run; BENCH_HOSTILE_ONLY=1 for the hostile part only)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EpisodeRecord } from '../src/domain/types.js';
import { OpenAIChatModel } from '../src/llm/openai.js';
import { sealHoldout } from '../src/llm/guard.js';
import { mineWeaknesses } from '../src/mining/mine.js';
import { readEpisodeArtifacts } from '../src/traces/read.js';
import { startModelServer } from '../test/helpers/model-server.js';
import { atif, jsonl, junit, prng, recordFor, type Step } from '../test/mining/corpus.js';
import { makeZip } from '../test/traces/zip.js';

const EPISODE_BYTES = 256 * 1024;
const OUTPUT_BYTES = 6 * 1024;

/** A pool of text blocks that outputs are cut from (cheap to produce, varied enough to be realistic). */
function textPool(random: () => number): string {
  const vocabulary = [
    'compiling',
    'module',
    'error',
    'warning',
    'test',
    'passed',
    'failed',
    'src/main.c',
    'line',
    '42',
    'ok',
    'download',
    'layer',
    'sha256:9f8e7d',
    'step',
    'epoch',
    'loss=0.231',
    'INFO',
    'DEBUG',
    'running',
  ];
  const lines: string[] = [];
  let size = 0;
  while (size < 256 * 1024) {
    const line = Array.from({ length: 6 + Math.floor(random() * 10) }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(' ');
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

function output(pool: string, random: () => number, bytes = OUTPUT_BYTES): string {
  const start = Math.floor(random() * (pool.length - bytes));
  return pool.slice(start, start + bytes);
}

type Kind = 'pass' | 'timeout' | 'not-found' | 'false-completion' | 'loop' | 'noise';
const MIX: [Kind, number][] = [
  ['pass', 0.25],
  ['timeout', 0.15],
  ['not-found', 0.15],
  ['false-completion', 0.15],
  ['loop', 0.1],
  ['noise', 0.2],
];

function pick(random: () => number): Kind {
  let r = random();
  for (const [kind, share] of MIX) {
    if ((r -= share) < 0) return kind;
  }
  return 'pass';
}

function episodeFiles(
  kind: Kind,
  taskId: string,
  random: () => number,
  pool: string,
): { files: Record<string, string>; record: Pick<EpisodeRecord, 'outcome' | 'error'> } {
  const steps: Step[] = [{ source: 'user', message: `Task ${taskId}: build and test the project.` }];
  const work = Math.floor(EPISODE_BYTES / OUTPUT_BYTES) - 6;
  for (let i = 0; i < work; i++) steps.push({ source: 'agent', command: `make step-${i}`, output: output(pool, random), exitCode: 0 });
  switch (kind) {
    case 'pass':
      steps.push({ source: 'agent', message: 'Done.', tool: 'finish', command: '' });
      return { files: { 'agent/trajectory.json': atif(taskId, steps), 'verifier/junit.xml': junit(taskId, true) }, record: { outcome: 'pass' } };
    case 'timeout':
      steps.push({ source: 'agent', command: 'make build', output: output(pool, random) });
      for (let i = 0; i < 4; i++) steps.push({ source: 'agent', command: 'sleep 30', output: '' });
      return {
        files: { 'agent/trajectory.json': atif(taskId, steps) },
        record: {
          outcome: 'fail',
          error: { type: 'AgentTimeoutError', message: `agent timed out after ${600 + Math.floor(random() * 300)} s waiting on a foreground command` },
        },
      };
    case 'not-found':
      for (let i = 0; i < 4; i++) steps.push({ source: 'agent', command: `jq .k${i} data.json`, output: 'bash: jq: command not found', exitCode: 127 });
      steps.push({ source: 'agent', message: 'jq is missing; giving up.' });
      return { files: { 'trace.jsonl': jsonl(taskId, `Task ${taskId}`, steps) }, record: { outcome: 'fail' } };
    case 'false-completion':
      steps.push({ source: 'agent', message: 'The task is complete.', tool: 'finish', command: '' });
      return {
        files: { 'agent/trajectory.json': atif(taskId, steps), 'verifier/junit.xml': junit(taskId, false) },
        record: {
          outcome: 'fail',
          error: { type: 'VerifierFailed', message: `tests failed after the agent reported completion: test_${Math.floor(random() * 1000)}` },
        },
      };
    case 'loop':
      for (let i = 0; i < 6; i++)
        steps.push({
          source: 'agent',
          command: `cat /data/${taskId}/input.csv`,
          output: `cat: /data/${taskId}/input.csv: No such file or directory`,
          exitCode: 1,
        });
      return { files: { 'agent/trajectory.json': atif(taskId, steps) }, record: { outcome: 'fail' } };
    case 'noise':
      steps.push({
        source: 'agent',
        command: 'python3 run.py',
        output: `Traceback (most recent call last):\nValueError: unexpected token ${Math.floor(random() * 1e9).toString(36)} in ${Math.floor(random() * 1e6).toString(36)}`,
        exitCode: 1,
      });
      return { files: { 'trace.jsonl': jsonl(taskId, `Task ${taskId}`, steps) }, record: { outcome: 'fail' } };
  }
}

function generate(dir: string, megabytes: number): { records: EpisodeRecord[]; bytes: number } {
  const random = prng(2026);
  const pool = textPool(random);
  const records: EpisodeRecord[] = [];
  let bytes = 0;
  const target = megabytes * 1024 * 1024;
  for (let n = 0; bytes < target; n++) {
    const taskId = `task-${String(Math.floor(n / 3)).padStart(5, '0')}`;
    const id = `ep-${String(n).padStart(6, '0')}`;
    const { files, record } = episodeFiles(pick(random), taskId, random, pool);
    for (const [rel, content] of Object.entries(files)) {
      const file = path.join(dir, 'episodes', id, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      bytes += Buffer.byteLength(content);
    }
    records.push(recordFor(id, taskId, n % 3, 'train', record));
  }
  return { records, bytes };
}

/** Only reads every episode's artifacts (the trace readers' share of the mining time). */
async function readOnly(dir: string): Promise<void> {
  const records = JSON.parse(readFileSync(path.join(dir, 'records.json'), 'utf8')) as EpisodeRecord[];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < records.length) await readEpisodeArtifacts(path.join(dir, records[next++]!.artifacts));
    }),
  );
  process.stdout.write(JSON.stringify({ seconds: (performance.now() - started) / 1000, maxRssKb: process.resourceUsage().maxRSS }));
}

async function mineOnly(dir: string): Promise<void> {
  const records = JSON.parse(readFileSync(path.join(dir, 'records.json'), 'utf8')) as EpisodeRecord[];
  const started = performance.now();
  const result = await mineWeaknesses({
    episodes: records,
    readArtifacts: (record) => readEpisodeArtifacts(path.join(dir, record.artifacts)),
    maxClusters: 5,
    evidenceTokens: 6000,
    secrets: [],
  });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    JSON.stringify({
      seconds,
      maxRssKb: process.resourceUsage().maxRSS,
      episodesRead: result.episodesRead,
      failures: result.failuresRead,
      clusters: result.weaknesses.length,
      top: result.weaknesses.slice(0, 5).map((w) => `${w.signature.failureClass} (${w.tasks.length} tasks)`),
      skipped: result.skipped.length,
    }),
  );
}

async function diagnosisTokens(dir: string, records: EpisodeRecord[]): Promise<{ perCluster: number[]; estimates: number[] }> {
  const server = await startModelServer(() => ({
    content: JSON.stringify({
      terminal_cause: 'x',
      criticality: 'root_cause',
      agent_mechanism: 'y',
      harness_fixable: true,
      diagnosis: 'See [step 2].',
      same_as: [],
    }),
  }));
  try {
    const model = new OpenAIChatModel(
      { name: 'bench-model', baseUrl: server.url, inputUsdPerMtok: 0, outputUsdPerMtok: 0, temperature: 0, maxRetries: 0 },
      sealHoldout([], []),
    );
    await mineWeaknesses({
      episodes: records.slice(0, 400),
      readArtifacts: (record) => readEpisodeArtifacts(path.join(dir, record.artifacts)),
      model,
      maxClusters: 5,
      evidenceTokens: 6000,
      secrets: [],
    });
    // The loopback server counts prompt tokens as request bytes / 4 (JSON envelope included).
    return {
      perCluster: server.requests.map((r) => Math.ceil(r.raw.length / 4)),
      estimates: server.requests.map((r) => r.body.messages.reduce((n: number, m: { content: string }) => n + m.content.length, 0)),
    };
  } finally {
    await server.close();
  }
}

/** Episode directories built to hurt a reader; returns their paths. */
function hostileCorpus(dir: string): string[] {
  const episodes: string[] = [];
  const episode = (name: string) => {
    const root = path.join(dir, 'hostile', name);
    mkdirSync(root, { recursive: true });
    episodes.push(root);
    return root;
  };
  const outside = path.join(dir, 'outside');
  mkdirSync(outside, { recursive: true });
  writeFileSync(path.join(outside, 'secret.txt'), 'password is hunter2-OUTSIDE\n');
  // 30 entries each just under the 16 MB entry cap: ~480 MB decompressed from a few MB on disk.
  const filler = ' '.repeat(16 * 1024 * 1024 - 1024);
  const entries = [{ name: 'header.json', data: JSON.stringify({ eval: { task: 'bomb' }, status: 'success', version: 2 }) }];
  for (let i = 0; i < 30; i++)
    entries.push({ name: `samples/s${i}_epoch_1.json`, data: `{"id":"s${i}","epoch":1,"messages":[{"role":"user","content":"${filler}"}]}` });
  writeFileSync(path.join(episode('zip-bomb'), 'run.eval'), makeZip(entries));
  // Deep nesting: directories past the walk's depth limit, and a JSON document nested 200,000 levels.
  let deep = episode('deep');
  for (let i = 0; i < 40; i++) deep = path.join(deep, `d${i}`);
  mkdirSync(deep, { recursive: true });
  writeFileSync(path.join(deep, 'trace.jsonl'), '{"type":"message","role":"user","content":"deep"}\n');
  writeFileSync(path.join(episodes.at(-1)!, 'nested.json'), `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
  // Huge lines: one 40 MB line (over the line cap) and ten 8 MB lines.
  const lines = episode('huge-lines');
  writeFileSync(
    path.join(lines, 'trace.jsonl'),
    [
      `{"type":"message","role":"user","content":"${'x'.repeat(40 * 1024 * 1024)}"}`,
      ...Array.from({ length: 10 }, () => `{"type":"message","role":"assistant","content":"${'y'.repeat(8 * 1024 * 1024)}"}`),
    ].join('\n'),
  );
  // FIFOs named like Harbor and TB1 side files, and symlinks leaving the episode (to a secret, to /dev/zero).
  const fifo = episode('fifos');
  mkdirSync(path.join(fifo, 'trial__x', 'verifier'), { recursive: true });
  writeFileSync(
    path.join(fifo, 'trial__x', 'result.json'),
    JSON.stringify({ trial_name: 'trial__x', task_name: 't', verifier_result: { rewards: {} }, agent_info: {} }),
  );
  for (const name of ['trial__x/verifier/test-stdout.txt', 'trial__x/verifier/reward.txt', 'commands.txt', 'trace.jsonl'])
    execFileSync('mkfifo', [path.join(fifo, name)]);
  const links = episode('symlinks');
  symlinkSync(path.join(outside, 'secret.txt'), path.join(links, 'trace.jsonl'));
  symlinkSync('/dev/zero', path.join(links, 'result.json'));
  symlinkSync(outside, path.join(links, 'agent'));
  return episodes;
}

/** Reads one episode directory (in its own process, so its peak RSS is that episode's alone), bundled like the CLI. */
async function hostileReaderBundle(dir: string): Promise<string> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const entry = path.join(dir, 'hostile-reader.ts');
  writeFileSync(
    entry,
    [
      `import { readEpisodeArtifacts } from ${JSON.stringify(path.join(here, '..', 'src', 'traces', 'read.ts'))};`,
      'const started = performance.now();',
      'const result = await readEpisodeArtifacts(process.argv[2]!);',
      "if (JSON.stringify(result).includes('hunter2')) throw new Error(`${process.argv[2]}: a file outside the episode was read`);",
      'const notes = [...result.skipped.map((s) => `${s.file}: ${s.reason}`), ...result.traces.flatMap((t) => t.skipped.map((s) => `${t.file}: ${s}`))];',
      'process.stdout.write(JSON.stringify({ seconds: (performance.now() - started) / 1000, maxRssKb: process.resourceUsage().maxRSS, traces: result.traces.length, notes: notes.slice(0, 3).map((n) => n.slice(0, 110)) }));',
      '',
    ].join('\n'),
  );
  const outfile = path.join(dir, 'hostile-reader.mjs');
  const { bundle } = (await import(pathToFileURL(path.join(here, '..', 'scripts', 'bundle.mjs')).href)) as {
    bundle(entry: string, outfile: string): Promise<void>;
  };
  await bundle(entry, outfile);
  return outfile;
}

type HostileRead = { seconds: number; maxRssKb: number; traces: number; notes: string[] };

function readInChild(reader: string, episodeDir: string): HostileRead {
  const child = spawnSync(process.execPath, [reader, episodeDir], { encoding: 'utf8', timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
  if (child.error || child.status !== 0) throw new Error(`${path.basename(episodeDir)}: reading failed or hung: ${child.error?.message ?? child.stderr}`);
  return JSON.parse(child.stdout) as HostileRead;
}

async function hostileBench(dir: string): Promise<void> {
  const started = performance.now();
  const episodes = hostileCorpus(dir);
  const reader = await hostileReaderBundle(dir);
  console.log(`hostile corpus generated and its reader bundled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const empty = path.join(dir, 'hostile', 'empty');
  mkdirSync(empty, { recursive: true });
  const baseline = readInChild(reader, empty).maxRssKb;
  let peak = 0;
  for (const episodeDir of episodes) {
    const read = readInChild(reader, episodeDir);
    peak = Math.max(peak, read.maxRssKb);
    console.log(
      `  ${path.basename(episodeDir)}: ${read.seconds.toFixed(1)} s, peak RSS ${(read.maxRssKb / 1024).toFixed(0)} MB, ${read.traces} trace(s)${read.notes.length > 0 ? `; ${read.notes.join('; ')}` : ''}`,
    );
  }
  console.log(
    `hostile corpus: peak RSS of reading one episode ${(peak / 1024).toFixed(0)} MB (goal <= 300; the same process reading an empty episode: ${(baseline / 1024).toFixed(0)} MB), no hang`,
  );
}

async function main(): Promise<void> {
  if (process.env.BENCH_HOSTILE_ONLY) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sh-bench-hostile-'));
    try {
      await hostileBench(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  if (process.argv[2] === '--mine') {
    await mineOnly(process.argv[3]!);
    return;
  }
  if (process.argv[2] === '--read') {
    await readOnly(process.argv[3]!);
    return;
  }
  const megabytes = Number(process.env.BENCH_MB ?? 1024);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sh-bench-mining-'));
  try {
    console.log(`generating a ${megabytes} MB corpus in ${dir} ...`);
    const started = performance.now();
    const { records, bytes } = generate(dir, megabytes);
    writeFileSync(path.join(dir, 'records.json'), JSON.stringify(records));
    console.log(`generated ${records.length} episodes, ${(bytes / 1048576).toFixed(0)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--mine', dir], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    if (child.status !== 0) throw new Error(`mining child failed: ${child.stderr}`);
    const mined = JSON.parse(child.stdout) as {
      seconds: number;
      maxRssKb: number;
      episodesRead: number;
      failures: number;
      clusters: number;
      top: string[];
      skipped: number;
    };
    const mbPerSecond = bytes / 1048576 / mined.seconds;
    console.log(
      `mined ${mined.episodesRead} episodes (${mined.failures} failures, ${mined.clusters} clusters, ${mined.skipped} skipped files) in ${mined.seconds.toFixed(1)} s`,
    );
    console.log(`top clusters: ${mined.top.join('; ')}`);
    console.log(`throughput: ${mbPerSecond.toFixed(1)} MB/s (goal >= 100)`);
    console.log(`peak RSS of the mining process: ${(mined.maxRssKb / 1024).toFixed(0)} MB (goal < 300)`);

    const reader = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--read', dir], { encoding: 'utf8' });
    if (reader.status === 0) {
      const read = JSON.parse(reader.stdout) as { seconds: number; maxRssKb: number };
      console.log(
        `for comparison, reading the artifacts alone (trace readers, no mining): ${read.seconds.toFixed(1)} s, ${(bytes / 1048576 / read.seconds).toFixed(1)} MB/s, peak RSS ${(read.maxRssKb / 1024).toFixed(0)} MB`,
      );
    }
    console.log(
      `load average during the run: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} CPU(s)`,
    );

    const tokens = await diagnosisTokens(dir, records);
    console.log(
      `diagnosis requests: ${tokens.perCluster.length}; prompt tokens per diagnosed cluster (bytes/4 of the request): max ${Math.max(...tokens.perCluster)}, mean ${(tokens.perCluster.reduce((a, b) => a + b, 0) / tokens.perCluster.length).toFixed(0)} (goal < 6000 at evidence-tokens 6000)`,
    );
    console.log(`prompt characters per request: max ${Math.max(...tokens.estimates)}`);
    await hostileBench(dir);
  } finally {
    if (process.env.BENCH_KEEP) console.log(`corpus kept in ${dir} (BENCH_KEEP)`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
