// The console's fleet controller with every operator action recorded first: a key press
// (start, stop, restart, reload, start all, stop all, reap) is on disk in the operator journal
// before the supervisor acts on it; if it cannot be recorded, it is not carried out.
import type { FleetController } from '../supervisor/fleet-controller.ts';

export type RecordAction = (name: string, payload: Record<string, unknown>) => Promise<void>;

export function journaledController(controller: FleetController, record: RecordAction): FleetController {
  const act =
    <A extends unknown[]>(name: string, payload: (...args: A) => Record<string, unknown>, run: (...args: A) => Promise<void>) =>
    async (...args: A): Promise<void> => {
      await record(name, { ...payload(...args), via: 'console' });
      await run(...args);
    };
  const reload = act('reload', (service: string) => ({ services: [service] }), (service) => controller.reload(service));
  return {
    getSnapshot: () => controller.getSnapshot(),
    subscribe: (listener) => controller.subscribe(listener),
    watchLog: (service, lines) => controller.watchLog(service, lines),
    start: act('start', (service: string) => ({ services: [service] }), (service) => controller.start(service)),
    stop: act('stop', (service: string) => ({ services: [service] }), (service) => controller.stop(service)),
    restart: act('restart', (service: string) => ({ services: [service] }), (service) => controller.restart(service)),
    // A reload that can never happen (no reload_signal, no signals here) is refused before anything is recorded.
    reload: async (service: string) => {
      const refusal = controller.reloadRefusal(service);
      if (refusal !== null) throw new Error(refusal);
      await reload(service);
    },
    reloadRefusal: (service) => controller.reloadRefusal(service),
    startAll: act('start-all', () => ({}), () => controller.startAll()),
    stopAll: act('stop-all', () => ({}), () => controller.stopAll()),
    reapOurs: act('reap', () => ({}), () => controller.reapOurs()),
  };
}
