// What a service inherits of evident's own environment: all of it (the default), none
// (`inherit_env: false`), or only the variables it names. An operator's shell carries
// tokens and credentials a service has no business seeing; a contract that names what
// its services need also starts them the same way from any shell, cron or CI.
import type { ResolvedService } from '../contract/contract.ts';
import { sameEnvName } from '../platform/env-names.ts';

export function inheritedEnvironment(service: Pick<ResolvedService, 'inherit_env'>, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const inherit = service.inherit_env ?? true;
  if (inherit === true) return { ...base };
  if (inherit === false) return {};
  return Object.fromEntries(Object.entries(base).filter(([name]) => inherit.some((wanted) => sameEnvName(name, wanted))));
}
