// The declaration lock's judgement (the contract's and the pipeline's): no lock, the same
// declaration, content changed under the same version (drift, refused: bump the version),
// a new version (needs an approval); and which record's lock is in force, per subject.
import { describe, expect, it } from 'vitest';
import { canonicalSha256 } from '../../src/contract/canonical-json.ts';
import { approvalKey, CONTRACT_LOCK, judgeDeclaration as judgeContract, lockFrom, PIPELINE_LOCK, refusalMessage, type Declaration as ContractContent } from '../../src/evidence/declaration-lock.ts';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import { newRecordId } from '../../src/evidence/record-id.ts';
import { redactValue } from '../../src/redaction/redact.ts';

function spec(version: string, ports: number[], env: Record<string, string> = {}) {
  return { name: 'demo', version, services: ports.map((port, i) => ({ name: `svc-${i}`, command: 'node', port, env })) };
}

function content(s: ReturnType<typeof spec>): ContractContent {
  return { name: s.name, version: s.version, hash: canonicalSha256(s), spec: s };
}

/** As the journal keeps a locked spec: secrets redacted. */
function asJournaled(c: ContractContent): ContractContent {
  return { ...c, spec: redactValue(c.spec) };
}

function record(type: string, payload: Record<string, unknown>, actor = 'alice'): JournalRecord {
  const now = new Date().toISOString();
  return { id: newRecordId(), type, event_time: now, process_time: now, actor, correlation_id: newRecordId(), contract: { version: '1.0.0', hash: 'c'.repeat(64) }, payload, prev_hash: '0'.repeat(64), hash: 'f'.repeat(64) };
}

describe('judgeContract', () => {
  const v1 = content(spec('1.0.0', [7000, 7001]));

  it('is unlocked with no lock, and the same for the same version and content', () => {
    expect(judgeContract(null, v1)).toEqual({ kind: 'unlocked' });
    expect(judgeContract(asJournaled(v1), content(spec('1.0.0', [7000, 7001])))).toEqual({ kind: 'same' });
  });

  it('calls changed content under the same version drift, naming every changed field', () => {
    const changed = content(spec('1.0.0', [7000, 7010]));
    const judgement = judgeContract(asJournaled(v1), changed);
    expect(judgement).toEqual({ kind: 'drift', changes: ['services[1].port: 7001 → 7010'] });
    if (judgement.kind !== 'drift') throw new Error('expected drift');
    expect(refusalMessage(CONTRACT_LOCK, judgement, v1, changed)).toMatch(/^contract "demo" changed under version 1\.0\.0 \(locked hash [0-9a-f]{12}, now [0-9a-f]{12}\): services\[1\]\.port: 7001 → 7010; bump the version$/);
  });

  it('needs an approval for another version, from the lock to the current one, saying how', () => {
    const v2 = content(spec('1.1.0', [7000, 7010]));
    const judgement = judgeContract(asJournaled(v1), v2);
    expect(judgement).toEqual({
      kind: 'new-version',
      from: { version: '1.0.0', hash: v1.hash },
      to: { version: '1.1.0', hash: v2.hash },
      changes: ['version: "1.0.0" → "1.1.0"', 'services[1].port: 7001 → 7010'],
    });
    if (judgement.kind !== 'new-version') throw new Error('expected new-version');
    expect(refusalMessage(CONTRACT_LOCK, judgement, v1, v2)).toContain('evident contract approve --reason TEXT');
  });

  it('does not take the redacted secrets of the journaled lock for changes', () => {
    const locked = content(spec('1.0.0', [7000, 7001], { API_TOKEN: 'tok-1' }));
    const changed = content(spec('1.0.0', [7000, 7010], { API_TOKEN: 'tok-1' }));
    expect(judgeContract(asJournaled(locked), changed)).toEqual({ kind: 'drift', changes: ['services[1].port: 7001 → 7010'] });
  });

  it('still refuses, and says why, when only a secret changed (the journal cannot show which)', () => {
    const locked = content(spec('1.0.0', [7000, 7001], { API_TOKEN: 'tok-1' }));
    const changed = content(spec('1.0.0', [7000, 7001], { API_TOKEN: 'tok-2' }));
    const judgement = judgeContract(asJournaled(locked), changed);
    expect(judgement.kind).toBe('drift');
    expect(judgement.kind === 'drift' && judgement.changes).toEqual([expect.stringMatching(/^a value redacted as secret changed/)]);
    expect(JSON.stringify(judgement)).not.toContain('tok-');
  });
});

describe('lockFrom', () => {
  it('is null without a lock record, and the latest lock or approval otherwise', () => {
    const v1 = content(spec('1.0.0', [7000]));
    const v2 = content(spec('1.1.0', [7001]));
    expect(lockFrom(CONTRACT_LOCK, [record('operator.start', { services: ['a'] })])).toBeNull();
    const locked = record('contract.locked', { name: 'demo', version: v1.version, hash: v1.hash, spec: v1.spec }, 'bob');
    expect(lockFrom(CONTRACT_LOCK, [locked])).toEqual({ name: 'demo', version: '1.0.0', hash: v1.hash, spec: v1.spec, locked_at: locked.event_time, record_id: locked.id });
    const approval = record('operator.contract-approval', { name: 'demo', from: { version: v1.version, hash: v1.hash }, to: { version: v2.version, hash: v2.hash }, spec: v2.spec, reason: 'new port' });
    expect(lockFrom(CONTRACT_LOCK, [locked, approval, record('supervisor.stop', {})])).toMatchObject({ version: '1.1.0', hash: v2.hash, approved_by: 'alice', reason: 'new port', record_id: approval.id });
  });

  it("keeps the contract's lock and the pipeline's apart", () => {
    const contractLock = record('contract.locked', { name: 'demo', version: '1.0.0', hash: 'a'.repeat(64), spec: {} });
    const pipelineLock = record('pipeline.locked', { name: 'phase 3', version: '2.0.0', hash: 'b'.repeat(64), spec: {} });
    expect(lockFrom(CONTRACT_LOCK, [contractLock, pipelineLock])).toMatchObject({ version: '1.0.0' });
    expect(lockFrom(PIPELINE_LOCK, [contractLock, pipelineLock])).toMatchObject({ name: 'phase 3', version: '2.0.0' });
    expect(lockFrom(PIPELINE_LOCK, [contractLock])).toBeNull();
  });

  it('names the pipeline and how to approve it in a refusal', () => {
    const pipeline = (cycles: number, version = '1.0.0') => ({ name: 'phase 3', version, gates: [{ id: 'gate1', parameters: { cycles } }] });
    const as = (p: ReturnType<typeof pipeline>): ContractContent => ({ name: p.name, version: p.version, hash: canonicalSha256(p), spec: p });
    const drift = judgeContract(as(pipeline(10)), as(pipeline(1)));
    expect(drift).toEqual({ kind: 'drift', changes: ['gates[0].parameters.cycles: 10 → 1'] });
    if (drift.kind !== 'drift') throw new Error('expected drift');
    expect(refusalMessage(PIPELINE_LOCK, drift, as(pipeline(10)), as(pipeline(1)))).toMatch(/^pipeline "phase 3" changed under version 1\.0\.0 .*gates\[0\]\.parameters\.cycles: 10 → 1; bump the version$/);
    const next = judgeContract(as(pipeline(10)), as(pipeline(1, '1.1.0')));
    if (next.kind !== 'new-version') throw new Error('expected a new version');
    expect(refusalMessage(PIPELINE_LOCK, next, as(pipeline(10)), as(pipeline(1, '1.1.0')))).toContain('evident pipeline approve --reason TEXT');
  });
});

describe('approvalKey', () => {
  it('is one key per contract and lock approved from, so a roll-back to an approved version is a new approval', () => {
    const v1 = { version: '1.0.0', hash: 'a'.repeat(64) };
    const v2 = { version: '1.1.0', hash: 'b'.repeat(64) };
    expect(approvalKey(CONTRACT_LOCK, v2, v1)).toBe(approvalKey(CONTRACT_LOCK, v2, v1));
    expect(approvalKey(CONTRACT_LOCK, v1, null)).not.toBe(approvalKey(CONTRACT_LOCK, v1, v2));
    expect(approvalKey(CONTRACT_LOCK, v1, null)).toBe(`contract-approval:1.0.0:${'a'.repeat(64)}`);
  });
});
