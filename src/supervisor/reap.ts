// Reaping: ending leftovers that are proven ours (ownership.ts: the service's cgroup,
// recorded identity, the service's group or session, our tag), proven again right before
// the signal. Anything else is never touched. Cgroups left empty are removed afterwards.
import { DEFAULT_STOP_SIGNAL } from '../contract/service-signals.ts';
import type { ProcessInfo } from '../platform/platform.ts';
import type { Leftover } from '../telemetry/fleet-snapshot.ts';
import { provenOurs } from './proven-ours.ts';
import { removeEmptyCgroups } from './service-cgroup.ts';
import { dropSpentPidFiles } from './spent-pid-file.ts';
import { emitNow, type SupervisorContext } from './supervisor-context.ts';
import { commandLineText } from '../platform/command-line-text.ts';

const GRACE_MS = 2000;

export async function reapLeftovers(context: SupervisorContext, leftovers: readonly Leftover[]): Promise<ProcessInfo[]> {
  const candidates = leftovers.filter((l) => l.ours && l.pid !== null && l.kind !== 'defunct').map((l) => l.pid as number);
  // Proven again now, on a fresh table: a pid may have ended and been reused since the check.
  const ours = await provenOurs(context, candidates);
  const targets = [...ours.values()].filter((o) => o.info.state !== 'Z').map((o) => o.info);
  // Each asked to stop with its service's stop_signal (SIGTERM when the service is not known), once.
  const bySignal = new Map<NodeJS.Signals, ProcessInfo[]>();
  for (const info of targets) {
    const service = leftovers.find((l) => l.pid === info.pid)?.service;
    const signal = context.contract.services.find((s) => s.name === service)?.stop_signal ?? DEFAULT_STOP_SIGNAL;
    bySignal.set(signal, [...(bySignal.get(signal) ?? []), info]);
  }
  if (targets.length === 0) return [];
  for (const [signal, group] of bySignal) await context.platform.requestStop(null, group, signal);
  const deadline = performance.now() + GRACE_MS;
  let alive = targets;
  while (alive.length > 0 && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
    alive = await stillAlive(context, alive);
  }
  if (alive.length > 0) {
    await context.platform.forceKill(null, alive);
    const killDeadline = performance.now() + GRACE_MS;
    while (alive.length > 0 && performance.now() < killDeadline) {
      await new Promise((r) => setTimeout(r, 10));
      alive = await stillAlive(context, alive);
    }
  }
  for (const target of targets) emitNow(context, { type: 'reaped', pid: target.pid, command: commandLineText(target.argv) });
  // What a pid file of a service that had ended proved ours is gone now: so is the file.
  await dropSpentPidFiles(context);
  await removeEmptyCgroups(context);
  return targets;
}

async function stillAlive(context: SupervisorContext, targets: ProcessInfo[]): Promise<ProcessInfo[]> {
  const alive: ProcessInfo[] = [];
  for (const target of targets) {
    const now = await context.platform.readProcess(target.pid);
    if (now && now.state !== 'Z' && now.startToken === target.startToken) alive.push(target);
  }
  return alive;
}
