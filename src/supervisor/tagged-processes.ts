// Which processes carry this fleet's tag (EVIDENT_FLEET) in their environment, and for
// which service (EVIDENT_SERVICE). One environment read per process, all at once: the
// host may have hundreds of processes, and a stop waits on this.
import type { ProcessInfo } from '../platform/platform.ts';
import type { SupervisorContext } from './supervisor-context.ts';

export async function findTagged(context: SupervisorContext, table: readonly ProcessInfo[]): Promise<Map<number, string | null>> {
  const { platform, paths } = context;
  const candidates = table.filter((p) => p.state !== 'Z' && p.pid !== process.pid && p.argv.length > 0);
  const tags = await Promise.all(candidates.map((p) => platform.readEnvironmentVariable(p.pid, 'EVIDENT_FLEET')));
  const tagged = new Map<number, string | null>();
  const ours = candidates.filter((_, i) => tags[i] === paths.fleetTag);
  const services = await Promise.all(ours.map((p) => platform.readEnvironmentVariable(p.pid, 'EVIDENT_SERVICE')));
  ours.forEach((p, i) => tagged.set(p.pid, services[i] ?? null));
  return tagged;
}
