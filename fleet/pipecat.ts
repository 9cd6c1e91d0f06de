// `node pipecat.ts` (cwd fleet/), as the boot contract runs it: frames model-router's token stream into speakable frames.
// Stop signals are caught before the service's modules load (tens of ms), so even an early
// SIGTERM ends in exit 0; then the service itself, in pipecat/, starts.
import { catchShutdownSignals } from './lib/shutdown-signals.ts';

catchShutdownSignals();
await import('./pipecat/service.ts');
