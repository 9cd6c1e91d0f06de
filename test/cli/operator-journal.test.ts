// Operator actions and supervisor events of the headless commands, as records in the
// operator journal: on disk before the action, with the actor, times, contract and a
// valid chain; a repeated delivery (same idempotency key) is one record and not redone.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import { readJournal } from '../../src/evidence/read-journal.ts';
import { runCli } from '../helpers/run-cli.ts';
import { fixtureService } from '../helpers/temp-fleet.ts';

let dir = '';
let artifacts = '';
const common = () => ['--contract', join(dir, 'contract.json'), '--state-dir', join(dir, 'state'), '--artifacts-dir', artifacts];
const journal = () => readJournal(join(artifacts, 'operator', 'journal.jsonl'));
const ofType = (records: JournalRecord[], type: string) => records.filter((r) => r.type === type);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-opjournal-'));
  artifacts = join(dir, 'artifacts');
  writeFileSync(join(dir, 'contract.json'), JSON.stringify({ name: 'journal fleet', version: '2.1.0', services: [fixtureService('alpha', 'http-ok.ts', 17175)] }));
});

afterAll(async () => {
  await runCli(['down', ...common()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the operator journal', () => {
  it('records who started the fleet before the supervisor events it caused', async () => {
    const up = await runCli(['up', '--actor', 'alice', ...common()]);
    expect(up.exitCode, up.stderr).toBe(0);
    const reading = journal();
    expect(reading.problems).toEqual([]);
    const types = reading.records.map((r) => r.type);
    expect(types.indexOf('operator.start')).toBeLessThan(types.indexOf('supervisor.start'));
    const action = ofType(reading.records, 'operator.start')[0];
    expect(action).toMatchObject({ actor: 'alice', payload: { services: ['alpha'], command: 'evident up' }, contract: { version: '2.1.0' } });
    expect(action?.idempotency_key).toBeTruthy();
    const ready = ofType(reading.records, 'supervisor.ready')[0];
    expect(ready).toMatchObject({ actor: 'evident', payload: { service: 'alpha' } });
    expect(Date.parse(ready?.event_time ?? '')).toBeLessThanOrEqual(Date.parse(ready?.process_time ?? ''));
  });

  it('records the same action delivered twice once, and does not carry it out again', async () => {
    const first = await runCli(['down', '--idempotency-key', 'ticket-42-stop', ...common()]);
    expect(first.exitCode, first.stderr).toBe(0);
    const stopsAfterFirst = ofType(journal().records, 'supervisor.stop').length;
    expect(stopsAfterFirst).toBe(1);
    // Start again, then a retried delivery of the same stop: recorded once, not repeated.
    expect((await runCli(['up', ...common()])).exitCode).toBe(0);
    const again = await runCli(['down', '--idempotency-key', 'ticket-42-stop', ...common()]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/already recorded: operator\.stop with idempotency key ticket-42-stop .* not carried out again/);
    const records = journal().records;
    expect(records.filter((r) => r.idempotency_key === 'ticket-42-stop')).toHaveLength(1);
    expect(ofType(records, 'supervisor.stop')).toHaveLength(stopsAfterFirst);
    // The fleet is still up: the repeat did nothing.
    expect(await accepts(17175)).toBe(true);
    expect((await runCli(['down', ...common()])).exitCode).toBe(0);
    expect(ofType(journal().records, 'supervisor.leftover-check').length).toBeGreaterThanOrEqual(2);
  });

  it('refuses to act when the action cannot be recorded', async () => {
    const blocked = join(dir, 'not-a-folder');
    writeFileSync(blocked, 'a file where the artifacts folder should be');
    const up = await runCli(['up', '--contract', join(dir, 'contract.json'), '--state-dir', join(dir, 'state'), '--artifacts-dir', blocked]);
    expect(up.exitCode).toBe(2);
    expect(up.stderr).toMatch(/cannot record the start action in the operator journal .*nothing was done/);
    expect(await accepts(17175)).toBe(false);
    expect(readFileSync(blocked, 'utf8')).toBe('a file where the artifacts folder should be');
  });
});

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
