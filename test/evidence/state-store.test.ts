// The live state store on real journal files: records folded as they are written, also
// when another writer appended in between; a journal it cannot continue (rewritten, or
// gone) makes it rebuild; a broken line is reported and nothing after it is shown.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/evidence/journal.ts';
import { loadOrCreateSigningKey } from '../../src/evidence/signing-key.ts';
import { installationTrustedKeys } from '../../src/evidence/trusted-keys.ts';
import { stateFromJournals } from '../../src/state/rebuild-state.ts';
import { resolveStatePaths, type StatePaths } from '../../src/paths/state-paths.ts';
import { StateStore } from '../../src/state/state-store.ts';
import type { StateView } from '../../src/state/state-view.ts';

const CONTRACT = { version: '1.0.0', hash: 'c'.repeat(64) };

let dir = '';
let artifacts = '';
let paths: StatePaths;
const opened: Journal[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-state-store-'));
  artifacts = join(dir, 'artifacts');
  paths = resolveStatePaths(join(dir, 'state'));
});
afterEach(async () => {
  for (const journal of opened.splice(0)) await journal.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A journal as evident writes it: the operator journal attested batch by batch with the installation's key. */
async function openJournal(folder: string, actor = 'alice'): Promise<Journal> {
  const attest = folder === 'operator' ? { attest: loadOrCreateSigningKey(paths.keys) } : {};
  const journal = await Journal.open(join(artifacts, folder, 'journal.jsonl'), { contract: CONTRACT, actor, ...attest });
  opened.push(journal);
  return journal;
}

function withoutHow(view: StateView): Omit<StateView, 'rebuilt_from'> {
  const { rebuilt_from: _how, ...rest } = view;
  return rest;
}

function blocker(reason: string) {
  return { type: 'operator.blocker', payload: { reason } };
}

describe('StateStore', () => {
  it('folds each record applied, and reads on when another writer appended in between', async () => {
    const mine = await openJournal('operator');
    const other = await openJournal('operator', 'bob');
    const store = await StateStore.open(paths, artifacts);
    const operatorDir = join(artifacts, 'operator');

    await store.apply(operatorDir, await mine.append(blocker('first')));
    expect(store.view.blockers.map((b) => b.reason)).toEqual(['first']);
    await other.append(blocker('from bob'));
    await store.apply(operatorDir, await mine.append(blocker('third')));
    expect(store.view.blockers.map((b) => [b.reason, b.actor])).toEqual([['first', 'alice'], ['from bob', 'bob'], ['third', 'alice']]);
    expect(store.view.rebuilt_from).toBeNull();

    // Written, and equal to the view rebuilt from the file.
    const saved = JSON.parse(readFileSync(store.path, 'utf8')) as StateView;
    expect(saved).toEqual(store.view);
    expect(withoutHow(saved)).toEqual(withoutHow(stateFromJournals(artifacts, installationTrustedKeys(paths.keys)).view));
  });

  it('catches up at open with records written since, and with new run journals', async () => {
    const operator = await openJournal('operator');
    await operator.append(blocker('before'));
    await (await StateStore.open(paths, artifacts)).save();
    await operator.append(blocker('after'));
    const runId = '01K00000000000000000000000';
    const run = await openJournal(runId);
    await run.append({ type: 'run.start', correlation_id: runId, payload: { run_id: runId, kind: 'shutdown', trial: true } });

    const store = await StateStore.open(paths, artifacts);
    expect(store.view.blockers.map((b) => b.reason)).toEqual(['before', 'after']);
    expect(store.view.runs[runId]).toMatchObject({ kind: 'shutdown', status: 'RUNNING', trial: true });
    expect(store.view.rebuilt_from).toBeNull();
  });

  it('rebuilds when a journal it folded was rewritten', async () => {
    const operator = await openJournal('operator');
    await operator.append(blocker('one'));
    await operator.append(blocker('two'));
    await (await StateStore.open(paths, artifacts)).save();
    await operator.close();
    // Replaced by a journal with other content of the same length or more: the cursor no longer fits.
    rmSync(join(artifacts, 'operator'), { recursive: true });
    const replacement = await openJournal('operator');
    for (const reason of ['uno', 'dos', 'tres']) await replacement.append(blocker(reason));

    const store = await StateStore.open(paths, artifacts);
    expect(store.view.blockers.map((b) => b.reason)).toEqual(['uno', 'dos', 'tres']);
    // Three records, each with the attestation of its write.
    expect(store.view.rebuilt_from).toMatchObject({ journals: 1, records: 6 });
  });

  it('reports a broken line and shows only the records before it', async () => {
    const operator = await openJournal('operator');
    for (const reason of ['kept', 'edited', 'after']) await operator.append(blocker(reason));
    await operator.close();
    const path = join(artifacts, 'operator', 'journal.jsonl');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"edited"', '"EDITED"'));

    const store = await StateStore.open(paths, artifacts);
    expect(store.view.blockers.map((b) => b.reason)).toEqual(['kept']);
    // Line 2 is the attestation of line 1; the edited record is line 3.
    expect(store.problems).toEqual([expect.stringMatching(/line 3: hash does not match its content/)]);
    expect(stateFromJournals(artifacts, installationTrustedKeys(paths.keys)).problems).toEqual(store.problems);
  });
});
