// The prerequisites' judge: each kind of `preflight.check` observation passing and
// failing with the message an operator reads, and the run's verdict over them — every
// requirement must have been looked at, no checks is no pass, no end is no verdict.
import { describe, expect, it } from 'vitest';
import { judgeCheck, judgePreflight, type PreflightCriteria } from '../../gates/preflight/judge.ts';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import { newRecordId } from '../../src/evidence/record-id.ts';

const MB = 1024 * 1024;
const CRITERIA: PreflightCriteria = { min_node_major: 22, min_free_disk_mb: 100, environment: { NODE_ENV: 'production', API_TOKEN: 's3cret' } };

let clock = Date.UTC(2026, 0, 1);
function record(type: string, payload: Record<string, unknown>): JournalRecord {
  clock += 1000;
  const at = new Date(clock).toISOString();
  return {
    id: newRecordId(),
    type,
    event_time: at,
    process_time: at,
    actor: 'alice',
    correlation_id: 'RUN',
    contract: { version: '1.0.0', hash: 'c'.repeat(64) },
    payload,
    prev_hash: '0'.repeat(64),
    hash: newRecordId().toLowerCase().padEnd(64, '0'),
  };
}

/** Everything observePreflight records on a healthy machine for a two-service fleet. */
function healthyObservations(): Record<string, unknown>[] {
  return [
    { check: 'runtime', subject: 'node', version: 'v24.3.0', exec_path: '/usr/bin/node' },
    { check: 'command', subject: 'web', command: 'node', cwd: '/srv/web', resolved: '/usr/bin/node', searched: 'on PATH' },
    { check: 'command', subject: 'api', command: './bin/api', cwd: '/srv/api', resolved: '/srv/api/bin/api', searched: './bin/api' },
    { check: 'port', subject: '7001', service: 'web', holder: null },
    { check: 'port', subject: '7002', service: 'api', holder: { pid: 4100, command: 'node api.js', ours: true, service: 'api' } },
    { check: 'writable', subject: '/srv/state', error: null },
    { check: 'disk', subject: '/srv/state', free_bytes: 5000 * MB, error: null },
    { check: 'writable', subject: '/srv/artifacts', error: null },
    { check: 'disk', subject: '/srv/artifacts', free_bytes: 5000 * MB, error: null },
    { check: 'environment', subject: 'NODE_ENV', set: true, matches: true, value: 'production' },
    { check: 'environment', subject: 'API_TOKEN', set: true, matches: true },
  ];
}

function run(observations: Record<string, unknown>[], options: { end?: boolean } = {}): JournalRecord[] {
  return [
    record('run.start', { run_id: 'RUN', kind: 'preflight', gate: 'prerequisites', trial: false }),
    ...observations.map((payload) => record('preflight.check', payload)),
    ...(options.end === false ? [] : [record('run.end', { stopped_early: null })]),
  ];
}

const criteriaInput = (c: PreflightCriteria = CRITERIA) => c as unknown as Record<string, unknown>;

describe('judgeCheck: runtime', () => {
  it('fails a port record that does not say who holds the port, rather than throwing', () => {
    expect(judgeCheck({ check: 'port', subject: '7001', service: 'web' }, CRITERIA)).toEqual({ check: 'port', subject: '7001', ok: false, message: 'port 7001: the record does not say who holds it' });
  });

  it('passes a Node at or above the minimum major', () => {
    expect(judgeCheck({ check: 'runtime', subject: 'node', version: 'v24.3.0' }, CRITERIA)).toEqual({ check: 'runtime', subject: 'node', ok: true, message: 'Node v24.3.0 (needs 22 or later)' });
    expect(judgeCheck({ check: 'runtime', subject: 'node', version: 'v22.0.0' }, CRITERIA).ok).toBe(true);
  });

  it('fails an older Node, saying what to run instead', () => {
    expect(judgeCheck({ check: 'runtime', subject: 'node', version: 'v20.11.1' }, CRITERIA)).toEqual({
      check: 'runtime',
      subject: 'node',
      ok: false,
      message: 'Node v20.11.1 is older than 22: run evident with Node 22 or later (npm ci installs it)',
    });
    expect(judgeCheck({ check: 'runtime', subject: 'node', version: 'v21.99.0' }, CRITERIA).ok).toBe(false);
  });

  it('fails a version it cannot read', () => {
    expect(judgeCheck({ check: 'runtime', subject: 'node', version: 'nightly' }, CRITERIA).ok).toBe(false);
    expect(judgeCheck({ check: 'runtime', subject: 'node' }, CRITERIA).ok).toBe(false);
  });
});

describe('judgeCheck: command', () => {
  it('passes a command that resolved, saying where to', () => {
    expect(judgeCheck({ check: 'command', subject: 'web', command: 'node', resolved: '/usr/bin/node', searched: 'on PATH' }, CRITERIA)).toEqual({
      check: 'command',
      subject: 'web',
      ok: true,
      message: 'web: "node" is /usr/bin/node',
    });
  });

  it('fails a command that did not resolve, saying where it was looked for and what to fix', () => {
    expect(judgeCheck({ check: 'command', subject: 'api', command: 'gunicorn', resolved: null, searched: 'on PATH' }, CRITERIA)).toEqual({
      check: 'command',
      subject: 'api',
      ok: false,
      message: 'api: "gunicorn" is not found (on PATH): install it or fix "command" in the contract',
    });
    expect(judgeCheck({ check: 'command', subject: 'api', command: 'gunicorn', resolved: null }, CRITERIA).message).toBe(
      'api: "gunicorn" is not found: install it or fix "command" in the contract',
    );
  });
});

describe('judgeCheck: port', () => {
  it('passes a free port', () => {
    expect(judgeCheck({ check: 'port', subject: '7001', holder: null }, CRITERIA)).toEqual({ check: 'port', subject: '7001', ok: true, message: 'port 7001 is free' });
  });

  it('passes a port held by a service of this fleet, which the gate stops first', () => {
    const verdict = judgeCheck({ check: 'port', subject: '7002', holder: { pid: 4100, command: 'node api.js', ours: true, service: 'api' } }, CRITERIA);
    expect(verdict).toEqual({ check: 'port', subject: '7002', ok: true, message: 'port 7002 is held by api of this fleet (pid 4100): the gate stops it before cycle 1' });
    expect(judgeCheck({ check: 'port', subject: '7002', holder: { pid: 4100, command: 'x', ours: true } }, CRITERIA).message).toBe(
      'port 7002 is held by a service of this fleet (pid 4100): the gate stops it before cycle 1',
    );
  });

  it('fails a port held by another process, naming its pid and command', () => {
    expect(judgeCheck({ check: 'port', subject: '7001', holder: { pid: 3300, command: 'nginx: master process', ours: false, service: null } }, CRITERIA)).toEqual({
      check: 'port',
      subject: '7001',
      ok: false,
      message: 'port 7001 is held by pid 3300 (nginx: master process), not by this fleet: stop it or move the service',
    });
    expect(judgeCheck({ check: 'port', subject: '7001', holder: { pid: 3300, command: '', ours: false } }, CRITERIA).message).toBe(
      'port 7001 is held by pid 3300 (command unknown), not by this fleet: stop it or move the service',
    );
  });

  it("fails a port held by a process evident cannot see (another user's)", () => {
    expect(judgeCheck({ check: 'port', subject: '7001', holder: { pid: null, command: '', ours: false } }, CRITERIA)).toEqual({
      check: 'port',
      subject: '7001',
      ok: false,
      message: "port 7001 is held by a process evident cannot see (another user's), not by this fleet: stop it or move the service",
    });
  });
});

describe('judgeCheck: writable and disk', () => {
  it('passes a writable folder and fails one that is not, with the error', () => {
    expect(judgeCheck({ check: 'writable', subject: '/srv/state', error: null }, CRITERIA)).toEqual({ check: 'writable', subject: '/srv/state', ok: true, message: '/srv/state is writable' });
    expect(judgeCheck({ check: 'writable', subject: '/srv/state', error: 'EACCES: permission denied' }, CRITERIA)).toEqual({
      check: 'writable',
      subject: '/srv/state',
      ok: false,
      message: '/srv/state is not writable: EACCES: permission denied',
    });
  });

  it('passes enough free space, exactly the minimum included', () => {
    expect(judgeCheck({ check: 'disk', subject: '/srv', free_bytes: 2048 * MB, error: null }, CRITERIA)).toEqual({ check: 'disk', subject: '/srv', ok: true, message: '2048 MB free at /srv (needs 100 MB)' });
    expect(judgeCheck({ check: 'disk', subject: '/srv', free_bytes: 100 * MB, error: null }, CRITERIA).ok).toBe(true);
  });

  it('fails too little free space, saying how much is needed', () => {
    expect(judgeCheck({ check: 'disk', subject: '/srv', free_bytes: 50 * MB, error: null }, CRITERIA)).toEqual({ check: 'disk', subject: '/srv', ok: false, message: 'only 50 MB free at /srv: 100 MB needed' });
    expect(judgeCheck({ check: 'disk', subject: '/srv', free_bytes: 100 * MB - 1, error: null }, CRITERIA).ok).toBe(false);
  });

  it('fails free space that could not be read, whatever the bytes say', () => {
    expect(judgeCheck({ check: 'disk', subject: '/srv', free_bytes: 0, error: 'ENOENT: no such file or directory' }, { ...CRITERIA, min_free_disk_mb: 0 })).toEqual({
      check: 'disk',
      subject: '/srv',
      ok: false,
      message: 'free space at /srv cannot be read: ENOENT: no such file or directory',
    });
  });
});

describe('judgeCheck: environment', () => {
  it('passes a required variable with the required value', () => {
    expect(judgeCheck({ check: 'environment', subject: 'NODE_ENV', set: true, matches: true, value: 'production' }, CRITERIA)).toEqual({
      check: 'environment',
      subject: 'NODE_ENV',
      ok: true,
      message: 'NODE_ENV=production',
    });
  });

  it('fails a required variable set to another value', () => {
    expect(judgeCheck({ check: 'environment', subject: 'NODE_ENV', set: true, matches: false, value: 'development' }, CRITERIA)).toEqual({
      check: 'environment',
      subject: 'NODE_ENV',
      ok: false,
      message: 'NODE_ENV is set to another value; the pipeline requires NODE_ENV=production',
    });
  });

  it('fails a required variable that is not set', () => {
    expect(judgeCheck({ check: 'environment', subject: 'NODE_ENV', set: false, matches: false, value: null }, CRITERIA)).toEqual({
      check: 'environment',
      subject: 'NODE_ENV',
      ok: false,
      message: 'NODE_ENV is not set; the pipeline requires NODE_ENV=production',
    });
  });

  it('passes a variable the pipeline does not require', () => {
    expect(judgeCheck({ check: 'environment', subject: 'LANG', set: false, matches: false }, CRITERIA)).toEqual({ check: 'environment', subject: 'LANG', ok: true, message: 'LANG is not required by the pipeline' });
  });
});

describe('judgeCheck: anything else', () => {
  it('fails a check it does not know', () => {
    expect(judgeCheck({ check: 'kernel', subject: 'linux' }, CRITERIA)).toEqual({ check: 'kernel', subject: 'linux', ok: false, message: 'unknown check "kernel"' });
  });
});

describe('judgePreflight', () => {
  it('passes when every check passed', () => {
    const verdict = judgePreflight(run(healthyObservations()), criteriaInput());
    expect(verdict).toMatchObject({ status: 'PASSED', checks_total: 11, checks_passed: 11, checks_failed: 0, reasons: [] });
    expect((verdict.checks as { check: string; subject: string }[]).map((c) => `${c.check}:${c.subject}`)).toEqual([
      'runtime:node',
      'command:web',
      'command:api',
      'port:7001',
      'port:7002',
      'writable:/srv/state',
      'disk:/srv/state',
      'writable:/srv/artifacts',
      'disk:/srv/artifacts',
      'environment:NODE_ENV',
      'environment:API_TOKEN',
    ]);
  });

  it('fails when any check failed, with each failure message as a reason', () => {
    const observations = healthyObservations();
    observations[0] = { check: 'runtime', subject: 'node', version: 'v18.19.0' };
    observations[3] = { check: 'port', subject: '7001', service: 'web', holder: { pid: 3300, command: 'nginx', ours: false, service: null } };
    const verdict = judgePreflight(run(observations), criteriaInput());
    expect(verdict).toMatchObject({ status: 'FAILED', checks_total: 11, checks_passed: 9, checks_failed: 2 });
    expect(verdict.reasons).toEqual([
      'Node v18.19.0 is older than 22: run evident with Node 22 or later (npm ci installs it)',
      'port 7001 is held by pid 3300 (nginx), not by this fleet: stop it or move the service',
    ]);
  });

  it('fails a required variable that has no check record', () => {
    const observations = healthyObservations().filter((o) => o.subject !== 'API_TOKEN');
    const verdict = judgePreflight(run(observations), criteriaInput());
    expect(verdict).toMatchObject({ status: 'FAILED', checks_total: 11, checks_failed: 1, reasons: ['API_TOKEN was never checked'] });
    expect((verdict.checks as unknown[]).at(-1)).toEqual({ check: 'environment', subject: 'API_TOKEN', ok: false, message: 'API_TOKEN was never checked' });
  });

  it('fails when the Node version was never checked', () => {
    const verdict = judgePreflight(run(healthyObservations().filter((o) => o.check !== 'runtime')), criteriaInput());
    expect(verdict).toMatchObject({ status: 'FAILED', checks_failed: 1, reasons: ['the Node version was never checked'] });
  });

  it('fails when free space was never measured though a minimum is set, and not when none is', () => {
    const noDisk = healthyObservations().filter((o) => o.check !== 'disk');
    expect(judgePreflight(run(noDisk), criteriaInput())).toMatchObject({ status: 'FAILED', checks_failed: 1, reasons: ['free disk space was never measured'] });
    expect(judgePreflight(run(noDisk), criteriaInput({ ...CRITERIA, min_free_disk_mb: 0 }))).toMatchObject({ status: 'PASSED', reasons: [] });
  });

  it('fails a run with no check at all', () => {
    const verdict = judgePreflight(run([]), { min_node_major: 22, min_free_disk_mb: 0, environment: {} });
    expect(verdict).toMatchObject({ status: 'FAILED', checks_passed: 0, reasons: ['the Node version was never checked', 'no check was recorded'] });
    expect(judgePreflight(run([]), criteriaInput())).toMatchObject({
      status: 'FAILED',
      checks_total: 4,
      checks_failed: 4,
      reasons: ['the Node version was never checked', 'free disk space was never measured', 'NODE_ENV was never checked', 'API_TOKEN was never checked', 'no check was recorded'],
    });
  });

  it('is INTERRUPTED without run.end, even when every check passed', () => {
    const verdict = judgePreflight(run(healthyObservations(), { end: false }), criteriaInput());
    expect(verdict).toMatchObject({ status: 'INTERRUPTED', checks_failed: 0, reasons: ['the run has no end record: its runner stopped before it finished'] });
  });

  it('is INTERRUPTED without run.end with failures too, the missing end named first', () => {
    const observations = healthyObservations();
    observations[5] = { check: 'writable', subject: '/srv/state', error: 'EROFS: read-only file system' };
    const verdict = judgePreflight(run(observations, { end: false }), criteriaInput());
    expect(verdict.status).toBe('INTERRUPTED');
    expect(verdict.reasons).toEqual(['the run has no end record: its runner stopped before it finished', '/srv/state is not writable: EROFS: read-only file system']);
  });

  it('applies defaults for missing criteria: Node 22, no disk minimum, no required variables', () => {
    const observations = [
      { check: 'runtime', subject: 'node', version: 'v22.1.0' },
      { check: 'disk', subject: '/srv', free_bytes: 0, error: null },
    ];
    expect(judgePreflight(run(observations), {})).toMatchObject({ status: 'PASSED', checks_total: 2 });
    expect(judgePreflight(run([{ check: 'runtime', subject: 'node', version: 'v21.7.3' }]), {})).toMatchObject({ status: 'FAILED' });
  });

  it('judges only preflight.check records', () => {
    const records = run(healthyObservations());
    records.splice(2, 0, record('supervisor.leftover-check', { check: 'runtime', version: 'v10.0.0' }), record('operator.note', { check: 'kernel' }));
    expect(judgePreflight(records, criteriaInput())).toMatchObject({ status: 'PASSED', checks_total: 11 });
  });

  it('is a pure function of the records', () => {
    const records = run(healthyObservations().slice(0, 6));
    const before = JSON.stringify(records);
    const first = judgePreflight(records, criteriaInput());
    expect(judgePreflight(records, criteriaInput())).toEqual(first);
    expect(JSON.stringify(records)).toBe(before);
  });
});
