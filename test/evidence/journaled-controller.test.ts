// The console's keys, recorded before they act: each action is an operator record in a
// real journal file before the controller is called, and an action that cannot be
// recorded is not carried out.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FleetJournal } from '../../src/evidence/fleet-journal.ts';
import { journaledController } from '../../src/evidence/journaled-controller.ts';
import { readJournal } from '../../src/evidence/read-journal.ts';
import { RecordingController } from '../components/recording-controller.ts';
import { fleetSnapshot } from '../components/snapshot-fixtures.ts';

const CONTRACT = { version: '1.0.0', hash: 'a'.repeat(64) };
let dir = '';

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('journaledController', () => {
  it('records each action in the operator journal before calling the controller', async () => {
    dir = mkdtempSync(join(tmpdir(), 'evident-keys-'));
    const journal = new FleetJournal(dir, join(dir, 'keys'), CONTRACT, 'bob', (error) => {
      throw error;
    });
    const inner = new RecordingController(fleetSnapshot());
    const seenBefore: number[] = [];
    const path = join(dir, 'operator', 'journal.jsonl');
    const controller = journaledController(inner, async (name, payload) => {
      await journal.action({ name, payload });
      // At this point the controller has not been called for this action yet.
      seenBefore.push(inner.calls.length);
    });
    await controller.stop('openclaw');
    await controller.restart('pipecat');
    await controller.stopAll();
    await journal.close();
    expect(inner.calls).toEqual([{ method: 'stop', service: 'openclaw' }, { method: 'restart', service: 'pipecat' }, { method: 'stopAll' }]);
    expect(seenBefore).toEqual([0, 1, 2]);
    // Every write batch ends with its attestation: the actions are the rest.
    const records = readJournal(path).records.filter((r) => r.type !== 'journal.attest');
    expect(records.map((r) => [r.type, r.actor, r.payload.services ?? null, r.payload.via])).toEqual([
      ['operator.stop', 'bob', ['openclaw'], 'console'],
      ['operator.restart', 'bob', ['pipecat'], 'console'],
      ['operator.stop-all', 'bob', null, 'console'],
    ]);
  });

  it('does not act when the record cannot be written', async () => {
    dir = mkdtempSync(join(tmpdir(), 'evident-keys-'));
    writeFileSync(join(dir, 'operator'), 'a file where the journal folder should be');
    const errors: Error[] = [];
    const journal = new FleetJournal(dir, join(dir, 'keys'), CONTRACT, 'bob', (error) => errors.push(error));
    const inner = new RecordingController(fleetSnapshot());
    const controller = journaledController(inner, async (name, payload) => {
      await journal.action({ name, payload });
    });
    await expect(controller.start('openclaw')).rejects.toThrow(/ENOTDIR|EEXIST/);
    expect(inner.calls).toEqual([]);
    // The refusal is the caller's to show; nothing is also printed through onError.
    expect(errors).toEqual([]);
  });
});
