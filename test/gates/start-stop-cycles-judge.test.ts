// Gate 1's judge over hand-built run journals: a full pass, each way a cycle fails (a
// failed health check, a start failure, something left behind after the stop, a kill at
// the stop timeout, an unclean exit, a process outside its service's group or session, a
// leftover check that cannot be real, no services at all), each way a run falls short of
// a verdict (a short cycle, no end, an abort, a runner error), the run-wide allowance of
// failed checks, the pipeline's allowance of escapes, and that the verdict is a pure
// function of records.
import { describe, expect, it } from 'vitest';
import { judgeStartStopCycles, roundsPerCycle, type CycleVerdict } from '../../gates/start-stop-cycles/judge.ts';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import { newRecordId } from '../../src/evidence/record-id.ts';
import type { LeftoverEvidenceJson } from '../../src/supervisor/leftover-evidence-json.ts';
import { processInfo } from '../unit/process-info.ts';

const HASH = 'c'.repeat(64);
const CONSOLE = 100;
const SERVICES = ['web', 'api'];
const PORTS: [number, string][] = [
  [7001, 'web'],
  [7002, 'api'],
];
const STRICT = { max_failed_health_checks: 0, max_leftovers: 0 };

// ---------------------------------------------------------------------------------------
// Records

let clock = Date.UTC(2026, 0, 1, 0, 0, 0);
let previousHash = '0'.repeat(64);

function record(type: string, payload: Record<string, unknown>, extra: Partial<JournalRecord> = {}): JournalRecord {
  clock += 1000;
  const at = new Date(clock).toISOString();
  const hash = newRecordId().toLowerCase().padEnd(64, '0');
  const made: JournalRecord = {
    id: newRecordId(),
    type,
    event_time: at,
    process_time: at,
    actor: 'evident',
    correlation_id: 'RUN',
    contract: { version: '1.0.0', hash: HASH },
    payload,
    prev_hash: previousHash,
    hash,
    ...extra,
  };
  previousHash = made.hash;
  return made;
}

// ---------------------------------------------------------------------------------------
// Leftover evidence, as `supervisor.leftover-check` records carry it

function evidence(extra: Partial<LeftoverEvidenceJson> = {}): LeftoverEvidenceJson {
  const made = {
    // As a check records it: evident's own process and what concerns the fleet; the rest of the host only counted.
    table: [processInfo(CONSOLE, 1, { argv: ['node', 'evident'] })],
    others_count: 2,
    tagged: [],
    known: [],
    listeners: [],
    ports: PORTS,
    running_roots: [],
    running_services: [],
    console_pid: CONSOLE,
    ...extra,
  } satisfies Omit<LeftoverEvidenceJson, 'table_total'>;
  return { ...made, table_total: extra.table_total ?? made.table.length + made.others_count };
}

const CLEAN = evidence();

/** api's worker, started by the fleet (a known identity), still alive after the stop. */
const ORPHAN_PID = 4321;
const ORPHAN = evidence({
  table: [...CLEAN.table, processInfo(ORPHAN_PID, 1, { argv: ['node', 'worker.js'] })],
  known: [{ service: 'api', known: { pid: ORPHAN_PID, start_token: `boot:${ORPHAN_PID}00`, argv: ['node', 'worker.js'] } }],
});

/** Someone (not visible to us) still listens on web's contract port. */
const LISTENER = evidence({ listeners: [{ port: 7001, pid: null }] });

// ---------------------------------------------------------------------------------------
// Run journals, as the Gate 1 runner writes them

interface CycleSpec {
  /** Checks that fail: `round:service` → detail. */
  failed?: Record<string, string>;
  /** A service that fails to start: the runner then stops early. */
  startFailed?: { service: string; reason: string };
  /** The runner stopped after this round (a failure beyond the allowance, or an abort). */
  stopAfterRound?: number;
  /** Probe records to leave out: `round:service`. */
  skip?: string[];
  /** Extra probe records: `round:service`. */
  extra?: string[];
  /** Services that never report ready (and never fail to start). */
  neverReady?: string[];
  leftovers?: LeftoverEvidenceJson;
  /** The recorded count, which the judge must not trust. Defaults to the truth. */
  found?: number;
  noLeftoverCheck?: boolean;
  noEnd?: boolean;
  /** Records appended after `gate.cycle.end`. */
  after?: (cycle: number) => JournalRecord[];
  /** A `supervisor.kill` at the stop timeout: the processes still alive then, and the service's own pid. */
  killed?: { service: string; root: number | null; processes: { pid: number; ppid: number; command: string }[] };
  /** Fields of a service's `supervisor.stopped` other than a clean exit 0 with nobody outside its group. */
  stopped?: Record<string, Record<string, unknown>>;
}

interface RunSpec {
  cycles?: number;
  duration_s?: number;
  interval_s?: number;
  services?: string[];
  criteria?: Record<string, unknown>;
  cycleSpecs?: CycleSpec[];
  end?: boolean;
  aborted?: { actor: string; reason?: string };
  error?: string;
}

const pidOf = (cycle: number, service: string) => 1000 + cycle * 10 + SERVICES.indexOf(service);

function cycleRecords(cycle: number, of: number, rounds: number, services: string[], spec: CycleSpec): JournalRecord[] {
  const out: JournalRecord[] = [record('gate.cycle.start', { cycle, of, rounds, services })];
  for (const service of services) {
    const pid = pidOf(cycle, service);
    out.push(record('supervisor.start', { service, pid, command: `node ${service}.js` }));
    if (spec.startFailed?.service === service) {
      out.push(record('supervisor.start-failed', { service, reason: spec.startFailed.reason, logTail: ['Error: EADDRINUSE'] }));
    } else if (!spec.neverReady?.includes(service)) {
      out.push(record('supervisor.ready', { service, pid, bootMs: 120, probe: `http://127.0.0.1/healthz` }));
    }
  }
  if (spec.startFailed) {
    out.push(record('gate.stopped-early', { cycle, reason: `cycle ${cycle}: ${spec.startFailed.service}: ${spec.startFailed.reason}` }));
  } else {
    const lastRound = spec.stopAfterRound ?? rounds;
    for (let round = 1; round <= lastRound; round++) {
      for (const service of services) {
        const key = `${round}:${service}`;
        const copies = 1 + (spec.extra?.filter((k) => k === key).length ?? 0);
        if (spec.skip?.includes(key)) continue;
        for (let i = 0; i < copies; i++) {
          const detail = spec.failed?.[key];
          out.push(
            record('probe.health', {
              cycle,
              round,
              service,
              kind: 'http',
              ok: detail === undefined,
              code: detail === undefined ? 200 : 503,
              latency_ms: 3 + round,
              detail: detail ?? 'HTTP 200',
            }),
          );
        }
        out.push(record('sample.service', { cycle, round, service, state: 'running', pid: pidOf(cycle, service), cpu_percent: 1.5, rss_bytes: 40_000_000, pids: [pidOf(cycle, service)] }));
      }
    }
    if (spec.stopAfterRound !== undefined) out.push(record('gate.stopped-early', { cycle, reason: `cycle ${cycle}, round ${lastRound}: stopped` }));
  }
  if (spec.killed) out.push(record('supervisor.kill', { ...spec.killed, pids: spec.killed.processes.map((p) => p.pid), afterMs: 2000 }));
  for (const service of services) {
    const pid = pidOf(cycle, service);
    out.push(record('supervisor.stop', { service, pid, signalled: [pid] }));
    out.push(
      record('supervisor.stopped', {
        service,
        graceful: true,
        durationMs: 40,
        exit_code: 0,
        exit_signal: null,
        exit_observed: true,
        group: { pgid: pid, sid: pid },
        escaped: [],
        ...spec.stopped?.[service],
      }),
    );
  }
  if (!spec.noLeftoverCheck) {
    const ev = spec.leftovers ?? CLEAN;
    out.push(record('supervisor.leftover-check', { found: spec.found ?? (ev === CLEAN ? 0 : 1), evidence: ev }));
  }
  if (!spec.noEnd) out.push(record('gate.cycle.end', { cycle }));
  if (spec.after) out.push(...spec.after(cycle));
  return out;
}

function gate1Run(spec: RunSpec = {}): JournalRecord[] {
  const cycles = spec.cycles ?? 2;
  const parameters = { cycles, duration_s: spec.duration_s ?? 3, interval_s: spec.interval_s ?? 1 };
  const services = spec.services ?? SERVICES;
  const rounds = roundsPerCycle(parameters);
  const records: JournalRecord[] = [
    record('run.start', { run_id: 'RUN', kind: 'start-stop-cycles', gate: 'gate1', services, parameters, criteria: spec.criteria ?? STRICT, trial: false }),
  ];
  const specs = spec.cycleSpecs ?? Array.from({ length: cycles }, () => ({}));
  specs.forEach((c, i) => records.push(...cycleRecords(i + 1, cycles, rounds, services, c)));
  if (spec.error !== undefined) records.push(record('run.error', { message: spec.error }));
  if (spec.aborted) records.push(record('run.aborted', { reason: spec.aborted.reason ?? '', requested_at: new Date(clock).toISOString(), operator_record: null }, { actor: spec.aborted.actor }));
  if (spec.end !== false) records.push(record('run.end', { stopped_early: null }));
  return records;
}

const judge = (records: JournalRecord[], criteria: Record<string, unknown> = STRICT) => judgeStartStopCycles(records, criteria);

/** A cycle with nothing to say: everything healthy, checked, stopped cleanly and complete. */
const passedCycle = (cycle: number): CycleVerdict => ({
  cycle,
  status: 'PASSED',
  services_ready: ['web', 'api'],
  start_failures: [],
  health_checks_total: 6,
  health_checks_failed: 0,
  leftovers: [],
  forced_kills: [],
  unclean_exits: [],
  exits_not_observed: [],
  escaped_processes: [],
  leftover_check: { status: 'clean', found: 0, processes_total: 3, processes_recorded: 1, others_count: 2, problem: null },
  allowed: [],
  reasons: [],
});
const cyclesOf = (verdict: ReturnType<typeof judge>) => verdict.cycles as CycleVerdict[];
const lastProbe = (records: JournalRecord[], service: string) => records.filter((r) => r.type === 'probe.health' && r.payload.service === service).at(-1) as JournalRecord;

// ---------------------------------------------------------------------------------------

describe('roundsPerCycle', () => {
  it('is one probe round every interval for the duration', () => {
    expect(roundsPerCycle({ duration_s: 1800, interval_s: 5 })).toBe(360);
    expect(roundsPerCycle({ duration_s: 3, interval_s: 1 })).toBe(3);
    expect(roundsPerCycle({ duration_s: 20, interval_s: 1 })).toBe(20);
  });

  it('rounds down a partial interval, survives binary fractions, and is never less than one', () => {
    expect(roundsPerCycle({ duration_s: 10, interval_s: 3 })).toBe(3);
    expect(roundsPerCycle({ duration_s: 0.3, interval_s: 0.1 })).toBe(3);
    expect(roundsPerCycle({ duration_s: 2, interval_s: 5 })).toBe(1);
  });
});

describe('judgeStartStopCycles: a full run', () => {
  it('passes a 2-cycle run in which every service became healthy, passed every check and left nothing', () => {
    const records = gate1Run();
    const verdict = judge(records);
    expect(verdict).toMatchObject({
      status: 'PASSED',
      gate: 'gate1',
      cycles_planned: 2,
      cycles_completed: 2,
      cycles_passed: 2,
      cycles_failed: 0,
      zombie_pids_detected: 0,
      zombie_pids: [],
      forced_kills: 0,
      unclean_exits: 0,
      exits_not_observed: 0,
      escaped_processes: 0,
      allow_escaped_processes: false,
      allowed: [],
      health_checks_total: 3 * 2 * 2,
      health_checks_passed: 12,
      health_checks_failed: 0,
      last_failure: null,
      reasons: [],
    });
    expect(cyclesOf(verdict)).toEqual([1, 2].map(passedCycle));
  });

  it('reports each service with its latest pid and latest health check', () => {
    const records = gate1Run();
    const services = judge(records).services as Record<string, unknown>;
    expect(Object.keys(services)).toEqual(['web', 'api']);
    for (const name of SERVICES) {
      const last = lastProbe(records, name);
      expect(services[name]).toEqual({
        status: 'healthy',
        pid: pidOf(2, name),
        healthz: 200,
        last_health_check: { ok: true, code: 200, latency_ms: 6, detail: 'HTTP 200', at: last.event_time },
        health_checks_total: 6,
        health_checks_failed: 0,
      });
    }
  });

  it('gives healthz only for an HTTP check: an exec probe\'s code is an exit code, a tcp probe has none', () => {
    const records = gate1Run({ cycles: 1 }).map((r) =>
      r.type === 'probe.health' && r.payload.service === 'web' ? { ...r, payload: { ...r.payload, kind: 'exec', code: 0, detail: 'exit 0' } } : r,
    );
    const services = judge(records).services as Record<string, { healthz: number | null; last_health_check: { code: number | null } }>;
    expect(services.web).toMatchObject({ healthz: null, last_health_check: { code: 0 } });
    expect(services.api).toMatchObject({ healthz: 200, last_health_check: { code: 200 } });
  });

  it('counts rounds × services × cycles checks for a longer cycle', () => {
    const verdict = judge(gate1Run({ cycles: 3, duration_s: 20, interval_s: 1, services: ['web'] }));
    expect(verdict).toMatchObject({ status: 'PASSED', cycles_completed: 3, health_checks_total: 20 * 1 * 3 });
  });

  it('is a pure function of the records: the same records give equal verdicts and are left untouched', () => {
    const records = gate1Run({ cycleSpecs: [{}, { failed: { '2:api': 'HTTP 503' }, stopAfterRound: 2 }] });
    const before = JSON.stringify(records);
    const first = judge(records);
    const second = judge(records);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(JSON.stringify(records)).toBe(before);
    // A copy of the records, not the same objects, gives the same verdict too.
    expect(judge(JSON.parse(before) as JournalRecord[])).toEqual(first);
  });
});

describe('judgeStartStopCycles: failures', () => {
  it('fails a run whose health check failed in cycle 2, naming the cycle, the service and the detail', () => {
    const records = gate1Run({ cycleSpecs: [{}, { failed: { '2:api': 'HTTP 503 Service Unavailable' }, stopAfterRound: 2 }] });
    const failing = records.find((r) => r.type === 'probe.health' && r.payload.ok === false) as JournalRecord;
    const verdict = judge(records);
    const expectedReason = `cycle 2: api failed its health check at ${failing.event_time}: HTTP 503 Service Unavailable`;
    expect(verdict).toMatchObject({ status: 'FAILED', cycles_completed: 2, cycles_passed: 1, cycles_failed: 1, health_checks_failed: 1, health_checks_total: 6 + 4 });
    expect(verdict.reasons).toEqual([expectedReason, '1 health check(s) failed, 0 allowed']);
    expect(verdict.last_failure).toBe(expectedReason);
    expect(cyclesOf(verdict).map((c) => c.status)).toEqual(['PASSED', 'FAILED']);
    expect(cyclesOf(verdict)[1]).toMatchObject({ cycle: 2, health_checks_total: 4, health_checks_failed: 1 });
    expect((verdict.services as Record<string, unknown>).api).toEqual({
      status: 'unhealthy',
      pid: pidOf(2, 'api'),
      healthz: 503,
      last_health_check: { ok: false, code: 503, latency_ms: 5, detail: 'HTTP 503 Service Unavailable', at: failing.event_time },
      health_checks_total: 5,
      health_checks_failed: 1,
    });
    expect((verdict.services as Record<string, { status: string }>).web?.status).toBe('healthy');
  });

  it('lists at most three failed checks of a cycle and counts the rest', () => {
    const failed = { '1:web': 'down', '1:api': 'down', '2:web': 'down', '2:api': 'down', '3:web': 'down' };
    const verdict = judge(gate1Run({ cycles: 1, cycleSpecs: [{ failed }] }));
    const reasons = verdict.reasons as string[];
    expect(reasons.filter((r) => / failed its health check at /.test(r))).toHaveLength(3);
    expect(reasons).toContain('cycle 1: … and 2 more failed health checks');
    expect(reasons.at(-1)).toBe('5 health check(s) failed, 0 allowed');
  });

  it('fails a run that left an orphan of ours alive after cycle 1 stopped, with its pid', () => {
    const records = gate1Run({
      cycleSpecs: [{ leftovers: ORPHAN, after: (cycle) => [record('gate.stopped-early', { cycle, reason: `cycle ${cycle}: left behind after the stop` })] }],
    });
    const verdict = judge(records);
    expect(verdict).toMatchObject({ status: 'FAILED', cycles_completed: 1, cycles_failed: 1, cycles_passed: 0, zombie_pids_detected: 1, zombie_pids: [ORPHAN_PID] });
    expect(cyclesOf(verdict)[0]).toMatchObject({
      cycle: 1,
      status: 'FAILED',
      leftovers: [{ kind: 'orphan', service: 'api', pid: ORPHAN_PID, ppid: 1, command: 'node worker.js', port: null }],
      reasons: [`1 left behind after the stop: orphan pid ${ORPHAN_PID} (node worker.js)`],
    });
    expect(verdict.reasons).toEqual([`cycle 1: 1 left behind after the stop: orphan pid ${ORPHAN_PID} (node worker.js)`]);
    expect(verdict.last_failure).toBe(`cycle 1: 1 left behind after the stop: orphan pid ${ORPHAN_PID} (node worker.js)`);
  });

  it('finds an orphan by its fleet tag too, and reports the contract port it still holds', () => {
    const tagged = evidence({
      table: [...CLEAN.table, processInfo(5555, 1, { argv: ['python3', 'cache.py'] })],
      tagged: [[5555, 'web']],
      listeners: [{ port: 7001, pid: 5555 }],
    });
    const verdict = judge(gate1Run({ cycles: 1, cycleSpecs: [{ leftovers: tagged }] }));
    expect(verdict).toMatchObject({ status: 'FAILED', zombie_pids_detected: 1, zombie_pids: [5555] });
    expect(cyclesOf(verdict)[0]?.leftovers).toEqual([{ kind: 'orphan', service: 'web', pid: 5555, ppid: 1, command: 'python3 cache.py', port: 7001 }]);
  });

  it('fails a run in which a process outlived the graceful stop of its service, even though evident then killed it', () => {
    const worker = { pid: 5555, ppid: 1, command: 'node worker.js --detached' };
    const verdict = judge(gate1Run({ cycleSpecs: [{ killed: { service: 'api', root: pidOf(1, 'api'), processes: [worker] } }, {}] }));
    expect(verdict.status).toBe('FAILED');
    expect(verdict).toMatchObject({ zombie_pids_detected: 1, zombie_pids: [5555] });
    expect(cyclesOf(verdict)[0]?.leftovers).toEqual([{ kind: 'orphan', service: 'api', pid: 5555, ppid: 1, command: 'node worker.js --detached', port: null, killed_after_ms: 2000 }]);
    expect(verdict.last_failure).toBe('cycle 1: 1 left behind after the stop: orphan pid 5555 (node worker.js --detached, outlived api and was killed after 2000 ms)');
  });

  it('fails a cycle in which a service ignored SIGTERM and was killed after its stop timeout, though nothing was left behind', () => {
    const own = { pid: pidOf(1, 'api'), ppid: 1, command: 'node api.js' };
    const child = { pid: 5556, ppid: own.pid, command: 'node api-worker.js' };
    const verdict = judge(
      gate1Run({ cycleSpecs: [{ killed: { service: 'api', root: own.pid, processes: [own, child] }, stopped: { api: { graceful: false, exit_code: null, exit_signal: 'SIGKILL' } } }, {}] }),
    );
    expect(verdict).toMatchObject({ status: 'FAILED', cycles_failed: 1, cycles_passed: 1, forced_kills: 1, unclean_exits: 0, zombie_pids_detected: 0, zombie_pids: [] });
    expect(cyclesOf(verdict)[0]).toMatchObject({ status: 'FAILED', leftovers: [], forced_kills: [{ service: 'api', root: own.pid, pids: [own.pid, 5556] }] });
    // Its SIGKILL is the kill's, not counted again as an unclean exit.
    expect(verdict.reasons).toEqual([`cycle 1: api did not stop within its stop timeout: killed ${own.pid} (node api.js), 5556 (node api-worker.js) after 2000 ms`]);
  });

  it('fails a cycle in which a service exited with code 3 on stop', () => {
    const verdict = judge(gate1Run({ cycleSpecs: [{}, { stopped: { web: { exit_code: 3 } } }] }));
    expect(verdict).toMatchObject({ status: 'FAILED', cycles_passed: 1, cycles_failed: 1, unclean_exits: 1 });
    expect(cyclesOf(verdict)[1]?.unclean_exits).toEqual([{ service: 'web', exit_code: 3, exit_signal: null }]);
    expect(verdict.reasons).toEqual(['cycle 2: web exited with code 3 on stop, not 0']);
    expect(verdict.last_failure).toBe('cycle 2: web exited with code 3 on stop, not 0');
  });

  it('fails a cycle in which a service was ended by a SIGTERM it did not handle: none of its shutdown code ran', () => {
    const verdict = judge(gate1Run({ cycles: 1, cycleSpecs: [{ stopped: { api: { exit_code: null, exit_signal: 'SIGTERM' } } }] }));
    expect(verdict.status).toBe('FAILED');
    expect(verdict.reasons).toEqual(['cycle 1: api was ended by SIGTERM on stop: it did not handle the signal, so none of its shutdown code ran']);
  });

  it('reports an exit evident could not see, and does not count it as non-zero', () => {
    const verdict = judge(gate1Run({ cycles: 1, cycleSpecs: [{ stopped: { api: { exit_code: null, exit_observed: false } } }] }));
    expect(verdict).toMatchObject({ status: 'PASSED', exits_not_observed: 1, unclean_exits: 0 });
    expect(cyclesOf(verdict)[0]?.exits_not_observed).toEqual(['api']);
  });

  describe('a process that left its service session', () => {
    const ESCAPEE = 7777;
    const escaped = (extra: Record<string, unknown> = {}) => [{ pid: ESCAPEE, ppid: pidOf(1, 'api') + 100, pgid: ESCAPEE, sid: ESCAPEE, left: 'session', command: 'python3 escapee.py', port: null, ...extra }];
    const reason = `pid ${ESCAPEE} of api left the service's session (pgid ${ESCAPEE} sid ${ESCAPEE}; the service's pgid ${pidOf(1, 'api')} sid ${pidOf(1, 'api')}): python3 escapee.py`;

    it('fails the cycle though it obeyed the stop', () => {
      const verdict = judge(gate1Run({ cycles: 1, cycleSpecs: [{ stopped: { api: { escaped: escaped() } } }] }));
      expect(verdict).toMatchObject({ status: 'FAILED', escaped_processes: 1, allow_escaped_processes: false, allowed: [] });
      expect(cyclesOf(verdict)[0]?.escaped_processes).toEqual([expect.objectContaining({ pid: ESCAPEE, service: 'api', left: 'session', killed: false })]);
      expect(verdict.reasons).toEqual([`cycle 1: ${reason}; it ended with the stop`]);
    });

    it('fails the cycle when it ignored the stop and was killed, as an escapee, an orphan and a kill', () => {
      const killed = { service: 'api', root: null, processes: [{ pid: ESCAPEE, ppid: 1, command: 'python3 escapee.py' }] };
      const verdict = judge(gate1Run({ cycles: 1, cycleSpecs: [{ killed, stopped: { api: { escaped: escaped({ port: 7002 }) } } }] }));
      expect(verdict).toMatchObject({ status: 'FAILED', escaped_processes: 1, forced_kills: 1, zombie_pids: [ESCAPEE] });
      expect(verdict.reasons).toEqual([
        `cycle 1: 1 left behind after the stop: orphan pid ${ESCAPEE} (python3 escapee.py, outlived api and was killed after 2000 ms)`,
        `cycle 1: ${reason}, holding port 7002; it ignored the stop and was killed`,
        `cycle 1: api did not stop within its stop timeout: killed ${ESCAPEE} (python3 escapee.py) after 2000 ms`,
      ]);
    });

    it('passes, visibly, under a pipeline that allows escaped processes', () => {
      const verdict = judge(gate1Run({ cycles: 1, cycleSpecs: [{ stopped: { api: { escaped: escaped() } } }] }), { ...STRICT, allow_escaped_processes: true });
      expect(verdict).toMatchObject({ status: 'PASSED', escaped_processes: 1, allow_escaped_processes: true, reasons: [] });
      expect(verdict.allowed).toEqual([`cycle 1: ${reason}; it ended with the stop (allow_escaped_processes)`]);
      expect(cyclesOf(verdict)[0]?.allowed).toHaveLength(1);
    });
  });

  it('fails a cycle whose leftover check recorded an empty table, or one without evident itself: incomplete, not clean', () => {
    const empty = judge(gate1Run({ cycles: 1, cycleSpecs: [{ leftovers: evidence({ table: [], others_count: 0 }) }] }));
    expect(empty.status).toBe('FAILED');
    expect(cyclesOf(empty)[0]?.leftover_check).toMatchObject({ status: 'incomplete' });
    expect(empty.reasons).toEqual(['cycle 1: the leftover check is incomplete: its process table is empty: a check that saw no process at all (not even evident) cannot be real']);
    const headless = judge(gate1Run({ cycles: 1, cycleSpecs: [{ leftovers: evidence({ table: [processInfo(900, 1, { argv: ['sshd'] })] }) }] }));
    expect(headless.status).toBe('FAILED');
    expect(headless.reasons).toEqual([`cycle 1: the leftover check is incomplete: its process table does not hold evident's own process (pid ${CONSOLE}) that ran the check, so it cannot be the whole table`]);
  });

  it('fails a run that names no services (an empty list, or none at all): nothing was checked', () => {
    const empty = judge(gate1Run({ services: [] }));
    expect(empty).toMatchObject({ status: 'FAILED', cycles_completed: 2, health_checks_total: 0 });
    expect(empty.reasons).toEqual(['the run names no services: nothing was checked']);
    const records = gate1Run({ services: [] });
    const start = records[0] as JournalRecord;
    const { services: _dropped, ...payload } = start.payload;
    const missing = judge([{ ...start, payload }, ...records.slice(1)]);
    expect(missing).toMatchObject({ status: 'FAILED', reasons: ['the run names no services: nothing was checked'] });
  });

  it('says so when the runner died and its guard closed the run', () => {
    const records = gate1Run({ cycles: 2, cycleSpecs: [{}], end: false });
    records.push(record('run.interrupted', { runner_pid: 777, detected_by: 'gate-guard', detail: 'x' }), record('run.end', {}));
    const verdict = judge(records);
    expect(verdict.status).toBe('INTERRUPTED');
    expect((verdict.reasons as string[])[0]).toBe('the runner (pid 777) died mid-run; gate-guard stopped the fleet and ended the run');
  });

  it('fails on a listener left on a contract port, which is not a zombie pid', () => {
    const verdict = judge(gate1Run({ cycles: 1, cycleSpecs: [{ leftovers: LISTENER }] }));
    expect(verdict).toMatchObject({ status: 'FAILED', zombie_pids_detected: 0, zombie_pids: [] });
    expect(cyclesOf(verdict)[0]?.leftovers).toEqual([{ kind: 'listener', service: 'web', pid: null, ppid: null, command: '', port: 7001 }]);
    expect(verdict.reasons).toEqual(['cycle 1: 1 left behind after the stop: listener on port 7001']);
  });

  it('reports a defunct child of ours as a zombie pid', () => {
    const defunct = evidence({
      table: [...CLEAN.table, processInfo(6000, 1, { argv: ['node', 'api.js'] }), processInfo(6001, 6000, { state: 'Z', argv: [] })],
      tagged: [[6000, 'api']],
    });
    const verdict = judge(gate1Run({ cycles: 1, cycleSpecs: [{ leftovers: defunct }] }));
    expect(verdict).toMatchObject({ status: 'FAILED', zombie_pids_detected: 2, zombie_pids: [6000, 6001] });
    expect(cyclesOf(verdict)[0]?.leftovers.map((l) => l.kind)).toEqual(['orphan', 'defunct']);
  });

  it('re-judges the leftover check from its raw evidence, not from the count it recorded', () => {
    expect(judge(gate1Run({ cycles: 1, cycleSpecs: [{ leftovers: ORPHAN, found: 0 }] }))).toMatchObject({ status: 'FAILED', zombie_pids_detected: 1, zombie_pids: [ORPHAN_PID] });
    expect(judge(gate1Run({ cycles: 1, cycleSpecs: [{ leftovers: CLEAN, found: 3 }] }))).toMatchObject({ status: 'PASSED', zombie_pids_detected: 0, zombie_pids: [] });
  });

  it('does not count a process whose pid was reused by a stranger (another start token)', () => {
    const reused = evidence({
      table: [...CLEAN.table, processInfo(ORPHAN_PID, 1, { startToken: 'boot:other', argv: ['vim'] })],
      known: [{ service: 'api', known: { pid: ORPHAN_PID, start_token: `boot:${ORPHAN_PID}00`, argv: ['node', 'worker.js'] } }],
    });
    expect(judge(gate1Run({ cycles: 1, cycleSpecs: [{ leftovers: reused }] }))).toMatchObject({ status: 'PASSED', zombie_pids_detected: 0, zombie_pids: [] });
  });

  it('judges a cycle by the leftover check that followed its stop, not by one recorded after the cycle ended', () => {
    // The cycle's own check found the orphan; a later, clean check (a cleanup after the
    // cycle, or a late asynchronous check) must not hide it.
    const late = () => [record('supervisor.leftover-check', { found: 0, evidence: CLEAN })];
    const verdict = judge(gate1Run({ cycles: 1, cycleSpecs: [{ leftovers: ORPHAN, after: late }] }));
    expect(verdict).toMatchObject({ status: 'FAILED', zombie_pids_detected: 1, zombie_pids: [ORPHAN_PID] });
  });

  it('allows leftovers up to max_leftovers, still naming their pids', () => {
    const verdict = judge(gate1Run({ cycles: 1, cycleSpecs: [{ leftovers: ORPHAN }] }), { max_failed_health_checks: 0, max_leftovers: 1 });
    expect(verdict).toMatchObject({ status: 'PASSED', zombie_pids_detected: 1, zombie_pids: [ORPHAN_PID], reasons: [] });
  });

  it('fails a run in which a service failed to start', () => {
    const records = gate1Run({ cycleSpecs: [{ startFailed: { service: 'api', reason: 'exited with code 1 before it was healthy' } }] });
    const verdict = judge(records);
    expect(verdict).toMatchObject({ status: 'FAILED', cycles_completed: 1, cycles_failed: 1, health_checks_total: 0 });
    expect(cyclesOf(verdict)[0]).toEqual({
      cycle: 1,
      status: 'FAILED',
      services_ready: ['web'],
      start_failures: [{ service: 'api', reason: 'exited with code 1 before it was healthy' }],
      health_checks_total: 0,
      health_checks_failed: 0,
      leftovers: [],
      forced_kills: [],
      unclean_exits: [],
      exits_not_observed: [],
      escaped_processes: [],
      leftover_check: { status: 'clean', found: 0, processes_total: 3, processes_recorded: 1, others_count: 2, problem: null },
      allowed: [],
      reasons: ['api failed to start: exited with code 1 before it was healthy'],
    });
    expect(verdict.reasons).toEqual(['cycle 1: api failed to start: exited with code 1 before it was healthy']);
    expect(verdict.last_failure).toBe('cycle 1: api failed to start: exited with code 1 before it was healthy');
    const services = verdict.services as Record<string, { status: string; pid: number | null }>;
    expect(services.api).toMatchObject({ status: 'failed-to-start', pid: null });
    expect(services.web).toMatchObject({ status: 'healthy', pid: pidOf(1, 'web') });
  });

  it('a failure is FAILED even when the run was also aborted', () => {
    const verdict = judge(gate1Run({ cycles: 2, cycleSpecs: [{ leftovers: ORPHAN }], aborted: { actor: 'alice', reason: 'enough' } }));
    expect(verdict.status).toBe('FAILED');
  });
});

describe('judgeStartStopCycles: the allowance of failed health checks', () => {
  const ONE_ALLOWED = { max_failed_health_checks: 1, max_leftovers: 0 };

  it('lets one failed check pass when one is allowed', () => {
    const verdict = judge(gate1Run({ cycleSpecs: [{ failed: { '2:web': 'timeout after 2000 ms' } }, {}] }), ONE_ALLOWED);
    expect(verdict).toMatchObject({ status: 'PASSED', cycles_passed: 2, cycles_failed: 0, health_checks_total: 12, health_checks_failed: 1, health_checks_passed: 11, reasons: [], last_failure: null });
    expect(cyclesOf(verdict)[0]).toMatchObject({ status: 'PASSED', health_checks_failed: 1, reasons: [] });
    expect((verdict.services as Record<string, unknown>).web).toMatchObject({ health_checks_failed: 1, health_checks_total: 6 });
  });

  it('does not let two pass, across cycles too', () => {
    const verdict = judge(gate1Run({ cycleSpecs: [{ failed: { '2:web': 'timeout' } }, { failed: { '1:api': 'HTTP 500' }, stopAfterRound: 1 }] }), ONE_ALLOWED);
    expect(verdict).toMatchObject({ status: 'FAILED', health_checks_failed: 2 });
    expect(verdict.reasons).toContain('2 health check(s) failed, 1 allowed');
    expect((verdict.reasons as string[]).some((r) => r.startsWith('cycle 2: api failed its health check at '))).toBe(true);
  });

  it('with no allowance given, none is allowed', () => {
    const verdict = judge(gate1Run({ cycles: 1, cycleSpecs: [{ failed: { '3:api': 'HTTP 500' } }] }), {});
    expect(verdict).toMatchObject({ status: 'FAILED', health_checks_failed: 1 });
    expect(verdict.reasons).toContain('1 health check(s) failed, 0 allowed');
  });
});

describe('judgeStartStopCycles: runs that reach no verdict', () => {
  it('a cycle with fewer checks than rounds × services is INCOMPLETE and the run is not PASSED', () => {
    const verdict = judge(gate1Run({ cycleSpecs: [{ skip: ['3:api'] }, {}] }));
    expect(cyclesOf(verdict).map((c) => c.status)).toEqual(['INCOMPLETE', 'PASSED']);
    expect(cyclesOf(verdict)[0]).toMatchObject({ health_checks_total: 5, reasons: [] });
    expect(verdict).toMatchObject({ status: 'INTERRUPTED', cycles_completed: 1, cycles_passed: 1, last_failure: null });
    expect(verdict.reasons).toEqual(['1 of 2 cycles completed']);
  });

  it('a cycle in which one service was never probed is INCOMPLETE, even if another was probed twice as often', () => {
    const rounds = [1, 2, 3];
    const verdict = judge(gate1Run({ cycles: 1, cycleSpecs: [{ skip: rounds.map((r) => `${r}:api`), extra: rounds.map((r) => `${r}:web`) }] }));
    expect(cyclesOf(verdict)[0]).toMatchObject({ status: 'INCOMPLETE', health_checks_total: 6 });
    expect(verdict.status).toBe('INTERRUPTED');
  });

  it('a cycle cut short by the runner (an abort) is INCOMPLETE', () => {
    const verdict = judge(gate1Run({ cycles: 1, cycleSpecs: [{ stopAfterRound: 1 }] }));
    expect(cyclesOf(verdict)[0]?.status).toBe('INCOMPLETE');
    expect(verdict).toMatchObject({ status: 'INTERRUPTED', reasons: ['0 of 1 cycles completed'] });
  });

  it('a cycle without its leftover check, or without its end, is INCOMPLETE', () => {
    expect(cyclesOf(judge(gate1Run({ cycles: 1, cycleSpecs: [{ noLeftoverCheck: true }] })))[0]?.status).toBe('INCOMPLETE');
    expect(cyclesOf(judge(gate1Run({ cycles: 1, cycleSpecs: [{ noEnd: true }] })))[0]?.status).toBe('INCOMPLETE');
  });

  it('a cycle in which a service never became ready (nor failed to start) is INCOMPLETE', () => {
    const verdict = judge(gate1Run({ cycles: 1, cycleSpecs: [{ neverReady: ['api'] }] }));
    expect(cyclesOf(verdict)[0]).toMatchObject({ status: 'INCOMPLETE', services_ready: ['web'] });
    expect(verdict.status).toBe('INTERRUPTED');
  });

  it('a run with fewer cycles than planned is INTERRUPTED', () => {
    const verdict = judge(gate1Run({ cycles: 3, cycleSpecs: [{}, {}] }));
    expect(verdict).toMatchObject({ status: 'INTERRUPTED', cycles_planned: 3, cycles_completed: 2, cycles_passed: 2, reasons: ['2 of 3 cycles completed'] });
  });

  it('a run with no cycle at all, or no planned cycles, is INTERRUPTED', () => {
    expect(judge(gate1Run({ cycleSpecs: [] }))).toMatchObject({ status: 'INTERRUPTED', cycles_completed: 0, reasons: ['0 of 2 cycles completed'] });
    expect(judge([record('run.start', { kind: 'start-stop-cycles', services: SERVICES }), record('run.end', {})])).toMatchObject({ status: 'INTERRUPTED', cycles_planned: 0, gate: 'gate1' });
  });

  it('a run without run.end is INTERRUPTED, even when every cycle passed', () => {
    const verdict = judge(gate1Run({ end: false }));
    expect(verdict).toMatchObject({ status: 'INTERRUPTED', cycles_completed: 2, cycles_passed: 2 });
    expect(verdict.reasons).toEqual(['the run has no end record: its runner stopped before it finished']);
  });

  it('a run without run.end is INTERRUPTED even with a failure in it, and says so first', () => {
    const verdict = judge(gate1Run({ cycles: 1, cycleSpecs: [{ leftovers: ORPHAN }], end: false }));
    expect(verdict.status).toBe('INTERRUPTED');
    expect((verdict.reasons as string[])[0]).toBe('the run has no end record: its runner stopped before it finished');
    expect(verdict.last_failure).toBe(`cycle 1: 1 left behind after the stop: orphan pid ${ORPHAN_PID} (node worker.js)`);
  });

  it('an aborted run is INTERRUPTED, aborted by the operator who asked, with the reason', () => {
    const verdict = judge(gate1Run({ cycleSpecs: [{}, { stopAfterRound: 1 }], aborted: { actor: 'alice', reason: 'maintenance window closed' } }));
    expect(verdict).toMatchObject({ status: 'INTERRUPTED', cycles_completed: 1, cycles_passed: 1 });
    expect(verdict.reasons).toEqual(['aborted by alice: maintenance window closed']);
  });

  it('an aborted run is INTERRUPTED even when every cycle had passed', () => {
    const verdict = judge(gate1Run({ aborted: { actor: 'bob', reason: 'SIGTERM to the runner (pid 77)' } }));
    expect(verdict).toMatchObject({ status: 'INTERRUPTED', cycles_passed: 2 });
    expect(verdict.reasons).toEqual(['aborted by bob: SIGTERM to the runner (pid 77)']);
  });

  it('an abort without a reason names only who asked', () => {
    const verdict = judge(gate1Run({ cycleSpecs: [{ stopAfterRound: 1 }], aborted: { actor: 'carol' } }));
    expect(verdict.reasons).toEqual(['aborted by carol']);
  });

  it('a run whose runner failed (run.error) is never PASSED', () => {
    const verdict = judge(gate1Run({ error: 'EIO: i/o error, write' }));
    expect(verdict.status).toBe('INTERRUPTED');
    expect(verdict.reasons).toEqual(['the runner failed: EIO: i/o error, write']);
  });
});
