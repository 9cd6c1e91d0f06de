// The real demo contract, moved to other ports (70xx → 270xx) so tests never collide with
// a demo fleet someone is running, written into a temp folder with absolute paths.
// Other shifts keep concurrent test files apart; fault tests switch the faults control on.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './run-cli.ts';

export const PORT_SHIFT = 20000;

/** `shift` moves every port (7000 + shift, …); `env` is added to every service's environment. */
export function writeShiftedDemoContract(dir: string, options: { shift?: number; env?: Record<string, string> } = {}): { path: string; ports: number[] } {
  const shift = options.shift ?? PORT_SHIFT;
  const text = readFileSync(resolve(ROOT, 'contracts/boot-contract.json'), 'utf8');
  const shifted = text.replace(/\b(70[0-5]\d)\b/g, (port) => String(Number(port) + shift));
  const contract = JSON.parse(shifted) as { $schema?: string; services: { cwd: string; port: number; env?: Record<string, string> }[] };
  delete contract.$schema;
  for (const service of contract.services) {
    service.cwd = resolve(ROOT, 'contracts', service.cwd);
    if (options.env) service.env = { ...service.env, ...options.env };
  }
  const path = join(dir, 'demo-contract.json');
  writeFileSync(path, JSON.stringify(contract, null, 2));
  return { path, ports: contract.services.map((s) => s.port) };
}
