// What the console says about who controls the fleet: the header line while another
// process holds it, and the note a refused service key leaves in the footer.
import { holderLabel, type FleetControl } from '../src/supervisor/fleet-lock-watch.ts';

/** The header's line about the fleet lock; null while this console controls the fleet. */
export function controlLine(control: FleetControl): string | null {
  switch (control.kind) {
    case 'controlling':
      return null;
    case 'handing-over':
      return `handing the fleet to the ${control.purpose}… · read-only`;
    case 'following': {
      const who = `fleet held by ${holderLabel(control.holder)} (pid ${control.holder.pid})`;
      // A runner gone mid-run leaves the fleet to its guard for a while: the console waits.
      return control.alive ? `${who} · read-only` : `${who}: runner gone`;
    }
    default: {
      const unknown: never = control;
      throw new Error(`unknown fleet control: ${JSON.stringify(unknown)}`);
    }
  }
}

/** Who has the fleet instead of this console, in a few words (`gate1 run …`, `the gate1 runner`); null while this console controls it. */
export function fleetHolder(control: FleetControl): string | null {
  switch (control.kind) {
    case 'controlling':
      return null;
    case 'handing-over':
      return `the ${control.purpose}`;
    case 'following':
      return holderLabel(control.holder);
    default: {
      const unknown: never = control;
      throw new Error(`unknown fleet control: ${JSON.stringify(unknown)}`);
    }
  }
}

/** Why a service key did nothing; null when this console controls the fleet. */
export function serviceKeysOff(control: FleetControl): string | null {
  const holder = fleetHolder(control);
  return holder === null ? null : `service keys off: ${holder} holds the fleet`;
}
