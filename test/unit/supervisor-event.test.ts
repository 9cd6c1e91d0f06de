// One plain line per supervisor event.
import { describe, expect, it } from 'vitest';
import { describeEvent, type SupervisorEvent } from '../../src/supervisor/supervisor-event.ts';

const STOPPED = {
  type: 'stopped',
  service: 'web',
  graceful: true,
  durationMs: 120,
  exit_code: 0,
  exit_signal: null,
  exit_observed: true,
  group: { pgid: 4242, sid: 4242 },
  escaped: [],
} satisfies SupervisorEvent;

const cases: [SupervisorEvent, string][] = [
  [{ type: 'start', service: 'web', pid: 4242, command: 'node server.js' }, 'web: started pid 4242: node server.js'],
  [{ type: 'ready', service: 'web', pid: 4242, bootMs: 812, probe: 'http 200' }, 'web: healthy in 812 ms (http 200)'],
  [{ type: 'ready', service: 'web', pid: 4242, bootMs: 812, probe: 'http 200', port_holder: { status: 'service', pids: [4242, 4250] } }, 'web: healthy in 812 ms (http 200)'],
  [
    { type: 'ready', service: 'web', pid: 4242, bootMs: 812, probe: 'http 200', port_holder: { status: 'unknown', why: 'the owner of the socket on port 7001 cannot be seen' } },
    'web: healthy in 812 ms (http 200); port holder unknown: the owner of the socket on port 7001 cannot be seen',
  ],
  [{ type: 'start-failed', service: 'api', reason: 'exited with code 1', logTail: ['boom'] }, 'api: failed to start: exited with code 1'],
  [{ type: 'adopt', service: 'web', pid: 4242 }, 'web: adopted running pid 4242'],
  [{ type: 'adopt-refused', service: 'web', pid: 4242, reason: 'start time differs' }, 'web: not adopting pid 4242: start time differs'],
  [{ type: 'stop', service: 'web', pid: 4242, signalled: [4242, 4250] }, 'web: stopping pid 4242 (signalled 4242, 4250)'],
  [{ type: 'stop', service: 'web', pid: null, signalled: [] }, 'web: stopping (signalled nothing)'],
  [{ type: 'stop', service: 'web', pid: 4242, signalled: [4242, 4250], signal: 'SIGQUIT', group: 4242 }, 'web: stopping pid 4242 with SIGQUIT (signalled 4242, 4250)'],
  [{ type: 'reload', service: 'web', pid: 4242, signal: 'SIGHUP', group: 4242, reached: [4242, 4250], refused: null }, 'web: sent SIGHUP to process group 4242 (pid 4242, 4250)'],
  [{ type: 'reload', service: 'web', pid: 4242, signal: 'SIGHUP', group: null, reached: [4242], refused: null }, 'web: sent SIGHUP to pid 4242'],
  [{ type: 'reload', service: 'web', pid: null, signal: 'SIGHUP', group: null, reached: [], refused: 'web is not running (no process on record)' }, 'web: SIGHUP not sent: web is not running (no process on record)'],
  [{ ...STOPPED, graceful: true, durationMs: 120 }, 'web: stopped gracefully in 120 ms (exit 0)'],
  [{ ...STOPPED, exit_code: 3 }, 'web: stopped gracefully in 120 ms (exit code 3)'],
  [{ ...STOPPED, exit_code: null, exit_signal: 'SIGTERM' }, 'web: stopped gracefully in 120 ms (ended by SIGTERM)'],
  [{ ...STOPPED, graceful: false, durationMs: 5003, exit_code: null, exit_signal: 'SIGKILL' }, 'web: stopped by force in 5003 ms (ended by SIGKILL)'],
  [{ ...STOPPED, exit_code: null, exit_observed: false }, 'web: stopped gracefully in 120 ms (its exit not seen: evident is not its parent)'],
  [
    { ...STOPPED, escaped: [{ pid: 4250, ppid: 1, pgid: 4250, sid: 4250, left: 'session', command: 'python3 escapee.py', port: 7001 }] },
    "web: stopped gracefully in 120 ms (exit 0); 1 process had left the service's process group or session: pid 4250 (python3 escapee.py)",
  ],
  [
    { type: 'kill', service: 'web', pids: [4242], afterMs: 5000, root: 4242, processes: [{ pid: 4242, ppid: 1, command: 'node web.js' }] },
    'web: killed 4242 after 5000 ms',
  ],
  [
    { type: 'kill', service: 'web', pids: [4250], afterMs: 5000, root: null, processes: [{ pid: 4250, ppid: 1, command: 'node worker.js' }] },
    'web: killed 4250 after 5000 ms; outlived the service: pid 4250 (node worker.js)',
  ],
  [{ type: 'refused-signal', service: 'web', pid: 4242, reason: 'pid 4242 is gone' }, 'web: did not signal pid 4242: pid 4242 is gone'],
  [{ type: 'exited', service: 'web', pid: 4242, code: 3, signal: null }, 'web: pid 4242 exited with code 3'],
  [{ type: 'exited', service: 'web', pid: 4242, code: 0, signal: null }, 'web: pid 4242 exited with code 0'],
  [{ type: 'exited', service: 'web', pid: 4242, code: null, signal: 'SIGKILL' }, 'web: pid 4242 exited on SIGKILL'],
  [
    { type: 'leftover', kind: 'listener', service: 'web', pid: 950, ppid: 1, command: 'python3 -m http.server', port: 7001 },
    'leftover listener: pid 950 ppid 1 port 7001 (web): python3 -m http.server',
  ],
  [
    { type: 'leftover', kind: 'defunct', service: null, pid: null, ppid: null, command: '(defunct)', port: null },
    'leftover defunct: pid ? ppid ?: (defunct)',
  ],
  [
    { type: 'leftover', kind: 'defunct', service: 'web', pid: 4251, ppid: 4250, command: '(defunct)', port: null, awaited_by: { service: 'web', pid: 4250 } },
    'leftover defunct: pid 4251 ppid 4250 (web): (defunct); reaped when web (pid 4250) waits for it or exits',
  ],
  [{ type: 'reaped', pid: 500, command: 'python3 worker.py' }, 'reaped pid 500: python3 worker.py'],
  [
    {
      type: 'leftover-check',
      found: 0,
      evidence: { table: [], others_count: 87, table_total: 90, tagged: [], known: [], listeners: [{ port: 7001, pid: 9 }], ports: [[7001, 'web']], running_roots: [], running_services: [], console_pid: 1 },
    },
    'leftover check: 0 found among 90 processes (0 of them concern the fleet and are recorded; 87 others only counted) and 1 contract-port listeners',
  ],
  [{ type: 'followed', service: 'web', from: 4242, to: 4250, command: 'nginx: master process' }, 'web: pid 4242 daemonized itself; following pid 4250: nginx: master process'],
  [
    { type: 'command-changed', service: 'web', pid: 4242, from: 'sh -c exec node web.mjs', to: 'node web.mjs' },
    'web: pid 4242 now runs `node web.mjs` (was `sh -c exec node web.mjs`): the same process, its command line recorded',
  ],
  [
    { type: 'restart-scheduled', service: 'web', policy: 'on-failure', after: 'exit code 1', attempt: 2, delay_ms: 2000 },
    'web: ended (exit code 1); restart 2 in 2 s (restart policy "on-failure")',
  ],
  [
    { type: 'restart-scheduled', service: 'web', policy: 'always', after: 'SIGSEGV', attempt: 1, delay_ms: 250 },
    'web: ended (SIGSEGV); restart 1 in 250 ms (restart policy "always")',
  ],
  [
    { type: 'restart-refused', service: 'web', policy: 'on-failure', after: 'exit code 1', reason: 'restarted 5 times in the last 300 s, its limit: left failed until an operator starts it', gave_up: true },
    'web: ended (exit code 1); not restarted: restarted 5 times in the last 300 s, its limit: left failed until an operator starts it',
  ],
];

describe('describeEvent', () => {
  it.each(cases)('describes %o', (event, line) => {
    expect(describeEvent(event)).toBe(line);
  });

  it('covers every event type', () => {
    // A Record over the union: a new event type fails the typecheck until it is listed here.
    const every: Record<SupervisorEvent['type'], true> = {
      start: true, ready: true, 'start-failed': true, adopt: true, 'adopt-refused': true, stop: true,
      stopped: true, kill: true, 'refused-signal': true, reload: true, exited: true, leftover: true, reaped: true, followed: true, 'leftover-check': true,
      'command-changed': true, 'restart-scheduled': true, 'restart-refused': true,
    };
    expect([...new Set(cases.map(([e]) => e.type))].sort()).toEqual(Object.keys(every).sort());
  });

  it('refuses an unknown event type', () => {
    expect(() => describeEvent({ type: 'nonsense' } as unknown as SupervisorEvent)).toThrow('unknown event nonsense');
  });
});
