// The one place that decides which colour a service state is drawn in.
import type { ServiceState } from '../src/telemetry/fleet-snapshot.ts';

/** Green when running, yellow while changing, red when something is wrong; none when stopped. */
export function stateColor(state: ServiceState): string | undefined {
  switch (state) {
    case 'running':
      return 'green';
    case 'starting':
    case 'stopping':
      return 'yellow';
    case 'failed':
    case 'exited':
    case 'unhealthy':
      return 'red';
    case 'stopped':
      return undefined;
    default: {
      const unknown: never = state;
      throw new Error(`unknown service state: ${String(unknown)}`);
    }
  }
}

/** Ink colour props, or none at all when colours are off (NO_COLOR). */
export function colorProps(colors: boolean, color: string | undefined): { color?: string } {
  return colors && color !== undefined ? { color } : {};
}
