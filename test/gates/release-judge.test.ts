// The release judge: it passes only when every gate before it is named with a run that
// PASSED, in full (no trial), under the contract and pipeline the release itself ran
// under, pinned by its signed manifest's hash; each refusal has its own reason.
import { describe, expect, it } from 'vitest';
import { judgeRelease } from '../../gates/release/judge.ts';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import { newRecordId } from '../../src/evidence/record-id.ts';

const HASH = 'a'.repeat(64);
const OLD_HASH = 'b'.repeat(64);
const PIPELINE_HASH = 'c'.repeat(64);
const MANIFEST = (gate: string) => gate.length.toString(16).padEnd(64, 'e');
const GATES = ['prerequisites', 'gate1', 'gate2'];
const CRITERIA = { gates: GATES };

let clock = Date.UTC(2026, 0, 1);
function record(type: string, payload: Record<string, unknown>, contractHash = HASH): JournalRecord {
  clock += 1000;
  const at = new Date(clock).toISOString();
  return {
    id: newRecordId(),
    type,
    event_time: at,
    process_time: at,
    actor: 'alice',
    correlation_id: 'REL',
    contract: { version: '1.0.0', hash: contractHash },
    payload,
    prev_hash: '0'.repeat(64),
    hash: newRecordId().toLowerCase().padEnd(64, '0'),
  };
}

interface Entry {
  gate: string;
  run_id: string | null;
  status: string;
  trial: boolean;
  contract_hash: string | null;
  pipeline_hash: string | null;
  manifest_sha256: string | null;
}

const passed = (gate: string, extra: Partial<Entry> = {}): Entry => ({
  gate,
  run_id: `RUN-${gate}`,
  status: 'PASSED',
  trial: false,
  contract_hash: HASH,
  pipeline_hash: PIPELINE_HASH,
  manifest_sha256: MANIFEST(gate),
  ...extra,
});

function release(entries: Entry[], options: { end?: boolean; start?: boolean; startHash?: string; pipelineHash?: string | null } = {}): JournalRecord[] {
  const pipeline = options.pipelineHash === null ? {} : { pipeline: { name: 'phase 3', version: '1.0.0', hash: options.pipelineHash ?? PIPELINE_HASH } };
  return [
    ...(options.start === false ? [] : [record('run.start', { run_id: 'REL', kind: 'release', gate: 'release', trial: false, ...pipeline }, options.startHash ?? HASH)]),
    ...entries.map((e) => record('release.gate', { ...e })),
    ...(options.end === false ? [] : [record('run.end', { stopped_early: null })]),
  ];
}

const allPassed = () => GATES.map((g) => passed(g));
const withEntry = (gate: string, extra: Partial<Entry>) => GATES.map((g) => (g === gate ? passed(g, extra) : passed(g)));

describe('judgeRelease', () => {
  it('passes when every listed gate passed in full under the release contract', () => {
    expect(judgeRelease(release(allPassed()), CRITERIA)).toEqual({
      status: 'PASSED',
      contract_hash: HASH,
      pipeline_hash: PIPELINE_HASH,
      gates: [
        { gate: 'prerequisites', run_id: 'RUN-prerequisites', manifest_sha256: MANIFEST('prerequisites'), ok: true },
        { gate: 'gate1', run_id: 'RUN-gate1', manifest_sha256: MANIFEST('gate1'), ok: true },
        { gate: 'gate2', run_id: 'RUN-gate2', manifest_sha256: MANIFEST('gate2'), ok: true },
      ],
      reasons: [],
    });
  });

  it('refuses a gate with no record', () => {
    const verdict = judgeRelease(release(allPassed().filter((e) => e.gate !== 'gate1')), CRITERIA);
    expect(verdict.status).toBe('FAILED');
    expect(verdict.reasons).toEqual(['gate1 has no passing run']);
    expect(verdict.gates).toContainEqual({ gate: 'gate1', run_id: null, manifest_sha256: null, ok: false });
  });

  it('refuses a gate whose record names no run', () => {
    const verdict = judgeRelease(release(withEntry('gate2', { run_id: null, status: 'PENDING', contract_hash: null })), CRITERIA);
    expect(verdict).toMatchObject({ status: 'FAILED', reasons: ['gate2 has no passing run'] });
  });

  it('refuses a gate whose run did not pass, naming its status and run', () => {
    for (const status of ['FAILED', 'INTERRUPTED', 'BLOCKED', 'RUNNING']) {
      const verdict = judgeRelease(release(withEntry('gate1', { status })), CRITERIA);
      expect(verdict).toMatchObject({ status: 'FAILED', reasons: [`gate1 is ${status} (run RUN-gate1)`] });
      expect(verdict.gates).toContainEqual({ gate: 'gate1', run_id: 'RUN-gate1', manifest_sha256: MANIFEST('gate1'), ok: false });
    }
  });

  it('refuses a gate that passed only as a trial', () => {
    const verdict = judgeRelease(release(withEntry('gate1', { trial: true })), CRITERIA);
    expect(verdict).toMatchObject({ status: 'FAILED', reasons: ['gate1 passed only as a trial (run RUN-gate1)'] });
  });

  it('refuses a gate whose run ran under another contract', () => {
    const verdict = judgeRelease(release(withEntry('prerequisites', { contract_hash: OLD_HASH })), CRITERIA);
    expect(verdict).toMatchObject({ status: 'FAILED', reasons: ["prerequisites's run RUN-prerequisites ran under another contract"] });
  });

  it('refuses a gate whose run ran under another pipeline, or that names no signed manifest', () => {
    expect(judgeRelease(release(withEntry('gate1', { pipeline_hash: 'd'.repeat(64) })), CRITERIA)).toMatchObject({ status: 'FAILED', reasons: ["gate1's run RUN-gate1 ran under another pipeline"] });
    expect(judgeRelease(release(withEntry('gate2', { manifest_sha256: null })), CRITERIA)).toMatchObject({ status: 'FAILED', reasons: ["gate2's run RUN-gate2 has no signed manifest to pin"] });
    expect(judgeRelease(release(allPassed(), { pipelineHash: null }), CRITERIA)).toMatchObject({ status: 'FAILED', reasons: ['the release names no pipeline: there is no pipeline to hold its gates to'] });
  });

  it('compares with the contract of the release run itself', () => {
    // Every gate passed under HASH, but the release ran under OLD_HASH.
    const verdict = judgeRelease(release(allPassed(), { startHash: OLD_HASH }), CRITERIA);
    expect(verdict.status).toBe('FAILED');
    expect(verdict.reasons).toEqual(GATES.map((g) => `${g}'s run RUN-${g} ran under another contract`));
  });

  it('refuses when the release has no run.start to take its contract from, even if no entry names a contract', () => {
    const verdict = judgeRelease(release(GATES.map((g) => passed(g, { contract_hash: null })), { start: false }), CRITERIA);
    expect(verdict.status).toBe('FAILED');
    expect(verdict.reasons).toEqual(['the release has no run.start record: there is no contract to hold its gates to']);
  });

  it('reports every refusal, each with its own reason, in the order of the gates', () => {
    const verdict = judgeRelease(
      release([passed('gate2', { trial: true }), passed('prerequisites', { status: 'FAILED' })]),
      CRITERIA,
    );
    expect(verdict.reasons).toEqual(['prerequisites is FAILED (run RUN-prerequisites)', 'gate1 has no passing run', 'gate2 passed only as a trial (run RUN-gate2)']);
    expect((verdict.gates as { ok: boolean }[]).map((g) => g.ok)).toEqual([false, false, false]);
  });

  it('checks the precedence of refusals: no run, then status, then trial, then contract', () => {
    const all = { status: 'FAILED', trial: true, contract_hash: OLD_HASH };
    expect(judgeRelease(release(withEntry('gate1', all)), CRITERIA).reasons).toEqual(['gate1 is FAILED (run RUN-gate1)']);
    expect(judgeRelease(release(withEntry('gate1', { trial: true, contract_hash: OLD_HASH })), CRITERIA).reasons).toEqual(['gate1 passed only as a trial (run RUN-gate1)']);
  });

  it('ignores entries for gates the release does not list', () => {
    const verdict = judgeRelease(release([...allPassed(), passed('gate9', { status: 'FAILED' })]), CRITERIA);
    expect(verdict).toMatchObject({ status: 'PASSED', reasons: [] });
    expect(verdict.gates).toHaveLength(3);
  });

  it('refuses a release that lists no gates', () => {
    expect(judgeRelease(release(allPassed()), { gates: [] })).toEqual({ status: 'FAILED', contract_hash: HASH, pipeline_hash: PIPELINE_HASH, gates: [], reasons: ['the release lists no gates'] });
    expect(judgeRelease(release(allPassed()), {})).toMatchObject({ status: 'FAILED', reasons: ['the release lists no gates'] });
  });

  it('is INTERRUPTED without run.end, the missing end named first', () => {
    expect(judgeRelease(release(allPassed(), { end: false }), CRITERIA)).toMatchObject({
      status: 'INTERRUPTED',
      reasons: ['the run has no end record: its runner stopped before it finished'],
    });
    const failing = judgeRelease(release(withEntry('gate1', { trial: true }), { end: false }), CRITERIA);
    expect(failing.status).toBe('INTERRUPTED');
    expect(failing.reasons).toEqual(['the run has no end record: its runner stopped before it finished', 'gate1 passed only as a trial (run RUN-gate1)']);
  });

  it('is a pure function of the records', () => {
    const records = release(withEntry('gate1', { status: 'FAILED' }));
    const before = JSON.stringify(records);
    const first = judgeRelease(records, CRITERIA);
    expect(judgeRelease(records, CRITERIA)).toEqual(first);
    expect(JSON.stringify(records)).toBe(before);
  });
});
