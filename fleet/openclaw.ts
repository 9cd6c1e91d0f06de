// `node openclaw.ts` (cwd fleet/), as the boot contract runs it: runs allowlisted tools in a worker child process.
// Stop signals are caught before the service's modules load (tens of ms), so even an early
// SIGTERM ends in exit 0; then the service itself, in openclaw/, starts.
import { catchShutdownSignals } from './lib/shutdown-signals.ts';

catchShutdownSignals();
await import('./openclaw/service.ts');
