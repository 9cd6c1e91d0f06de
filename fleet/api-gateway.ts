// `node api-gateway.ts` (cwd fleet/), as the boot contract runs it: the public front door to the other five.
// Stop signals are caught before the service's modules load (tens of ms), so even an early
// SIGTERM ends in exit 0; then the service itself, in api-gateway/, starts.
import { catchShutdownSignals } from './lib/shutdown-signals.ts';

catchShutdownSignals();
await import('./api-gateway/service.ts');
