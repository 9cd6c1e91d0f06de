// The release as the engine sees it: never a trial; its run records, for every gate before
// it, the run whose evidence stands for that gate — pinned by the SHA-256 of that run's
// signed manifest, under the contract and pipeline hashes it ran under — and its judge
// checks them.
import type { GateKind, GatePlan } from '../gate-kind.ts';
import { releaseJudge } from './judge.ts';

export const releaseKind: GateKind = {
  kind: 'release',
  judge: releaseJudge,
  plan(gate, overrides, pipeline): GatePlan {
    if (Object.keys(overrides).length > 0) return { ok: false, problem: 'a release takes no --cycles, --duration or --interval: it is never a trial' };
    const index = pipeline.gates.findIndex((g) => g.id === gate.id);
    return { ok: true, parameters: {}, criteria: { gates: pipeline.gates.slice(0, index).map((g) => g.id) }, trial: false };
  },
  async run(ctx) {
    for (const state of ctx.states) {
      if (state.gate.id === ctx.gate.id) break;
      const run = state.run;
      await ctx.run.record({
        type: 'release.gate',
        payload: {
          gate: state.gate.id,
          run_id: run?.run_id ?? null,
          status: state.status,
          trial: state.trial,
          contract_hash: run?.contract_hash ?? null,
          pipeline_hash: run?.pipeline_hash ?? null,
          // The run's seal: a reviewer finds the very evidence this release stood on.
          manifest_sha256: run?.verification?.manifest_sha256 ?? null,
          ...(state.unverified === null ? {} : { unverified: state.unverified }),
        },
      });
    }
    return { stoppedEarly: null };
  },
};
