import { describe, expect, it } from 'vitest';
import { episodeView } from '../../src/mining/episode-view.js';
import { redactPatterns } from '../../src/mining/redact.js';
import { classifyFailure, frictionSignatures } from '../../src/mining/signature.js';
import type { EpisodeError, Outcome } from '../../src/domain/types.js';
import type { ParsedTrace } from '../../src/traces/model.js';
import { call, finish, record, say, trace } from './build.js';

function classify(outcome: Outcome, traces: ParsedTrace[], error?: EpisodeError) {
  return classifyFailure(episodeView(record('task-a', outcome, { error }), traces), redactPatterns);
}

describe('failure signature classes', () => {
  it('timeout: the deadline kill and an AgentTimeoutError from result.json', () => {
    expect(classify('timeout', []).signature).toEqual({ failureClass: 'timeout', fingerprint: 'episode killed at the deadline' });
    const sleeping = trace([call('make build', '...compiling'), call('sleep 30', ''), call('sleep 30', ''), call('sleep 30', '')]);
    const found = classify('fail', [sleeping], { type: 'AgentTimeoutError', message: 'agent timed out after 600 s waiting on a foreground command' });
    expect(found.signature).toEqual({ failureClass: 'timeout', fingerprint: 'agenttimeouterror: agent timed out after <n> s waiting on a foreground command' });
    expect(found.decisiveStep).toBe(3);
  });

  it('a verifier timeout is not an agent timeout', () => {
    expect(classify('fail', [], { type: 'VerifierTimeoutError', message: 'verifier timed out' }).signature.failureClass).not.toBe('timeout');
  });

  it('step limit, context overflow and parse errors come from the error', () => {
    expect(classify('fail', [], { type: 'LimitsExceeded', message: 'reached max steps 50' }).signature.failureClass).toBe('step-limit');
    expect(classify('fail', [], { type: 'BadRequestError', message: "This model's maximum context length is 128000 tokens" }).signature.failureClass).toBe(
      'context-overflow',
    );
    expect(classify('fail', [], { type: 'FormatError', message: 'could not parse a tool call from the reply' }).signature.failureClass).toBe('parse-error');
  });

  it('context overflow is also seen in the last steps when there is no error', () => {
    const t = trace([call('cat big.log', 'lots'), say('Error: prompt is too long: 210000 tokens > 200000 maximum', 'system')]);
    expect(classify('fail', [t]).signature.failureClass).toBe('context-overflow');
  });

  it('command not found: the same missing program reported repeatedly, whatever the shell says', () => {
    const t = trace([
      call('jq .name data.json', 'bash: jq: command not found', 127),
      call('jq -r .name data.json', 'bash: jq: command not found', 127),
      call('jq .name ./data.json', 'sh: 1: jq: not found', 127),
      say('I cannot proceed without jq, giving up.'),
    ]);
    const found = classify('fail', [t]);
    expect(found.signature).toEqual({ failureClass: 'command-not-found', fingerprint: 'command not found' });
    expect(found.decisiveStep).toBe(2);
  });

  it('command not found wins over the loop it causes', () => {
    const t = trace(Array.from({ length: 4 }, () => call('jq . x.json', 'bash: jq: command not found', 127)));
    expect(classify('fail', [t]).signature.failureClass).toBe('command-not-found');
  });

  it('one recovered command-not-found early in a run does not decide the class', () => {
    const t = trace([call('jq . x.json', 'bash: jq: command not found', 127), call('python3 -c "print(1)"', '1', 0), finish()]);
    expect(classify('fail', [t], { type: 'VerifierFailed', message: 'tests failed after the agent reported completion: x' }).signature.failureClass).toBe(
      'false-completion',
    );
  });

  it('command-not-found the agent recovered from (a later command succeeded) is not the class', () => {
    const t = trace([
      call('jq . x.json', 'bash: jq: command not found', 127),
      call('jq -r . x.json', 'bash: jq: command not found', 127),
      call('python3 -m json.tool x.json', '{}', 0),
      say('I am unable to complete the conversion.'),
    ]);
    expect(classify('fail', [t]).signature.failureClass).toBe('gave-up');
  });

  it('action loop: the same ls repeated on a missing path, with the repeated range', () => {
    const steps = [
      say('Find the input file', 'user'),
      ...Array.from({ length: 6 }, () => call('ls /data/hidden/input.csv', "ls: cannot access '/data/hidden/input.csv': No such file or directory", 2)),
      say('I could not find it.'),
    ];
    const found = classify('fail', [trace(steps)]);
    expect(found.signature.failureClass).toBe('action-loop');
    expect(found.signature.fingerprint).toBe('bash: ls <path> -> ls: cannot access <str>: no such file or directory');
    expect(found.repeated).toEqual({ from: 1, to: 6, count: 6 });
  });

  it('action loop fingerprints agree across tasks whose paths differ', () => {
    const a = classify('fail', [trace(Array.from({ length: 5 }, () => call('cat /srv/a/config.yml', 'cat: /srv/a/config.yml: No such file or directory', 1)))]);
    const b = classify('fail', [
      trace(Array.from({ length: 7 }, () => call('cat /opt/b/settings.yml', 'cat: /opt/b/settings.yml: No such file or directory', 1))),
    ]);
    expect(a.signature).toEqual(b.signature);
  });

  it('false completion: a finish call then a failed verifier, with the general part of the message', () => {
    const t = trace([call('python3 solve.py', 'done', 0), finish()]);
    const a = classify('fail', [t], {
      type: 'VerifierFailed',
      message: 'tests failed after the agent reported completion: test_csv_format expected 3 columns',
    });
    const b = classify('fail', [t], { type: 'VerifierFailed', message: 'tests failed after the agent reported completion: test_rounding 0.1 != 0.10' });
    expect(a.signature).toEqual({ failureClass: 'false-completion', fingerprint: 'verifierfailed: tests failed after the agent reported completion' });
    expect(b.signature).toEqual(a.signature);
    expect(a.decisiveStep).toBe(1);
  });

  it('false completion also from a completion claim in text and failed tests, with no error', () => {
    const t = trace([call('make', 'ok', 0), say('I have completed the task.')], { tests: [{ name: 'test_x', status: 'failed' }] });
    expect(classify('fail', [t]).signature).toEqual({ failureClass: 'false-completion', fingerprint: 'agent reported completion; tests failed' });
  });

  it('non-zero exit repeated: different commands failing until the end', () => {
    const t = trace([
      call('pip install foo', 'ERROR: no matching distribution', 1),
      call('pip3 install foo==1.2', 'ERROR: no matching distribution', 1),
      call('pip install foo --pre', 'ERROR: no matching distribution found for foo', 1),
    ]);
    expect(classify('fail', [t]).signature).toEqual({
      failureClass: 'nonzero-exit-repeated',
      fingerprint: 'pip: error: no matching distribution found for foo',
    });
  });

  it('tool error: the episode ended right after a failing tool call, or the error names a tool', () => {
    const t = trace([call('ls', 'a b', 0), call('python3 x.py', 'Traceback...\nZeroDivisionError', 1)]);
    expect(classify('fail', [t]).signature.failureClass).toBe('tool-error');
    expect(classify('fail', [], { type: 'ToolExecutionError', message: 'the tool crashed' }).signature.failureClass).toBe('tool-error');
  });

  it('gave up: the last agent message gives up', () => {
    const t = trace([call('ls', 'a', 0), say('I am unable to complete this task with the tools available.')]);
    const found = classify('fail', [t]);
    expect(found.signature.failureClass).toBe('gave-up');
    expect(found.decisiveStep).toBe(1);
  });

  it('infrastructure: infra-error outcomes and errors flagged as infrastructure', () => {
    expect(classify('infra-error', []).signature.failureClass).toBe('infrastructure');
    expect(classify('fail', [], { type: 'DockerError', message: 'daemon down', infrastructure: true }).signature.failureClass).toBe('infrastructure');
  });

  it('unknown: keeps the error or the first failed test, or nothing', () => {
    expect(classify('fail', [], { type: 'WeirdError', message: 'something odd 42' }).signature).toEqual({
      failureClass: 'unknown',
      fingerprint: 'weirderror: something odd <n>',
    });
    const junit = trace([], {
      format: 'junit',
      tests: [
        { name: 'test_a', status: 'passed' },
        { name: 'test_b', status: 'failed', message: 'assert 1 == 2' },
      ],
    });
    expect(classify('fail', [junit]).signature).toEqual({ failureClass: 'unknown', fingerprint: 'test failed: test_b: assert <n> == <n>' });
    expect(classify('fail', []).signature).toEqual({ failureClass: 'unknown', fingerprint: '' });
  });

  it('takes the trace with the most steps and tool results in separate tool steps', () => {
    const steps = [
      { source: 'agent' as const, toolCalls: [{ id: 'c1', name: 'bash', arguments: '{"command":"yq ."}' }], observations: [] },
      { source: 'tool' as const, toolCalls: [], observations: [{ callId: 'c1', content: 'yq: command not found' }] },
      { source: 'agent' as const, toolCalls: [{ id: 'c2', name: 'bash', arguments: '{"command":"yq . a"}' }], observations: [] },
      { source: 'tool' as const, toolCalls: [], observations: [{ callId: 'c2', content: 'zsh: command not found: yq' }] },
    ];
    const junit = trace([], { format: 'junit', tests: [{ name: 't', status: 'failed' }] });
    expect(classify('fail', [junit, trace(steps, { format: 'jsonl' })]).signature).toEqual({
      failureClass: 'command-not-found',
      fingerprint: 'command not found',
    });
  });

  it('finds friction patterns in passing runs', () => {
    const t = trace([call('jq . a', 'bash: jq: command not found', 127), call('python3 -m json.tool a', '{}', 0), finish()]);
    const signatures = frictionSignatures(episodeView(record('task-b', 'pass'), [t]), redactPatterns);
    expect(signatures).toContainEqual({ failureClass: 'command-not-found', fingerprint: 'command not found' });
  });

  it('redacts secrets in the decisive text before fingerprinting', () => {
    const found = classify('fail', [], { type: 'AuthError', message: 'bad key sk-abcdefghijklmnopqrstuvwx' });
    expect(found.decisiveText).not.toContain('sk-abcdefghijklmnop');
    expect(found.signature.fingerprint).not.toContain('abcdefghijklmnop');
  });
});
