// The real demo contract, moved to other ports (70xx → 270xx) so tests never collide with
// a demo fleet someone is running, written into a temp folder with absolute paths.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './run-cli.ts';

export const PORT_SHIFT = 20000;

export function writeShiftedDemoContract(dir: string): { path: string; ports: number[] } {
  const text = readFileSync(resolve(ROOT, 'contracts/boot-contract.json'), 'utf8');
  const shifted = text.replace(/\b(70[0-5]\d)\b/g, (port) => String(Number(port) + PORT_SHIFT));
  const contract = JSON.parse(shifted) as { $schema?: string; services: { cwd: string; port: number }[] };
  delete contract.$schema;
  for (const service of contract.services) service.cwd = resolve(ROOT, 'contracts', service.cwd);
  const path = join(dir, 'demo-contract.json');
  writeFileSync(path, JSON.stringify(contract, null, 2));
  return { path, ports: contract.services.map((s) => s.port) };
}
