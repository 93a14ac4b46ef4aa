// A stand-in `harbor` executable: a small node script, first on PATH, that records its argv and writes a
// job directory shaped like the published Harbor outputs (test/fixtures/published/harbor), with an ATIF
// trajectory and a CTRF report. What a trial ends as depends on the task name's prefix:
//   pass-*     reward 1, no exception            fail-*      reward 0, no exception (CTRF with a failed test)
//   timeout-*  AgentTimeoutError, verifier reward 0
//   rewardfile-*  RewardFileNotFoundError, no reward (an agent-side failure)
//   infra-*    RuntimeError, verifier never ran   flaky-*     RuntimeError on the first try of a job, then pass
//   crash-*    exits 3 without writing a trial    hang-*      sleeps until killed
//   empty-*    exits 0 without writing a trial
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/cli.js';
import { tempDir } from '../helpers/git.js';

const published = path.join(repoRoot, 'test', 'fixtures', 'published');

export const fixtures = {
  passTrial: path.join(published, 'harbor/thinharness-openssl-selfsigned-cert-pass/job/openssl-selfsigned-cert__5dm8Kfg/result.json'),
  passCtrf: path.join(published, 'harbor/thinharness-openssl-selfsigned-cert-pass/job/openssl-selfsigned-cert__5dm8Kfg/verifier/ctrf.json'),
  failCtrf: path.join(published, 'harbor/thinharness-dna-insert-fail/job/dna-insert__SHwX67r/verifier/ctrf.json'),
  passJob: path.join(published, 'harbor/thinharness-openssl-selfsigned-cert-pass/job/result.json'),
  infraTrial: path.join(published, 'harbor/pi-configure-git-webserver-runtime-error/job/configure-git-webserver__q5XQo9K/result.json'),
  timeoutTrial: path.join(published, 'harbor/thinharness-tune-mjcf-agent-timeout/job/tune-mjcf__HRaojqz/result.json'),
  trajectory: path.join(published, 'atif/terminus_2/hello-world-invalid-json.trajectory.json'),
};

const SCRIPT = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const FIX = ${JSON.stringify(fixtures)};
const argv = process.argv.slice(2);
const flag = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
if (process.env.STANDIN_LOG) {
  fs.appendFileSync(process.env.STANDIN_LOG, JSON.stringify({ argv, cwd: process.cwd(), pythonPath: process.env.PYTHONPATH || null, task: process.env.SELF_HARNESS_TASK }) + '\\n');
}
const taskName = flag('--include-task-name') || path.basename(flag('--path') || 'unknown');
const jobsDir = flag('--jobs-dir') || 'jobs';
const jobName = flag('--job-name') || 'job';
const kind = taskName.split('-')[0];
process.stderr.write('stand-in harbor: running ' + taskName + '\\n');
if (kind === 'hang') { setInterval(() => {}, 1000); return; }
if (kind === 'crash') { process.stderr.write('Traceback: docker daemon not reachable\\n'); process.exit(3); }
if (kind === 'empty') process.exit(0);
let behaviour = kind;
if (kind === 'flaky') {
  const marker = path.join(process.env.STANDIN_STATE || '/tmp', 'flaky-' + jobName);
  behaviour = fs.existsSync(marker) ? 'pass' : 'infra';
  fs.writeFileSync(marker, 'seen');
}
const read = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const trialName = taskName.slice(0, 32) + '__' + Math.random().toString(36).slice(2, 9);
const jobDir = path.join(jobsDir, jobName);
const trialDir = path.join(jobDir, trialName);
fs.mkdirSync(path.join(trialDir, 'agent'), { recursive: true });
fs.mkdirSync(path.join(trialDir, 'verifier'), { recursive: true });
const trial = read(FIX.passTrial);
trial.task_name = 'local/' + taskName;
trial.trial_name = trialName;
trial.trial_uri = 'file://' + path.resolve(trialDir);
trial.config.trial_name = trialName;
trial.config.agent.model_name = flag('--model') || null;
if (behaviour === 'pass') trial.verifier_result = { rewards: { reward: 1.0 } };
if (behaviour === 'fail') trial.verifier_result = { rewards: { reward: 0.0 } };
if (behaviour === 'timeout') { trial.verifier_result = { rewards: { reward: 0.0 } }; trial.exception_info = read(FIX.timeoutTrial).exception_info; }
if (behaviour === 'rewardfile') { trial.verifier_result = null; trial.exception_info = { exception_type: 'RewardFileNotFoundError', exception_message: 'No reward file found at /logs/verifier/reward.txt', exception_traceback: '', occurred_at: trial.finished_at }; }
if (behaviour === 'infra') { trial.verifier_result = null; trial.exception_info = read(FIX.infraTrial).exception_info; trial.agent_result = null; }
fs.copyFileSync(FIX.trajectory, path.join(trialDir, 'agent', 'trajectory.json'));
if (behaviour === 'pass' || behaviour === 'fail' || behaviour === 'timeout') {
  fs.copyFileSync(behaviour === 'pass' ? FIX.passCtrf : FIX.failCtrf, path.join(trialDir, 'verifier', 'ctrf.json'));
  fs.writeFileSync(path.join(trialDir, 'verifier', 'reward.txt'), behaviour === 'pass' ? '1\\n' : '0\\n');
}
if (trial.exception_info) fs.writeFileSync(path.join(trialDir, 'exception.txt'), trial.exception_info.exception_traceback || '');
fs.writeFileSync(path.join(trialDir, 'result.json'), JSON.stringify(trial, null, 4));
const job = read(FIX.passJob);
job.n_total_trials = 1;
fs.writeFileSync(path.join(jobDir, 'result.json'), JSON.stringify(job, null, 4));
process.stdout.write('1/1 trials done\\n');
`;

export interface StandIn {
  /** Put this first on PATH. */
  binDir: string;
  /** One JSON line per invocation: argv, cwd, PYTHONPATH, SELF_HARNESS_TASK. */
  logFile: string;
  /** Directory for the stand-in's own state (flaky markers). */
  stateDir: string;
  env: Record<string, string>;
  invocations(): { argv: string[]; cwd: string; pythonPath: string | null; task: string }[];
}

export function installStandIn(): StandIn {
  const base = tempDir('sh-harbor-standin-');
  const binDir = path.join(base, 'bin');
  const stateDir = path.join(base, 'state');
  mkdirSync(binDir, { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  const script = path.join(binDir, 'harbor');
  writeFileSync(script, SCRIPT);
  chmodSync(script, 0o755);
  const logFile = path.join(base, 'invocations.jsonl');
  return {
    binDir,
    logFile,
    stateDir,
    env: { PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`, STANDIN_LOG: logFile, STANDIN_STATE: stateDir },
    invocations: () =>
      existsSync(logFile)
        ? readFileSync(logFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line))
        : [],
  };
}
