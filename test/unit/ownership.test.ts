// Which processes are ours, and by which proof: a recorded identity, the process group or
// session evident created for a service (its leader recorded, or gone with nothing
// foreign in it), the fleet tag. Pure, over hand-built tables.
import { describe, expect, it } from 'vitest';
import { leftoverEvidenceFromJson, leftoverEvidenceToJson } from '../../src/supervisor/leftover-evidence-json.ts';
import { judgeLeftovers } from '../../src/supervisor/leftovers.ts';
import { proveOwnership, serviceGroupOf, type OwnershipEvidence, type ServiceGroup } from '../../src/supervisor/ownership.ts';
import type { PidRecord } from '../../src/supervisor/pid-file.ts';
import { processInfo } from './process-info.ts';

const STARTED = 1_700_000_000_000;
// nginx as evident started it: the master (500) leads group and session 500; two workers.
const record: PidRecord = {
  service: 'web',
  pid: 500,
  pgid: 500,
  sid: 500,
  start_token: 'boot:50000',
  argv: ['nginx: master process'],
  started_at: new Date(STARTED).toISOString(),
  contract_hash: 'h',
  restarts: 0,
  descendants: [],
};
const group: ServiceGroup = serviceGroupOf(record);
const master = processInfo(500, 1, { startedAtMs: STARTED, argv: ['nginx: master process'] });
const worker = (pid: number, extra = {}) => processInfo(pid, 500, { pgid: 500, sid: 500, startedAtMs: STARTED + 50, argv: ['nginx: worker process'], ...extra });

function prove(extra: Partial<OwnershipEvidence>) {
  return proveOwnership({ table: [], tagged: new Map(), known: [], groups: [group], ...extra });
}

describe('proveOwnership: the group and session evident created', () => {
  it('holds the members of a group led by the recorded process ours', () => {
    const owned = prove({ table: [master, worker(501), worker(502)] });
    expect(owned.get(501)).toEqual({ service: 'web', proof: { kind: 'group', pgid: 500, leader: 'recorded' } });
    expect(owned.get(502)?.proof).toEqual({ kind: 'group', pgid: 500, leader: 'recorded' });
  });

  it('holds them ours when the leader was killed and nothing foreign is in the group (nginx workers, environment rewritten)', () => {
    const owned = prove({ table: [worker(501, { ppid: 1 }), worker(502, { ppid: 1 })] });
    expect(owned.get(501)).toEqual({ service: 'web', proof: { kind: 'group', pgid: 500, leader: 'gone' } });
    expect(owned.get(502)?.proof).toEqual({ kind: 'group', pgid: 500, leader: 'gone' });
  });

  it('holds them ours with the leader ended but not collected yet (defunct, its start time the recorded one)', () => {
    const owned = prove({ table: [{ ...master, state: 'Z', argv: [] }, worker(501, { ppid: 1 })] });
    expect(owned.get(501)?.proof).toEqual({ kind: 'group', pgid: 500, leader: 'gone' });
  });

  it('does not, when the group id is led by another process (the pid was reused by a new group)', () => {
    const stranger = processInfo(500, 1, { startToken: 'boot:99999', startedAtMs: STARTED + 60_000, argv: ['bash'] });
    const child = processInfo(503, 500, { pgid: 500, sid: 500, startedAtMs: STARTED + 61_000 });
    expect(prove({ table: [stranger, child] }).size).toBe(0);
  });

  it('does not, when the leader is gone and a member started before the service (proven foreign)', () => {
    const older = processInfo(504, 1, { pgid: 500, sid: 500, startedAtMs: STARTED - 1000 });
    expect(prove({ table: [worker(501, { ppid: 1 }), older] }).size).toBe(0);
  });

  it('holds a member that moved to another group of the session ours by the session', () => {
    const moved = worker(505, { pgid: 505 });
    expect(prove({ table: [master, moved] }).get(505)).toEqual({ service: 'web', proof: { kind: 'session', sid: 500, leader: 'recorded' } });
  });

  it('proves nothing by a group the pid file does not record (Windows, or an older pid file)', () => {
    const none = serviceGroupOf({ ...record, pgid: null, sid: null });
    expect(prove({ table: [worker(501, { ppid: 1 })], groups: [none] }).size).toBe(0);
  });
});

describe('proveOwnership: recorded identities and the tag', () => {
  it('prefers a recorded identity, then the group, then the tag', () => {
    const known = [{ service: 'web', known: { pid: 501, start_token: worker(501).startToken, argv: ['anything'] } }];
    const escaped = processInfo(600, 1, { argv: ['helper'] });
    const owned = prove({ table: [master, worker(501), worker(502), escaped], known, tagged: new Map([[502, 'web'], [600, 'web']]) });
    expect(owned.get(501)?.proof).toEqual({ kind: 'recorded' });
    expect(owned.get(502)?.proof.kind).toBe('group');
    expect(owned.get(600)).toEqual({ service: 'web', proof: { kind: 'tag' } });
    expect(owned.has(1)).toBe(false);
  });
});

describe('the leftover check with group proofs', () => {
  const base = {
    tagged: new Map(),
    known: [],
    listeners: [{ port: 7001, pid: 501 }],
    ports: new Map([[7001, 'web']]),
    runningRoots: [],
    runningServices: [],
    consolePid: 100,
  };

  it('reports the workers of a killed master as ours, by the group, holding the port', () => {
    const found = judgeLeftovers({ ...base, table: [processInfo(1, 0), worker(501, { ppid: 1 }), worker(502, { ppid: 1 })], groups: [group] });
    expect(found).toEqual([
      { kind: 'orphan', service: 'web', pid: 501, ppid: 1, command: 'nginx: worker process', port: 7001, ours: true, proof: { kind: 'group', pgid: 500, leader: 'gone' } },
      { kind: 'orphan', service: 'web', pid: 502, ppid: 1, command: 'nginx: worker process', port: null, ours: true, proof: { kind: 'group', pgid: 500, leader: 'gone' } },
    ]);
  });

  it('re-judges a recorded check as the live one: the group, its foreign leader and its older member kept', () => {
    const stranger = processInfo(500, 1, { startToken: 'boot:99999', startedAtMs: STARTED + 60_000, argv: ['bash'] });
    const cases = [
      [processInfo(1, 0), worker(501, { ppid: 1 }), worker(502, { ppid: 1 }), processInfo(900, 1)],
      [processInfo(1, 0), stranger, worker(501, { ppid: 1, startedAtMs: STARTED + 61_000 })],
      [processInfo(1, 0), worker(501, { ppid: 1 }), processInfo(504, 1, { pgid: 500, sid: 500, startedAtMs: STARTED - 1000 })],
    ];
    for (const table of cases) {
      const live = { ...base, table, groups: [group] };
      const json = leftoverEvidenceToJson(live);
      expect(json.table.some((p) => p.pid === 900)).toBe(false);
      expect(judgeLeftovers(leftoverEvidenceFromJson(json))).toEqual(judgeLeftovers(live));
    }
    // The foreign leader is what keeps its group from being ours: it is in the record.
    expect(judgeLeftovers({ ...base, table: cases[1] as never, groups: [group] }).every((l) => !l.ours)).toBe(true);
  });
});
