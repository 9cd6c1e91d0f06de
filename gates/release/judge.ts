// The release's verdict, from its `release.gate` records: one per gate before it, naming
// the run whose evidence stands for that gate and the SHA-256 of that run's signed
// manifest. The release passes only when every one of them passed (verified), in full (no
// trial), under the contract and the pipeline the release itself ran under. Pure.
import type { Judge, Verdict } from '../../src/evidence/judge-registry.ts';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';

export function judgeRelease(records: readonly JournalRecord[], criteria: Record<string, unknown>): Verdict {
  const start = records.find((r) => r.type === 'run.start');
  const required = Array.isArray(criteria.gates) ? (criteria.gates as string[]) : [];
  const contractHash = start?.contract.hash ?? null;
  const pipeline = start?.payload.pipeline as { hash?: unknown } | undefined;
  const pipelineHash = typeof pipeline?.hash === 'string' ? pipeline.hash : null;
  const listed = records.filter((r) => r.type === 'release.gate').map((r) => r.payload);
  const reasons: string[] = [];
  // Without its own start record the release has no contract: nothing can match it (a
  // missing hash must not equal an entry's missing hash).
  if (contractHash === null) reasons.push('the release has no run.start record: there is no contract to hold its gates to');
  else if (pipelineHash === null) reasons.push('the release names no pipeline: there is no pipeline to hold its gates to');
  const gates = required.map((gate) => {
    const entry = listed.find((p) => p.gate === gate);
    const runId = typeof entry?.run_id === 'string' ? entry.run_id : null;
    let problem: string | null = null;
    if (!entry || runId === null) problem = `${gate} has no passing run`;
    else if (entry.status !== 'PASSED') problem = `${gate} is ${String(entry.status)} (run ${runId})`;
    else if (entry.trial === true) problem = `${gate} passed only as a trial (run ${runId})`;
    else if (contractHash !== null && entry.contract_hash !== contractHash) problem = `${gate}'s run ${runId} ran under another contract`;
    else if (pipelineHash !== null && entry.pipeline_hash !== pipelineHash) problem = `${gate}'s run ${runId} ran under another pipeline`;
    else if (typeof entry.manifest_sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(entry.manifest_sha256)) problem = `${gate}'s run ${runId} has no signed manifest to pin`;
    if (problem) reasons.push(problem);
    const manifest = typeof entry?.manifest_sha256 === 'string' ? entry.manifest_sha256 : null;
    return { gate, run_id: runId, manifest_sha256: manifest, ok: problem === null };
  });
  if (required.length === 0) reasons.push('the release lists no gates');
  const ended = records.some((r) => r.type === 'run.end');
  if (!ended) reasons.unshift('the run has no end record: its runner stopped before it finished');
  return {
    status: !ended ? 'INTERRUPTED' : reasons.length > 0 ? 'FAILED' : 'PASSED',
    contract_hash: contractHash,
    pipeline_hash: pipelineHash,
    gates,
    reasons,
  };
}

export const releaseJudge: Judge = { kind: 'release', title: 'Release', judge: judgeRelease };
