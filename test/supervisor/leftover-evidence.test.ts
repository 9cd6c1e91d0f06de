// What a real leftover check records, against real processes: the processes that concern
// the fleet (here an escaped orphan of ours and its defunct child), never an unrelated
// process (a `sleep` with a distinctive command line, started by this test), which is
// only counted; and the findings re-judged from the record equal the live ones.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { leftoverEvidenceFromJson } from '../../src/supervisor/leftover-evidence-json.ts';
import { judgeLeftovers } from '../../src/supervisor/leftovers.ts';
import type { SupervisorEvent } from '../../src/supervisor/supervisor-event.ts';
import { killAndWait } from '../helpers/kill-and-wait.ts';
import { fixtureService, makeTempFleet, type TempFleet } from '../helpers/temp-fleet.ts';
import { until } from '../helpers/wait.ts';

let fleet: TempFleet | null = null;
let unrelated: ChildProcess | null = null;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = null;
  if (unrelated) await killAndWait(unrelated);
  unrelated = null;
});

it('records what concerns the fleet, counts the rest, and re-judges to what the live check found', async () => {
  unrelated = spawn('sleep', ['86399.4711'], { stdio: 'ignore' });
  await until(() => unrelated?.pid !== undefined, 'the unrelated sleep to start');
  fleet = await makeTempFleet([fixtureService('py', 'escapes-with-zombie.py', 17469, { health: { kind: 'tcp' } })]);
  await fleet.supervisor.startAll();
  const pid = fleet.supervisor.getSnapshot().services[0]?.pid as number;
  // Killed from outside: its escaped grandchild (ours by tag) and that one's defunct child stay.
  process.kill(pid, 'SIGKILL');
  await until(() => fleet?.supervisor.getSnapshot().leftoversCheckedAt !== null, 'the leftover check after the exit');
  const live = fleet.supervisor.getSnapshot().leftovers;
  for (const l of live) if (l.ours && l.pid !== null && l.kind === 'orphan') fleet.track(l.pid);
  expect(live.map((l) => l.kind).sort()).toEqual(['defunct', 'orphan']);

  const check = fleet.events.findLast((e): e is Extract<SupervisorEvent, { type: 'leftover-check' }> & { at: number } => e.type === 'leftover-check');
  if (!check) throw new Error('no leftover-check event');
  const recorded = JSON.stringify(check.evidence);
  expect(recorded).not.toContain('86399.4711');
  expect(check.evidence.table.some((p) => p.pid === unrelated?.pid)).toBe(false);
  expect(check.evidence.others_count).toBeGreaterThanOrEqual(1);
  expect(check.evidence.table_total).toBe(check.evidence.table.length + check.evidence.others_count);
  expect(check.evidence.table.some((p) => p.pid === process.pid)).toBe(true);
  for (const l of live) expect(check.evidence.table.some((p) => p.pid === l.pid)).toBe(true);
  expect(judgeLeftovers(leftoverEvidenceFromJson(check.evidence))).toEqual(live);
});
