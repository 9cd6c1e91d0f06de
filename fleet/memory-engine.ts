// `node memory-engine.ts` (cwd fleet/), as the boot contract runs it: sessions and memories in SQLite on disk.
// Stop signals are caught before the service's modules load (tens of ms), so even an early
// SIGTERM ends in exit 0; then the service itself, in memory-engine/, starts.
import { catchShutdownSignals } from './lib/shutdown-signals.ts';

catchShutdownSignals();
await import('./memory-engine/service.ts');
