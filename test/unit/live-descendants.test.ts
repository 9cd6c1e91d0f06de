// The descendants a pid file keeps: the live ones, and the ones seen for the first time.
import { describe, expect, it } from 'vitest';
import { parseChildren } from '../../src/platform/linux.ts';
import { liveDescendants } from '../../src/supervisor/live-descendants.ts';
import type { PidRecord } from '../../src/supervisor/pid-file.ts';
import { processInfo } from './process-info.ts';

const root = processInfo(500, 1);
const record = (descendants: PidRecord['descendants']): PidRecord => ({
  service: 'cron',
  pid: 500,
  pgid: 500,
  sid: 500,
  start_token: root.startToken,
  argv: root.argv,
  started_at: new Date(root.startedAtMs).toISOString(),
  contract_hash: 'h',
  restarts: 0,
  descendants,
});
const known = (pid: number, token = `boot:${pid}00`) => ({ pid, start_token: token, argv: [`proc-${pid}`] });

describe('liveDescendants', () => {
  it('drops the ones that ended and adds the new ones', () => {
    const helper = processInfo(502, 500);
    const list = liveDescendants(record([known(501), known(503)]), [helper], [root, processInfo(503, 1), helper]);
    expect(list).toEqual([known(503), known(502)]);
  });

  it('drops one whose pid now belongs to another process, and a defunct one', () => {
    const reused = processInfo(501, 1, { startToken: 'boot:other' });
    const zombie = processInfo(502, 500, { state: 'Z', argv: [] });
    expect(liveDescendants(record([known(501), known(502)]), [zombie], [root, reused, zombie])).toEqual([]);
  });

  it('keeps one that left the tree while it lives, and says when nothing changed', () => {
    const escaped = processInfo(504, 1);
    expect(liveDescendants(record([known(504)]), [], [root, escaped])).toBeNull();
  });
});

describe('parseChildren', () => {
  it('reads the pids of /proc/<pid>/task/<tid>/children', () => {
    expect(parseChildren('4242 4250 ')).toEqual([4242, 4250]);
    expect(parseChildren('')).toEqual([]);
  });
});
