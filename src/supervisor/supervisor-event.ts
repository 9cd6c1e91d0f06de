// What the supervisor reports as it works. The console, the plain headless reporter
// and (with the evidence core) the journal are all fed from this one stream.
import type { LeftoverEvidenceJson } from './leftover-evidence-json.ts';

export type SupervisorEvent =
  | { type: 'start'; service: string; pid: number; command: string }
  | { type: 'ready'; service: string; pid: number; bootMs: number; probe: string }
  | { type: 'start-failed'; service: string; reason: string; logTail: string[] }
  | { type: 'adopt'; service: string; pid: number }
  | { type: 'adopt-refused'; service: string; pid: number; reason: string }
  | { type: 'stop'; service: string; pid: number | null; signalled: number[] }
  | { type: 'stopped'; service: string; graceful: boolean; durationMs: number }
  /**
   * Still alive at the stop timeout, so killed: the service's own process (`root`, null
   * when it had already exited) and any descendant that outlived it — an orphan it left.
   */
  | { type: 'kill'; service: string; pids: number[]; afterMs: number; root: number | null; processes: { pid: number; ppid: number; command: string }[] }
  | { type: 'refused-signal'; service: string; pid: number; reason: string }
  | { type: 'exited'; service: string; pid: number; code: number | null; signal: string | null }
  | { type: 'followed'; service: string; from: number; to: number; command: string }
  | { type: 'leftover'; kind: string; service: string | null; pid: number | null; ppid: number | null; command: string; port: number | null }
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
      return `${event.service}: healthy in ${event.bootMs} ms (${event.probe})`;
    case 'start-failed':
      return `${event.service}: failed to start: ${event.reason}`;
    case 'adopt':
      return `${event.service}: adopted running pid ${event.pid}`;
    case 'adopt-refused':
      return `${event.service}: not adopting pid ${event.pid}: ${event.reason}`;
    case 'stop':
      return `${event.service}: stopping${event.pid ? ` pid ${event.pid}` : ''} (signalled ${event.signalled.join(', ') || 'nothing'})`;
    case 'stopped':
      return `${event.service}: stopped ${event.graceful ? 'gracefully' : 'by force'} in ${event.durationMs} ms`;
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
    case 'leftover':
      return `leftover ${event.kind}: pid ${event.pid ?? '?'} ppid ${event.ppid ?? '?'}${event.port ? ` port ${event.port}` : ''}${event.service ? ` (${event.service})` : ''}: ${event.command}`;
    case 'reaped':
      return `reaped pid ${event.pid}: ${event.command}`;
    case 'leftover-check':
      return `leftover check: ${event.found} found among ${event.evidence.table.length} processes and ${event.evidence.listeners.length} contract-port listeners`;
    default:
      throw new Error(`unknown event ${(event as { type: string }).type}`);
  }
}
