// Reading the Windows sampler's answers, from recorded answers: the idle process without a
// creation time, a reused parent pid, non-ASCII command lines, and answers of the wrong shape.
import { describe, expect, it } from 'vitest';
import { descendantsOf } from '../../src/supervisor/process-tree.ts';
import {
  fileTimeToEpochMs,
  NO_CREATION_TIME,
  parseBreakReply,
  parseCommandLines,
  parseExitEvent,
  parseLaunchReply,
  parseListeners,
  parseTable,
  toProcessInfo,
} from '../../src/platform/windows-rows.ts';

// 2026-12-02T10:00:00Z and a few seconds later, as FILETIMEs.
const T0 = 134406792000000000n;
const at = (seconds: number) => String(T0 + BigInt(seconds) * 10_000_000n);

/** A table as the sampler records it: the idle process, System, a service started on a reused pid, its child, and an older orphan whose dead parent had that pid. */
const RECORDED = [
  { pid: 0, ppid: 0, created: null, cpu100ns: 0, rss: 8192 },
  { pid: 4, ppid: 0, created: at(-86_400), cpu100ns: 123_456_789, rss: 151_552 },
  { pid: 4120, ppid: 900, created: at(100), cpu100ns: 2_500_000, rss: 52_428_800 },
  { pid: 4188, ppid: 4120, created: at(101), cpu100ns: 100_000, rss: 10_485_760 },
  { pid: 3000, ppid: 4120, created: at(10), cpu100ns: 100_000, rss: 4_194_304 },
  { pid: 3004, ppid: 3000, created: at(11), cpu100ns: 0, rss: 1_048_576 },
];

describe('parseTable and toProcessInfo', () => {
  it('reads pid, parent, creation time (the identity token), CPU and memory', () => {
    const rows = parseTable(RECORDED);
    const service = toProcessInfo(rows[2]!, '"C:\\Program Files\\nodejs\\node.exe" server.js --port 7000');
    expect(service).toEqual({
      pid: 4120,
      ppid: 900,
      pgid: null,
      sid: null,
      state: '?',
      startToken: at(100),
      startedAtMs: Date.parse('2026-12-02T10:01:40Z'),
      argv: ['C:\\Program Files\\nodejs\\node.exe', 'server.js', '--port', '7000'],
      cpuTimeMs: 250,
      rssBytes: 52_428_800,
    });
  });

  it('reads a FILETIME exactly, beyond the range a double holds', () => {
    expect(fileTimeToEpochMs('116444736000000000')).toBe(0);
    expect(fileTimeToEpochMs(at(0))).toBe(Date.parse('2026-12-02T10:00:00Z'));
    expect(fileTimeToEpochMs('134406792000009999')).toBe(Date.parse('2026-12-02T10:00:00.000Z'));
  });

  it('keeps the idle process (no creation time) as a row whose token matches nothing and that is nobody\'s child or parent', () => {
    const idle = toProcessInfo(parseTable(RECORDED)[0]!, null);
    expect(idle.startToken).toBe(NO_CREATION_TIME);
    expect(Number.isNaN(idle.startedAtMs)).toBe(true);
    const table = parseTable(RECORDED).map((row) => toProcessInfo(row, null));
    expect(descendantsOf(0, table).map((p) => p.pid)).not.toContain(4);
  });

  it('takes only processes created after the service for its children: the older orphan on its reused pid is not', () => {
    const table = parseTable(RECORDED).map((row) => toProcessInfo(row, null));
    expect(descendantsOf(4120, table).map((p) => p.pid)).toEqual([4188]);
  });

  it('keeps non-ASCII command lines whole', () => {
    const [row] = parseCommandLines([{ pid: 4120, created: at(100), cmd: 'C:\\Users\\Zoë\\日本\\app.exe --名前 "Zoë Ø"' }]);
    expect(toProcessInfo(parseTable(RECORDED)[2]!, row!.cmd).argv).toEqual(['C:\\Users\\Zoë\\日本\\app.exe', '--名前', 'Zoë Ø']);
    expect(parseCommandLines([{ pid: 4, created: at(-86_400), cmd: null }])).toEqual([{ pid: 4, created: at(-86_400), cmd: null }]);
  });

  it('refuses answers of another shape, naming them, rather than reading them as an empty table', () => {
    for (const bad of [null, {}, 'table', [{ pid: -1, ppid: 0, created: null, cpu100ns: 0, rss: 0 }], [{ pid: 4, ppid: 0, created: 134406792000000000, cpu100ns: 0, rss: 0 }], [{ pid: 4, ppid: 0, created: '2026-12-02', cpu100ns: 0, rss: 0 }], [{ pid: 4, ppid: 0, created: null, rss: 0 }]]) {
      expect(() => parseTable(bad)).toThrow(/the Windows sampler answered a process table/);
    }
    expect(() => parseCommandLines([{ pid: 4, created: null, cmd: 42 }])).toThrow(/a command line row/);
  });
});

describe('the other answers', () => {
  it('listeners: port and holder; a malformed row is an error, not "no listener"', () => {
    expect(parseListeners([{ port: 7000, pid: 4120, address: '127.0.0.1' }, { port: 7000, pid: 4120, address: '::1' }])).toEqual([
      { port: 7000, pid: 4120 },
      { port: 7000, pid: 4120 },
    ]);
    expect(parseListeners([])).toEqual([]);
    expect(() => parseListeners(null)).toThrow(/listeners/);
    expect(() => parseListeners([{ port: 70000, pid: 1 }])).toThrow(/a listener row/);
  });

  it('launch: the new pid and its creation time', () => {
    expect(parseLaunchReply({ pid: 4120, created: at(100) })).toEqual({ pid: 4120, created: at(100) });
    expect(() => parseLaunchReply({ pid: 0, created: at(100) })).toThrow(/a launch/);
    expect(() => parseLaunchReply({ pid: 4120, created: null })).toThrow(/a launch/);
  });

  it('exit events: pid, creation time and exit code; other events are not exits', () => {
    expect(parseExitEvent({ event: 'exit', pid: 4120, created: at(100), code: 0 })).toEqual({ pid: 4120, created: at(100), code: 0 });
    expect(parseExitEvent({ event: 'exit', pid: 4120, created: at(100), code: null })).toEqual({ pid: 4120, created: at(100), code: null });
    expect(parseExitEvent({ event: 'hello' })).toBeNull();
    expect(() => parseExitEvent({ event: 'exit', pid: 'x', code: 0 })).toThrow(/an exit event/);
  });

  it('break: null once sent, else the reason the sampler gave', () => {
    expect(parseBreakReply({ delivered: true, error: null })).toBeNull();
    expect(parseBreakReply({ delivered: false, error: 'AttachConsole(4120) failed: error 6' })).toBe('AttachConsole(4120) failed: error 6');
    expect(parseBreakReply({ delivered: false, error: null })).toBe('no reason given');
    expect(() => parseBreakReply(true)).toThrow(/a break/);
  });
});
