// The one judge of a stop, over hand-built supervisor records: forced kills, unclean
// exits (and exits evident could not see), processes that left their service's group or
// session, leftovers (found by the check, or outliving their service until the kill), a
// leftover check that cannot be real, and what criteria allow — said out loud.
import { describe, expect, it } from 'vitest';
import { judgeStopFindings, readStopCriteria, STRICT_STOP_CRITERIA, type StopRecord } from '../../gates/stop-findings.ts';
import type { LeftoverEvidenceJson } from '../../src/supervisor/leftover-evidence-json.ts';
import type { EscapedProcess } from '../../src/supervisor/supervisor-event.ts';
import { processInfo } from '../unit/process-info.ts';

const CONSOLE = 100;
const WEB = 700;

function stopped(service: string, extra: Record<string, unknown> = {}): StopRecord {
  return {
    type: 'supervisor.stopped',
    payload: { service, graceful: true, durationMs: 40, exit_code: 0, exit_signal: null, exit_observed: true, group: { pgid: WEB, sid: WEB }, escaped: [], ...extra },
  };
}

function kill(service: string, root: number | null, processes: { pid: number; ppid: number; command: string }[]): StopRecord {
  return { type: 'supervisor.kill', payload: { service, pids: processes.map((p) => p.pid), afterMs: 2000, root, processes } };
}

function check(extra: Partial<LeftoverEvidenceJson> = {}): StopRecord {
  const evidence: LeftoverEvidenceJson = {
    table: [processInfo(CONSOLE, 1, { argv: ['node', 'evident'] })],
    others_count: 80,
    table_total: 81,
    tagged: [],
    known: [],
    listeners: [],
    ports: [[7001, 'web']],
    running_roots: [],
    running_services: [],
    console_pid: CONSOLE,
    ...extra,
  };
  return { type: 'supervisor.leftover-check', payload: { found: 0, evidence } };
}

const escapee = (extra: Partial<EscapedProcess> = {}): EscapedProcess => ({ pid: 4242, ppid: 710, pgid: 4242, sid: 4242, left: 'session', command: 'python3 escapee.py', port: null, ...extra });

describe('judgeStopFindings', () => {
  it('finds nothing in a clean stop: exit 0, nobody outside the group, a complete and clean check', () => {
    const findings = judgeStopFindings([stopped('web'), check()]);
    expect(findings).toMatchObject({ forced_kills: [], unclean_exits: [], exits_not_observed: [], escaped_processes: [], leftovers: [], zombie_pids: [], reasons: [], allowed: [] });
    expect(findings.leftover_check).toEqual({ status: 'clean', found: 0, processes_total: 81, processes_recorded: 1, others_count: 80, problem: null });
    expect(findings.stopped).toEqual([{ service: 'web', graceful: true, duration_ms: 40, exit_code: 0, exit_signal: null, exit_observed: true }]);
  });

  it('counts a kill at the stop timeout as a forced kill, and its SIGKILL not again as an unclean exit', () => {
    const own = { pid: WEB, ppid: CONSOLE, command: 'node web.js' };
    const findings = judgeStopFindings([kill('web', WEB, [own]), stopped('web', { graceful: false, exit_code: null, exit_signal: 'SIGKILL' }), check()]);
    expect(findings.forced_kills).toEqual([{ service: 'web', pids: [WEB], root: WEB, after_ms: 2000, processes: [own] }]);
    expect(findings.unclean_exits).toEqual([]);
    expect(findings.leftovers).toEqual([]);
    expect(findings.reasons).toEqual([`web did not stop within its stop timeout: killed ${WEB} (node web.js) after 2000 ms`]);
  });

  it('lets forced kills through when the criteria allow them, and says so', () => {
    const findings = judgeStopFindings([kill('web', WEB, [{ pid: WEB, ppid: 1, command: 'node web.js' }]), stopped('web'), check()], { ...STRICT_STOP_CRITERIA, max_forced_kills: null });
    expect(findings.reasons).toEqual([]);
    expect(findings.allowed).toEqual([`web did not stop within its stop timeout: killed ${WEB} (node web.js) after 2000 ms (max_forced_kills any)`]);
  });

  it('finds an unclean exit: a non-zero code, an unhandled SIGTERM, another signal', () => {
    const findings = judgeStopFindings([
      stopped('a', { exit_code: 3 }),
      stopped('b', { exit_code: null, exit_signal: 'SIGTERM' }),
      stopped('c', { exit_code: null, exit_signal: 'SIGSEGV' }),
      stopped('d', { exit_code: null, exit_signal: 'SIGKILL' }),
      check(),
    ]);
    expect(findings.unclean_exits.map((u) => u.service)).toEqual(['a', 'b', 'c', 'd']);
    expect(findings.reasons).toEqual([
      'a exited with code 3 on stop, not 0',
      'b was ended by SIGTERM on stop: it did not handle the signal, so none of its shutdown code ran',
      'c was ended by SIGSEGV on stop, not by a clean exit',
      // Killed, but not by evident's kill (no kill record): not a clean exit either.
      'd was ended by SIGKILL on stop, not by a clean exit',
    ]);
  });

  it('reports an exit evident could not see, and does not count it as non-zero', () => {
    const findings = judgeStopFindings([stopped('web', { exit_code: null, exit_observed: false }), check()]);
    expect(findings).toMatchObject({ exits_not_observed: ['web'], unclean_exits: [], reasons: [] });
  });

  it('finds a process that left its service session, obeying the stop or killed, with the port it held', () => {
    const obeyed = judgeStopFindings([stopped('web', { escaped: [escapee()] }), check()]);
    expect(obeyed.escaped_processes).toEqual([{ ...escapee(), service: 'web', service_group: { pgid: WEB, sid: WEB }, killed: false }]);
    expect(obeyed.reasons).toEqual([`pid 4242 of web left the service's session (pgid 4242 sid 4242; the service's pgid ${WEB} sid ${WEB}): python3 escapee.py; it ended with the stop`]);

    const killed = judgeStopFindings([kill('web', null, [{ pid: 4242, ppid: 1, command: 'python3 escapee.py' }]), stopped('web', { escaped: [escapee({ port: 7001 })] }), check()]);
    expect(killed.escaped_processes[0]).toMatchObject({ pid: 4242, killed: true, port: 7001 });
    expect(killed.reasons).toEqual([
      '1 left behind after the stop: orphan pid 4242 (python3 escapee.py, outlived web and was killed after 2000 ms)',
      `pid 4242 of web left the service's session (pgid 4242 sid 4242; the service's pgid ${WEB} sid ${WEB}): python3 escapee.py, holding port 7001; it ignored the stop and was killed`,
      'web did not stop within its stop timeout: killed 4242 (python3 escapee.py) after 2000 ms',
    ]);
  });

  it('re-decides an escape from the recorded groups: a recorded escapee still in the group is none, and none on a platform without groups', () => {
    expect(judgeStopFindings([stopped('web', { escaped: [escapee({ pgid: WEB, sid: WEB })] }), check()]).escaped_processes).toEqual([]);
    expect(judgeStopFindings([stopped('web', { group: { pgid: null, sid: null }, escaped: [escapee({ pgid: null, sid: null })] }), check()]).escaped_processes).toEqual([]);
    expect(judgeStopFindings([stopped('web', { escaped: [escapee({ sid: WEB, left: 'session' })] }), check()]).escaped_processes.map((e) => e.left)).toEqual(['group']);
  });

  it('lets escapees through when the criteria allow them, and says so', () => {
    const findings = judgeStopFindings([stopped('web', { escaped: [escapee()] }), check()], { ...STRICT_STOP_CRITERIA, allow_escaped_processes: true });
    expect(findings.reasons).toEqual([]);
    expect(findings.escaped_processes).toHaveLength(1);
    expect(findings.allowed).toEqual([`pid 4242 of web left the service's session (pgid 4242 sid 4242; the service's pgid ${WEB} sid ${WEB}): python3 escapee.py; it ended with the stop (allow_escaped_processes)`]);
  });

  it('finds leftovers by re-judging the check (not its recorded count), with zombie pids but not listeners', () => {
    const orphan = processInfo(800, 1, { argv: ['python3', 'worker.py'] });
    const defunct = processInfo(801, 800, { state: 'Z', argv: [] });
    const findings = judgeStopFindings([stopped('web'), check({ table: [processInfo(CONSOLE, 1), orphan, defunct], tagged: [[800, 'web']], listeners: [{ port: 7001, pid: null }] })]);
    expect(findings.leftovers.map((l) => [l.kind, l.pid])).toEqual([
      ['orphan', 800],
      ['defunct', 801],
      ['listener', null],
    ]);
    expect(findings.zombie_pids).toEqual([800, 801]);
    expect(findings.leftover_check?.status).toBe('found');
    expect(findings.reasons).toEqual(['3 left behind after the stop: orphan pid 800 (python3 worker.py); defunct pid 801 ((defunct)); listener on port 7001']);
  });

  it('judges the last leftover check of the records', () => {
    const dirty = check({ table: [processInfo(CONSOLE, 1), processInfo(800, 1)], tagged: [[800, 'web']] });
    expect(judgeStopFindings([stopped('web'), dirty, check()]).leftovers).toEqual([]);
    expect(judgeStopFindings([stopped('web'), check(), dirty]).leftovers).toHaveLength(1);
  });

  it('calls a leftover check over an empty table, or one without evident itself, incomplete: never clean', () => {
    const empty = judgeStopFindings([stopped('web'), check({ table: [], others_count: 0, table_total: 0 })]);
    expect(empty.leftover_check).toMatchObject({ status: 'incomplete', problem: 'its process table is empty: a check that saw no process at all (not even evident) cannot be real' });
    expect(empty.reasons).toEqual(['the leftover check is incomplete: its process table is empty: a check that saw no process at all (not even evident) cannot be real']);
    const headless = judgeStopFindings([stopped('web'), check({ table: [processInfo(1, 0)], console_pid: CONSOLE })]);
    expect(headless.leftover_check?.status).toBe('incomplete');
    expect(headless.reasons).toEqual([`the leftover check is incomplete: its process table does not hold evident's own process (pid ${CONSOLE}) that ran the check, so it cannot be the whole table`]);
  });

  it('has no leftover check to judge when none ran, and says nothing about it (the caller decides)', () => {
    expect(judgeStopFindings([stopped('web')])).toMatchObject({ leftover_check: null, reasons: [] });
  });
});

describe('readStopCriteria', () => {
  it('takes each criterion given and the default for the rest', () => {
    expect(readStopCriteria({}, STRICT_STOP_CRITERIA)).toEqual(STRICT_STOP_CRITERIA);
    expect(readStopCriteria({ max_leftovers: 2, max_forced_kills: null, allow_escaped_processes: true, allow_unclean_exits: 'yes' }, STRICT_STOP_CRITERIA)).toEqual({
      max_leftovers: 2,
      max_forced_kills: null,
      allow_unclean_exits: false,
      allow_escaped_processes: true,
    });
  });
});
