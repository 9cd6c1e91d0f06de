// Reaping: ending leftovers that are proven ours (by identity on record, or by our tag),
// re-checked right before the signal. Anything else is never touched.
import { DEFAULT_STOP_SIGNAL } from '../contract/service-signals.ts';
import type { ProcessInfo } from '../platform/platform.ts';
import type { Leftover } from '../telemetry/fleet-snapshot.ts';
import { knownProcesses } from './known-processes.ts';
import { ownershipOf } from './ownership.ts';
import { emitNow, type SupervisorContext } from './supervisor-context.ts';

const GRACE_MS = 2000;

export async function reapLeftovers(context: SupervisorContext, leftovers: readonly Leftover[]): Promise<ProcessInfo[]> {
  const known = knownProcesses(context.paths);
  const targets: ProcessInfo[] = [];
  // Each asked to stop with its service's stop_signal (SIGTERM when the service is not known), once.
  const bySignal = new Map<NodeJS.Signals, ProcessInfo[]>();
  for (const leftover of leftovers) {
    if (!leftover.ours || leftover.pid === null || leftover.kind === 'defunct') continue;
    if (targets.some((t) => t.pid === leftover.pid)) continue;
    const info = await context.platform.readProcess(leftover.pid);
    if (!info || info.state === 'Z') continue;
    if (!(await ownershipOf(context, info, known)).ours) continue;
    targets.push(info);
    const signal = context.contract.services.find((s) => s.name === leftover.service)?.stop_signal ?? DEFAULT_STOP_SIGNAL;
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
  for (const target of targets) emitNow(context, { type: 'reaped', pid: target.pid, command: target.argv.join(' ') });
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
