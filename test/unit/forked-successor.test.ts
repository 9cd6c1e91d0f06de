// Which process a self-daemonizing service is followed to: the one top-most process of its
// tag that started after it did; never a tagged orphan of an earlier run.
import { describe, expect, it } from 'vitest';
import { chooseSuccessor } from '../../src/supervisor/forked-successor.ts';
import type { PidRecord } from '../../src/supervisor/pid-file.ts';
import { processInfo } from './process-info.ts';

const STARTED = 1_700_000_000_000;
const record: PidRecord = {
  service: 'forky',
  pid: 500,
  pgid: 500,
  sid: 500,
  start_token: 'boot:50000',
  argv: ['python3', 'daemonizes.py'],
  started_at: new Date(STARTED).toISOString(),
  contract_hash: 'h',
  restarts: 0,
  descendants: [],
};
const daemon = processInfo(520, 1, { startedAtMs: STARTED + 40 });
const worker = processInfo(521, 520, { startedAtMs: STARTED + 60 });
const orphan = processInfo(300, 1, { startedAtMs: STARTED - 60_000 });
const orphansChild = processInfo(301, 300, { startedAtMs: STARTED + 500 });
const tags = (...pids: number[]) => new Map(pids.map((pid) => [pid, 'forky']));

describe('chooseSuccessor', () => {
  it('is the daemon the service forked (its own children below it)', () => {
    expect(chooseSuccessor(record, [daemon, worker], tags(520, 521))).toBe(daemon);
  });

  it('is never a tagged orphan of an earlier run, started before the service', () => {
    expect(chooseSuccessor(record, [orphan], tags(300))).toBeNull();
    // Nor a child that orphan started since: it is the orphan's.
    expect(chooseSuccessor(record, [orphan, orphansChild], tags(300, 301))).toBeNull();
    expect(chooseSuccessor(record, [orphan, orphansChild, daemon, worker], tags(300, 301, 520, 521))).toBe(daemon);
  });

  it('is none when two processes could be it, or the tag names another service', () => {
    expect(chooseSuccessor(record, [daemon, processInfo(530, 1, { startedAtMs: STARTED + 50 })], tags(520, 530))).toBeNull();
    expect(chooseSuccessor(record, [daemon], new Map([[520, 'other']]))).toBeNull();
  });
});
