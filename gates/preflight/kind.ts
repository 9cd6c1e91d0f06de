// The prerequisites as the engine sees them: one record per observation, judged against
// the gate's minimums and the pipeline's required environment. Nothing to shorten.
import type { GateKind, GatePlan } from '../gate-kind.ts';
import { judgeCheck, preflightJudge, type PreflightCriteria } from './judge.ts';
import { observePreflight } from './observe.ts';

export const preflightKind: GateKind = {
  kind: 'preflight',
  judge: preflightJudge,
  plan(gate, overrides, pipeline): GatePlan {
    if (gate.kind !== 'preflight') return { ok: false, problem: `${gate.id} is not a preflight gate` };
    if (Object.keys(overrides).length > 0) return { ok: false, problem: `${gate.id} takes no --cycles, --duration or --interval` };
    return {
      ok: true,
      parameters: { ...gate.parameters },
      criteria: { min_node_major: gate.parameters.min_node_major, min_free_disk_mb: gate.parameters.min_free_disk_mb, environment: { ...pipeline.spec.environment } },
      trial: false,
    };
  },
  async run(ctx) {
    const observations = await observePreflight({
      context: ctx.context,
      artifactsDir: ctx.artifactsDir,
      environment: ctx.pipeline.spec.environment,
      env: process.env,
    });
    for (const payload of observations) await ctx.run.record({ type: 'preflight.check', payload });
    const checks = observations.map((payload) => judgeCheck(payload, ctx.criteria as unknown as PreflightCriteria));
    const failed = checks.filter((c) => !c.ok);
    ctx.progress(`${checks.length} checks recorded, ${failed.length} failed`);
    // The diagnostic an operator reads first: every check, failures with what to do.
    const lines = [
      `# ${ctx.gate.title}: ${failed.length === 0 ? 'every check passed' : `${failed.length} of ${checks.length} checks failed`}`,
      `# run ${ctx.run.id}, ${new Date().toISOString()}`,
      ...checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.check.padEnd(11)} ${c.message}`),
    ];
    const report = ctx.run.attach('report', 'txt', `${lines.join('\n')}\n`);
    if (failed.length > 0) ctx.progress(`diagnostic: ${report}`);
    return { stoppedEarly: null };
  },
};
