// `node model-router.ts` (cwd fleet/), as the boot contract runs it: routes prompts to toy models, streams completions.
// Stop signals are caught before the service's modules load (tens of ms), so even an early
// SIGTERM ends in exit 0; then the service itself, in model-router/, starts.
import { catchShutdownSignals } from './lib/shutdown-signals.ts';

catchShutdownSignals();
await import('./model-router/service.ts');
