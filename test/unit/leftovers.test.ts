// The zombie/orphan judge over hand-built evidence: what is ours and left behind is
// reported; what is running, or not proven ours, is not. Then what a check records: the
// processes that concern the fleet, the rest only counted, and the same findings from
// that record as from the whole table (hand-built cases, and this machine's real table).
import { describe, expect, it } from 'vitest';
import { createLinuxPlatform } from '../../src/platform/linux.ts';
import { leftoverEvidenceFromJson, leftoverEvidenceToJson } from '../../src/supervisor/leftover-evidence-json.ts';
import { concernedProcesses, judgeLeftovers, type LeftoverEvidence } from '../../src/supervisor/leftovers.ts';
import { processInfo } from './process-info.ts';

const CONSOLE = 100;

function evidence(extra: Partial<LeftoverEvidence>): LeftoverEvidence {
  return {
    table: [processInfo(1, 0, { argv: ['/sbin/init'] }), processInfo(CONSOLE, 1, { argv: ['node', 'evident'] })],
    tagged: new Map(),
    known: [],
    groups: [],
    listeners: [],
    ports: new Map([
      [7001, 'web'],
      [7002, 'api'],
    ]),
    runningRoots: [],
    runningServices: [],
    consolePid: CONSOLE,
    ...extra,
  };
}

function withTable(...rows: ReturnType<typeof processInfo>[]) {
  return [...evidence({}).table, ...rows];
}

describe('judgeLeftovers: orphans', () => {
  it('reports a tagged process of a stopped service with its pid, ppid and command', () => {
    const orphan = processInfo(500, 1, { argv: ['python3', 'worker.py', '--queue', 'jobs'] });
    const found = judgeLeftovers(evidence({ table: withTable(orphan), tagged: new Map([[500, 'api']]) }));
    expect(found).toEqual([
      { kind: 'orphan', service: 'api', pid: 500, ppid: 1, command: 'python3 worker.py --queue jobs', port: null, ours: true, proof: { kind: 'tag' } },
    ]);
  });

  it('reports a process matching a known identity (pid and start token)', () => {
    const orphan = processInfo(501, 1, { startToken: 'boot:777', argv: ['node', 'cache.js'] });
    const found = judgeLeftovers(
      evidence({ table: withTable(orphan), known: [{ service: 'web', known: { pid: 501, start_token: 'boot:777', argv: ['node', 'cache.js'] } }] }),
    );
    expect(found).toEqual([{ kind: 'orphan', service: 'web', pid: 501, ppid: 1, command: 'node cache.js', port: null, ours: true, proof: { kind: 'recorded' } }]);
  });

  it('does not claim a process that has a known pid but another start token (reused pid)', () => {
    const stranger = processInfo(501, 1, { startToken: 'boot:888', argv: ['node', 'cache.js'] });
    const found = judgeLeftovers(
      evidence({ table: withTable(stranger), known: [{ service: 'web', known: { pid: 501, start_token: 'boot:777', argv: ['node', 'cache.js'] } }] }),
    );
    expect(found).toEqual([]);
  });

  it('reports nothing for processes that are neither tagged nor known', () => {
    expect(judgeLeftovers(evidence({ table: withTable(processInfo(600, 1), processInfo(601, 600)) }))).toEqual([]);
  });

  it('never reports the console itself, even when tagged', () => {
    expect(judgeLeftovers(evidence({ tagged: new Map([[CONSOLE, 'web']]) }))).toEqual([]);
  });
});

describe('judgeLeftovers: running services', () => {
  it('leaves the whole tree of a running service alone, tagged or not', () => {
    const table = withTable(processInfo(700, CONSOLE), processInfo(701, 700), processInfo(702, 701, { state: 'Z', argv: [] }));
    const found = judgeLeftovers(
      evidence({ table, tagged: new Map([[700, 'web'], [701, 'web']]), runningRoots: [700], runningServices: ['web'] }),
    );
    expect(found).toEqual([]);
  });

  it('leaves alone a tagged process of a running service that was reparented to init, but not one of a stopped service', () => {
    const escaped = processInfo(710, 1, { argv: ['web-helper'] });
    const stale = processInfo(720, 1, { argv: ['api-helper'] });
    const found = judgeLeftovers(
      evidence({
        table: withTable(processInfo(700, CONSOLE), escaped, stale),
        tagged: new Map([[710, 'web'], [720, 'api']]),
        runningRoots: [700],
        runningServices: ['web'],
      }),
    );
    expect(found).toEqual([{ kind: 'orphan', service: 'api', pid: 720, ppid: 1, command: 'api-helper', port: null, ours: true, proof: { kind: 'tag' } }]);
  });

  it('leaves alone a known-identity process of a running service', () => {
    const p = processInfo(730, 1, { startToken: 'boot:5' });
    const found = judgeLeftovers(
      evidence({
        table: withTable(p),
        known: [{ service: 'web', known: { pid: 730, start_token: 'boot:5', argv: p.argv } }],
        runningServices: ['web'],
      }),
    );
    expect(found).toEqual([]);
  });
});

describe('judgeLeftovers: defunct processes', () => {
  it('reports a defunct child of a process of ours, as ours (ending the parent lets init collect it)', () => {
    const parent = processInfo(800, 1, { argv: ['python3', 'escapes.py'] });
    const zombie = processInfo(801, 800, { state: 'Z', argv: [] });
    const found = judgeLeftovers(evidence({ table: withTable(parent, zombie), tagged: new Map([[800, 'api']]) }));
    expect(found).toEqual([
      { kind: 'orphan', service: 'api', pid: 800, ppid: 1, command: 'python3 escapes.py', port: null, ours: true, proof: { kind: 'tag' } },
      { kind: 'defunct', service: 'api', pid: 801, ppid: 800, command: '(defunct)', port: null, ours: true, proof: { kind: 'tag' } },
    ]);
  });

  it('reports a defunct child of the console, not as ours to reap', () => {
    const zombie = processInfo(802, CONSOLE, { state: 'Z', argv: [] });
    expect(judgeLeftovers(evidence({ table: withTable(zombie) }))).toEqual([
      { kind: 'defunct', service: null, pid: 802, ppid: CONSOLE, command: '(defunct)', port: null, ours: false, proof: null },
    ]);
  });

  it('does not report a defunct child of init, even one we knew', () => {
    const zombie = processInfo(803, 1, { state: 'Z', argv: [], startToken: 'boot:9' });
    const found = judgeLeftovers(
      evidence({
        table: withTable(zombie),
        known: [{ service: 'api', known: { pid: 803, start_token: 'boot:9', argv: ['worker'] } }],
      }),
    );
    expect(found).toEqual([]);
  });

  it('does not report a defunct child of a stranger', () => {
    const found = judgeLeftovers(evidence({ table: withTable(processInfo(900, 1), processInfo(901, 900, { state: 'Z', argv: [] })) }));
    expect(found).toEqual([]);
  });

  it('does not report a defunct child of a running service (it may still reap it)', () => {
    const table = withTable(processInfo(700, CONSOLE), processInfo(710, 1), processInfo(711, 710, { state: 'Z', argv: [] }));
    const found = judgeLeftovers(evidence({ table, tagged: new Map([[710, 'web']]), runningRoots: [700], runningServices: ['web'] }));
    expect(found).toEqual([]);
  });
});

describe('judgeLeftovers: listeners on contract ports', () => {
  it('reports a stranger on a contract port with the port and the service that declares it, not as ours', () => {
    const holder = processInfo(950, 1, { argv: ['python3', '-m', 'http.server', '7001'] });
    const found = judgeLeftovers(evidence({ table: withTable(holder), listeners: [{ port: 7001, pid: 950 }] }));
    expect(found).toEqual([
      {
        kind: 'listener',
        service: 'web',
        pid: 950,
        ppid: 1,
        command: 'python3 -m http.server 7001',
        port: 7001,
        ours: false,
        proof: null,
        unproven: {
          started_at: new Date(holder.startedAtMs).toISOString(),
          why: ['no process group or session of its service on record', 'no fleet tag in its environment', 'never seen under a service'],
        },
      },
    ]);
  });

  it('says why a stranger on a contract port is not proven ours: no cgroup on this host, outside its service\'s group and session', () => {
    const holder = processInfo(950, 1, { pgid: 950, sid: 950, argv: ['node', 'escapee.js'] });
    const group = { service: 'web', pgid: 940, sid: 940, leaders: [], startedAtMs: 0 };
    const found = judgeLeftovers(evidence({ table: withTable(holder), groups: [group], cgroupsUnavailable: 'Windows has no cgroups', listeners: [{ port: 7001, pid: 950 }] }));
    expect(found[0]?.unproven?.why).toEqual([
      'no cgroup on this host: Windows has no cgroups',
      "outside its service's process group 940 and session 940",
      'no fleet tag in its environment',
      'never seen under a service',
    ]);
    const withCgroup = judgeLeftovers(
      evidence({ table: withTable(holder), cgroups: [{ service: 'web', path: '/evident-x/web', members: [] }], cgroupsUnavailable: null, listeners: [{ port: 7001, pid: 950 }] }),
    );
    expect(withCgroup[0]?.unproven?.why[0]).toBe("not in its service's cgroup");
  });

  it('reports a holder in its service\'s cgroup as ours by the cgroup, whatever its group, session and environment', () => {
    const holder = processInfo(950, 1, { pgid: 950, sid: 950, argv: ['node', 'escapee.js'] });
    const cgroups = [{ service: 'web', path: '/evident-x/web', members: [{ pid: 950, start_token: holder.startToken }] }];
    const found = judgeLeftovers(evidence({ table: withTable(holder), cgroups, cgroupsUnavailable: null, listeners: [{ port: 7001, pid: 950 }] }));
    expect(found).toEqual([{ kind: 'orphan', service: 'web', pid: 950, ppid: 1, command: 'node escapee.js', port: 7001, ours: true, proof: { kind: 'cgroup', path: '/evident-x/web' } }]);
    // A member read with another start time is another process that had the pid: not ours.
    const reused = [{ ...cgroups[0]!, members: [{ pid: 950, start_token: 'boot:1' }] }];
    expect(judgeLeftovers(evidence({ table: withTable(holder), cgroups: reused, cgroupsUnavailable: null, listeners: [{ port: 7001, pid: 950 }] }))[0]?.ours).toBe(false);
  });

  it('reports an orphan of ours that holds a port once, as an orphan with its port', () => {
    const holder = processInfo(960, 1, { argv: ['node', 'api.js'] });
    const found = judgeLeftovers(evidence({ table: withTable(holder), tagged: new Map([[960, 'api']]), listeners: [{ port: 7002, pid: 960 }] }));
    expect(found).toEqual([{ kind: 'orphan', service: 'api', pid: 960, ppid: 1, command: 'node api.js', port: 7002, ours: true, proof: { kind: 'tag' } }]);
  });

  it('reports a listener whose holder cannot be seen, with no pid and not as ours', () => {
    const found = judgeLeftovers(evidence({ listeners: [{ port: 7002, pid: null }] }));
    expect(found).toEqual([{ kind: 'listener', service: 'api', pid: null, ppid: null, command: '', port: 7002, ours: false, proof: null }]);
  });

  it('does not report a listener held by a running service or its descendants', () => {
    const table = withTable(processInfo(700, CONSOLE), processInfo(701, 700));
    const found = judgeLeftovers(
      evidence({ table, runningRoots: [700], runningServices: ['web'], listeners: [{ port: 7001, pid: 700 }, { port: 7002, pid: 701 }] }),
    );
    expect(found).toEqual([]);
  });
});

describe('what a leftover check records', () => {
  // A host: init, a stranger's tool with its whole configuration on its command line, an
  // ssh daemon and a shell, beside a running service (700, its worker 701), a stopped
  // service's orphan by tag (720) with a child (721) and a defunct child (722), a process of
  // ours by a known identity (730), a stranger on a contract port (950), and evident (100)
  // with one unreaped child (802) and a live one it is still running (803).
  const host = evidence({
    table: [
      processInfo(1, 0, { argv: ['/sbin/init'] }),
      processInfo(CONSOLE, 1, { argv: ['node', 'evident'] }),
      processInfo(300, 1, { argv: ['other-tool', '--env', '{"DATABASE_URL":"postgres://u:p@db/x","MODE":"prod"}'] }),
      processInfo(301, 1, { argv: ['sshd'] }),
      processInfo(302, 301, { argv: ['-bash'] }),
      processInfo(700, CONSOLE, { argv: ['node', 'web.js'] }),
      processInfo(701, 700, { argv: ['node', 'web-worker.js'] }),
      processInfo(720, 1, { argv: ['python3', 'api-helper.py'] }),
      processInfo(721, 720, { argv: ['python3', 'api-helper.py', '--child'] }),
      processInfo(722, 720, { state: 'Z', argv: [] }),
      processInfo(730, 1, { startToken: 'boot:5', argv: ['node', 'cache.js'] }),
      processInfo(731, 1, { startToken: 'boot:other', argv: ['vim'] }),
      processInfo(802, CONSOLE, { state: 'Z', argv: [] }),
      processInfo(803, CONSOLE, { argv: ['node', 'healthcheck.mjs'] }),
      processInfo(950, 1, { argv: ['python3', '-m', 'http.server', '7001'] }),
    ],
    tagged: new Map([[720, 'api']]),
    known: [
      { service: 'api', known: { pid: 730, start_token: 'boot:5', argv: ['node', 'cache.js'] } },
      // A known pid now reused by a stranger (another start token): not ours, not recorded.
      { service: 'api', known: { pid: 731, start_token: 'boot:6', argv: ['node', 'old.js'] } },
    ],
    listeners: [{ port: 7001, pid: 950 }],
    runningRoots: [700],
    runningServices: ['web'],
  });

  it('keeps what concerns the fleet and only counts the rest', () => {
    expect(concernedProcesses(host).map((p) => p.pid)).toEqual([CONSOLE, 700, 701, 720, 721, 722, 730, 802, 950]);
    const json = leftoverEvidenceToJson(host);
    expect(json.table.map((p) => p.pid)).toEqual([CONSOLE, 700, 701, 720, 721, 722, 730, 802, 950]);
    expect(json).toMatchObject({ others_count: 6, table_total: 15, console_pid: CONSOLE });
    expect(JSON.stringify(json)).not.toContain('DATABASE_URL');
    expect(JSON.stringify(json)).not.toContain('sshd');
  });

  it('keeps the identity fields as the OS gave them', () => {
    const kept = leftoverEvidenceToJson(host).table.find((p) => p.pid === 730);
    expect(kept).toEqual(host.table.find((p) => p.pid === 730));
  });

  it('judges the record exactly as the whole table: the same findings', () => {
    const live = judgeLeftovers(host);
    expect(live.map((l) => [l.kind, l.pid])).toEqual([
      ['orphan', 720],
      ['defunct', 722],
      ['orphan', 730],
      ['defunct', 802],
      ['listener', 950],
    ]);
    expect(judgeLeftovers(leftoverEvidenceFromJson(leftoverEvidenceToJson(host)))).toEqual(live);
  });

  it('judges the record exactly as the whole table for every case above', () => {
    const cases: LeftoverEvidence[] = [
      evidence({}),
      evidence({ table: withTable(processInfo(500, 1, { argv: ['python3', 'worker.py'] })), tagged: new Map([[500, 'api']]) }),
      evidence({ table: withTable(processInfo(700, CONSOLE), processInfo(701, 700), processInfo(702, 701, { state: 'Z', argv: [] })), tagged: new Map([[700, 'web']]), runningRoots: [700], runningServices: ['web'] }),
      evidence({ table: withTable(processInfo(800, 1), processInfo(801, 800, { state: 'Z', argv: [] })), tagged: new Map([[800, 'api']]) }),
      evidence({ table: withTable(processInfo(900, 1), processInfo(901, 900, { state: 'Z', argv: [] })) }),
      evidence({ table: withTable(processInfo(960, 1, { argv: ['node', 'api.js'] })), tagged: new Map([[960, 'api']]), listeners: [{ port: 7002, pid: 960 }] }),
      evidence({ listeners: [{ port: 7002, pid: null }] }),
      evidence({ table: withTable(processInfo(970, 1), processInfo(971, 1)), cgroups: [{ service: 'api', path: '/evident-x/api', members: [{ pid: 970, start_token: 'boot:97000' }] }], cgroupsUnavailable: null, listeners: [{ port: 7002, pid: 971 }] }),
      evidence({ table: withTable(processInfo(971, 1)), cgroupsUnavailable: 'switched off by EVIDENT_CGROUPS=off', listeners: [{ port: 7002, pid: 971 }] }),
      evidence({ table: withTable(processInfo(700, CONSOLE), processInfo(701, 700)), runningRoots: [700], runningServices: ['web'], listeners: [{ port: 7001, pid: 700 }, { port: 7002, pid: 701 }] }),
      host,
    ];
    for (const full of cases) expect(judgeLeftovers(leftoverEvidenceFromJson(leftoverEvidenceToJson(full)))).toEqual(judgeLeftovers(full));
  });

  it("judges a record of this machine's real process table as the table itself, with ours, a defunct child and a listener in it", async () => {
    const table = await createLinuxPlatform().listProcesses();
    const self = table.find((p) => p.pid === process.pid);
    const parent = table.find((p) => p.pid === process.ppid);
    if (!self || !parent) throw new Error('this process or its parent is missing from /proc');
    // Claim this process's parent as a stopped service's (a known identity), so its whole
    // tree (this process among it) is ours; and a made-up defunct child of it.
    const real: LeftoverEvidence = {
      table: [...table, { ...self, pid: 4_000_000, ppid: parent.pid, state: 'Z', argv: [] }],
      tagged: new Map(),
      known: [{ service: 'api', known: { pid: parent.pid, start_token: parent.startToken, argv: parent.argv } }],
      groups: [],
      listeners: [{ port: 7001, pid: 1 }],
      ports: new Map([[7001, 'web']]),
      runningRoots: [],
      runningServices: [],
      consolePid: 999_999_999,
    };
    const live = judgeLeftovers(real);
    expect(live.some((l) => l.kind === 'defunct' && l.pid === 4_000_000)).toBe(true);
    const json = leftoverEvidenceToJson(real);
    expect(json.table.length).toBeLessThan(real.table.length);
    expect(json.others_count + json.table.length).toBe(real.table.length);
    expect(judgeLeftovers(leftoverEvidenceFromJson(json))).toEqual(live);
  });
});
