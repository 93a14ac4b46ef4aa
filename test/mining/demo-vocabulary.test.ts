// The demo's shared failure vocabulary: traces shaped like the simulated agent's (src/agent/simulated.ts) are
// mined into the agreed classes, one signature per class whatever the task-specific command, tool or path.
import { describe, expect, it } from 'vitest';
import type { EpisodeError } from '../../src/domain/types.js';
import { episodeView } from '../../src/mining/episode-view.js';
import { redactPatterns } from '../../src/mining/redact.js';
import { classifyFailure } from '../../src/mining/signature.js';
import { call, finish, record, say, trace } from './build.js';

const look = call('ls -a', '.\n..\ndata\n[exit code 0]');

function classify(steps: Parameters<typeof trace>[0], error?: EpisodeError) {
  return classifyFailure(
    episodeView(record('demo-task', 'fail', { error }), [trace([say('You are an agent.', 'system'), say('Do the task.', 'user'), look, ...steps])]),
    redactPatterns,
  ).signature;
}

describe('demo failure vocabulary', () => {
  it('long-running -> timeout, one fingerprint for every foreground command', () => {
    const run = (command: string) =>
      classify([call(command, 'still running ... (no output yet)'), ...Array.from({ length: 3 }, () => call('sleep 30', '[exit code 0]'))], {
        type: 'AgentTimeoutError',
        message: `agent timed out after 60 s waiting on a foreground command (${command})`,
      });
    expect(run('make build')).toEqual({
      failureClass: 'timeout',
      fingerprint: 'agenttimeouterror: agent timed out after <n> s waiting on a foreground command',
    });
    expect(run('./train.sh --epochs 3')).toEqual(run('make build'));
  });

  it('missing-tool -> command-not-found', () => {
    const steps = [
      ...Array.from({ length: 3 }, () => call('jq . data.json', 'bash: jq: command not found\n[exit code 127]')),
      say('I cannot continue: jq is not available in this environment.'),
    ];
    expect(classify(steps)).toEqual({ failureClass: 'command-not-found', fingerprint: 'command not found' });
  });

  it('missing-tool: every missing program is one pattern, and the decisive text still names it', () => {
    const run = (tool: string) =>
      classifyFailure(
        episodeView(record('demo-task', 'fail'), [
          trace([
            ...Array.from({ length: 3 }, () => call(`${tool} . data.json`, `bash: ${tool}: command not found\n[exit code 127]`)),
            say(`I cannot continue: ${tool} is not available in this environment.`),
          ]),
        ]),
        redactPatterns,
      );
    expect(run('yq').signature).toEqual(run('jq').signature);
    expect(run('xsv').decisiveText).toBe('command not found: xsv');
  });

  it('hidden-files -> action-loop, one fingerprint whatever the expected path', () => {
    const run = (file: string) =>
      classify([
        ...Array.from({ length: 5 }, () => call(`cat ${file}`, `cat: ${file}: No such file or directory\n[exit code 1]`)),
        say(`The file ${file} does not exist; I cannot continue.`),
      ]);
    expect(run('input.txt').failureClass).toBe('action-loop');
    expect(run('input.txt')).toEqual(run('config/app.yaml'));
    expect(run('data/in.csv').fingerprint).toBe('bash: cat <path> -> cat: <path>: no such file or directory');
  });

  it('verify / exact-format -> false-completion, with or without the verifier error', () => {
    const steps = [call("sed 's/x/y/' in.txt > out.txt", '[exit code 0]'), finish('Done: the output has been produced as requested.')];
    expect(classify(steps, { type: 'VerifierFailed', message: 'tests failed after the agent reported completion: expected 3 lines' })).toEqual({
      failureClass: 'false-completion',
      fingerprint: 'verifierfailed: tests failed after the agent reported completion',
    });
    expect(classify(steps).failureClass).toBe('false-completion');
  });
});
