// The plain watcher in-process, where its clock can be moved: a run whose runner is gone
// without an end record is said to be overdue (and still watched until told to stop), and
// an end record that never gets its verdict is given up on after a while.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { watchPlain } from '../../cli/watch-plain.ts';
import { startSoakRun } from '../helpers/soak-run-folder.ts';

const root = mkdtempSync(join(tmpdir(), 'evident-watch-plain-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const folders = { artifactsDir: join(root, 'artifacts'), keysDir: join(root, 'keys') };

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the plain watcher', () => {
  it('says a run with no end record is overdue, and keeps watching until stopped', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 120 });
    await soak.minute(1);
    const out: string[] = [];
    const stop = new AbortController();
    // Ten minutes after the start of a two-minute run.
    const watching = watchPlain({ dir: soak.dir, json: false, everyMs: 20, out: (l) => out.push(l), err: (l) => out.push(l), now: () => Date.now() + 600_000, signal: stop.signal });
    await until(() => out.some((l) => l.startsWith('no end record yet')), 'the overdue note');
    expect(out[1]).toMatch(/^minute 1\/2: /);
    expect(out[2]).toMatch(/^no end record yet, 60\d s after the start of a 120 s run: its runner may be gone \(`evident gates` tells\); still watching$/);
    await new Promise((r) => setTimeout(r, 100));
    // Said once, not at every poll.
    expect(out).toHaveLength(3);
    stop.abort();
    expect(await watching).toBe(0);
    await soak.finish();
  });

  it('names a minute that fell short by its endpoint: a stalled generator is a traffic breach', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 120 });
    await soak.minute(1);
    await soak.minute(2, { requests: 0 });
    await soak.finish();
    const out: string[] = [];
    expect(await watchPlain({ dir: soak.dir, json: false, everyMs: 20, out: (l) => out.push(l) })).toBe(1);
    expect(out[2]).toMatch(/^minute 2\/2: 0 requests, .*, BREACH traffic_achieved \(chat\) measured 0, limit 0\.9$/);
    expect(out.at(-1)?.split('\n')[1]).toBe('  minute 2: traffic_achieved (chat) measured 0, limit 0.9: chat in minute 2: 0 sent at 1/s, 54 required, 90 % of the 59 whole request(s) its schedule surely puts in 60 s');
  });

  it('gives up on an end record that never gets its verdict', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 60 });
    await soak.minute(1);
    // The runner wrote its end and died before judging.
    await soak.run.record({ type: 'run.end', payload: {} });
    let clock = Date.now();
    const out: string[] = [];
    const watching = watchPlain({ dir: soak.dir, json: false, everyMs: 20, out: (l) => out.push(l), now: () => clock });
    await until(() => out.length >= 2, 'minute 1');
    await new Promise((r) => setTimeout(r, 60));
    expect(out).toHaveLength(2);
    clock += 31_000;
    expect(await watching).toBe(1);
    expect(out.at(-1)).toBe(`gate2 run ${soak.run.id} ended without a verdict record: evident verify ${soak.dir} judges it`);
    await soak.run.journal.close();
  });
});
