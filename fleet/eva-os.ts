// `node eva-os.ts` (cwd fleet/), as the boot contract runs it: plans and performs actions with memory-engine and openclaw.
// Stop signals are caught before the service's modules load (tens of ms), so even an early
// SIGTERM ends in exit 0; then the service itself, in eva-os/, starts.
import { catchShutdownSignals } from './lib/shutdown-signals.ts';

catchShutdownSignals();
await import('./eva-os/service.ts');
