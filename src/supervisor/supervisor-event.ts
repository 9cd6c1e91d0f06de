// What the supervisor reports as it works. The console, the plain headless reporter
// and (with the evidence core) the journal are all fed from this one stream.
import type { ProcessGroup } from '../platform/process-groups.ts';
import type { LeftoverEvidenceJson } from './leftover-evidence-json.ts';
import { reapedWhen } from './unreaped-children.ts';

/**
 * A member of a service (in its tree, a recorded descendant, or carrying its tag) found at
 * the stop outside the service's process group or session: it called setsid or setpgid,
 * so a stop of the group no longer reaches it.
 */
export interface EscapedProcess {
  pid: number;
  ppid: number;
  pgid: number | null;
  sid: number | null;
  /** What it left: its `session` (setsid), or only its `group` (setpgid). */
  left: 'session' | 'group';
  /** Its command line as the OS reported it. */
  command: string;
  /** The contract port it was listening on, or null. */
  port: number | null;
}

export type SupervisorEvent =
  | { type: 'start'; service: string; pid: number; command: string }
  /**
   * Healthy: the first passing probe after the start. `port_holder` (where the probe asks
   * the service's own port on this host): the pids of the service's tree holding the port,
   * or why its holder cannot be seen; absent where not checked (an exec probe, another port
   * or host, records written before the check existed).
   */
  | {
      type: 'ready';
      service: string;
      pid: number;
      bootMs: number;
      probe: string;
      port_holder?: { status: 'service'; pids: number[] } | { status: 'unknown'; why: string };
    }
  | { type: 'start-failed'; service: string; reason: string; logTail: string[] }
  | { type: 'adopt'; service: string; pid: number }
  | { type: 'adopt-refused'; service: string; pid: number; reason: string }
  /**
   * A graceful stop was asked for: `signal` (the contract's stop_signal; absent in records
   * written before it existed, which were SIGTERM) sent once to the process group `group`
   * (the service's own process leads it) and once to each other pid in `signalled` outside it.
   */
  | {
      type: 'stop';
      service: string;
      pid: number | null;
      signalled: number[];
      signal?: string;
      group?: number | null;
      /** Each process the stop request could not be made to, and why (POSIX: EPERM; Windows: no CTRL_BREAK). */
      undelivered?: { pid: number; reason: string }[];
    }
  /**
   * `evident reload` (or the console's key): the service's reload_signal sent once to the
   * group its process leads (`group`, with the pids in it at the time in `reached`) or to
   * its pid alone; or, with `refused` set, not sent (not running, not proven ours).
   */
  | { type: 'reload'; service: string; pid: number | null; signal: string; group: number | null; reached: number[]; refused: string | null }
  | {
      type: 'stopped';
      service: string;
      graceful: boolean;
      durationMs: number;
      /** How the service's own process ended (one of the two set), seen by evident as its parent. */
      exit_code: number | null;
      exit_signal: string | null;
      /**
       * False when evident could not see the exit: it is not the process's parent (a `down`
       * from another process, an adopted service, a followed self-daemonized one). Both
       * fields above are null then: not observed, which is not a non-zero exit.
       */
      exit_observed: boolean;
      /** True when nothing of the service was running to stop (it had crashed, or exited during startup). */
      already_ended?: boolean;
      /** Why the service's own process never got the stop request: it was killed at once, not waited for. */
      graceful_request_failed?: string;
      /** The service's process group and session, that its members are held to. */
      group: ProcessGroup;
      /** Members found outside them: each one a finding, whether it then obeyed the stop or was killed. */
      escaped: EscapedProcess[];
    }
  /**
   * Still alive at the stop timeout, so killed: the service's own process (`root`, null
   * when it had already exited) and any descendant that outlived it — an orphan it left.
   */
  | { type: 'kill'; service: string; pids: number[]; afterMs: number; root: number | null; processes: { pid: number; ppid: number; command: string }[] }
  | { type: 'refused-signal'; service: string; pid: number; reason: string }
  | { type: 'exited'; service: string; pid: number; code: number | null; signal: string | null }
  | { type: 'followed'; service: string; from: number; to: number; command: string }
  /** The service ended on its own and its restart policy starts it again after `delay_ms`: the `attempt`-th restart in the policy's window. */
  | { type: 'restart-scheduled'; service: string; policy: string; after: string; attempt: number; delay_ms: number }
  /** The service ended on its own and is not started again: the policy's limit was reached (`gave_up`), or a restart could not be made. */
  | { type: 'restart-refused'; service: string; policy: string; after: string; reason: string; gave_up: boolean }
  /** The service's own process (same pid, same start time) runs another command line than the one recorded: it exec'd or renamed itself. */
  | { type: 'command-changed'; service: string; pid: number; from: string; to: string }
  /** A finding of the leftover check; `awaited_by`: a running service's defunct child, and the parent that has to wait for it. */
  | { type: 'leftover'; kind: string; service: string | null; pid: number | null; ppid: number | null; command: string; port: number | null; awaited_by?: { service: string; pid: number } }
  | { type: 'reaped'; pid: number; command: string }
  /** The leftover check ran: its raw evidence, so a journal can re-judge it later. */
  | { type: 'leftover-check'; found: number; evidence: LeftoverEvidenceJson };

export type EventSink = (event: SupervisorEvent & { at: number }) => void;

/** One plain line per event, for terminals that are not a TUI and for logs. */
export function describeEvent(event: SupervisorEvent): string {
  switch (event.type) {
    case 'start':
      return `${event.service}: started pid ${event.pid}: ${event.command}`;
    case 'ready':
      return `${event.service}: healthy in ${event.bootMs} ms (${event.probe})${event.port_holder?.status === 'unknown' ? `; port holder unknown: ${event.port_holder.why}` : ''}`;
    case 'start-failed':
      return `${event.service}: failed to start: ${event.reason}`;
    case 'adopt':
      return `${event.service}: adopted running pid ${event.pid}`;
    case 'adopt-refused':
      return `${event.service}: not adopting pid ${event.pid}: ${event.reason}`;
    case 'stop':
      return `${event.service}: stopping${event.pid ? ` pid ${event.pid}` : ''}${event.signal ? ` with ${event.signal}` : ''} (signalled ${event.signalled.join(', ') || 'nothing'})${(event.undelivered ?? []).map((u) => `; not sent to pid ${u.pid}: ${u.reason}`).join('')}`;
    case 'reload':
      if (event.refused !== null) return `${event.service}: ${event.signal} not sent: ${event.refused}`;
      return event.group !== null
        ? `${event.service}: sent ${event.signal} to process group ${event.group} (pid ${event.reached.join(', ') || event.group})`
        : `${event.service}: sent ${event.signal} to pid ${event.pid ?? '?'}`;
    case 'stopped': {
      const escaped = event.escaped.length > 0 ? `; ${describeEscapes(event.escaped)}` : '';
      if (event.already_ended === true) return `${event.service}: had already ended (${describeExit(event)}); nothing left to stop${escaped}`;
      const unasked = event.graceful_request_failed ? `; killed at once, the stop request could not be sent: ${event.graceful_request_failed}` : '';
      return `${event.service}: stopped ${event.graceful ? 'gracefully' : 'by force'} in ${event.durationMs} ms (${describeExit(event)})${unasked}${escaped}`;
    }
    case 'kill': {
      const orphans = event.processes.filter((p) => p.pid !== event.root);
      const left = orphans.length > 0 ? `; outlived the service: ${orphans.map((p) => `pid ${p.pid} (${p.command})`).join(', ')}` : '';
      return `${event.service}: killed ${event.pids.join(', ')} after ${event.afterMs} ms${left}`;
    }
    case 'refused-signal':
      return `${event.service}: did not signal pid ${event.pid}: ${event.reason}`;
    case 'exited':
      return `${event.service}: pid ${event.pid} exited${event.code !== null ? ` with code ${event.code}` : ''}${event.signal ? ` on ${event.signal}` : ''}`;
    case 'followed':
      return `${event.service}: pid ${event.from} daemonized itself; following pid ${event.to}: ${event.command}`;
    case 'restart-scheduled':
      return `${event.service}: ended (${event.after}); restart ${event.attempt} in ${formatDelay(event.delay_ms)} (restart policy "${event.policy}")`;
    case 'restart-refused':
      return `${event.service}: ended (${event.after}); not restarted: ${event.reason}`;
    case 'command-changed':
      return `${event.service}: pid ${event.pid} now runs \`${event.to}\` (was \`${event.from}\`): the same process, its command line recorded`;
    case 'leftover':
      return `leftover ${event.kind}: pid ${event.pid ?? '?'} ppid ${event.ppid ?? '?'}${event.port ? ` port ${event.port}` : ''}${event.service ? ` (${event.service})` : ''}: ${event.command}${event.awaited_by ? `; ${reapedWhen({ service: event.awaited_by.service, ppid: event.awaited_by.pid })}` : ''}`;
    case 'reaped':
      return `reaped pid ${event.pid}: ${event.command}`;
    case 'leftover-check':
      return `leftover check: ${event.found} found among ${event.evidence.table_total} processes (${event.evidence.table.length} of them concern the fleet and are recorded; ${event.evidence.others_count} others only counted) and ${event.evidence.listeners.length} contract-port listeners`;
    default:
      throw new Error(`unknown event ${(event as { type: string }).type}`);
  }
}

/** `500 ms`, `2 s`, `1.5 s`. */
function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

/** `exit 0`, `exit code 3`, `ended by SIGTERM`, or that it could not be seen. */
export function describeExit(exit: { exit_code: number | null; exit_signal: string | null; exit_observed: boolean }): string {
  if (!exit.exit_observed) return 'its exit not seen: evident is not its parent';
  if (exit.exit_signal !== null) return `ended by ${exit.exit_signal}`;
  return exit.exit_code === 0 ? 'exit 0' : `exit code ${exit.exit_code ?? '?'}`;
}

function describeEscapes(escaped: readonly EscapedProcess[]): string {
  const list = escaped.map((e) => `pid ${e.pid} (${e.command || 'command unknown'})`).join(', ');
  return `${escaped.length === 1 ? '1 process had' : `${escaped.length} processes had`} left the service's process group or session: ${list}`;
}
