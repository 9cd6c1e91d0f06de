// The one place that picks the platform implementation, and the one place that reads
// EVIDENT_CGROUPS: `off` runs without service cgroups (docs/supervision.md).
import { createLinuxPlatform } from './linux.ts';
import type { Platform } from './platform.ts';
import { createWindowsPlatform } from './windows.ts';

let current: Platform | null = null;

export function currentPlatform(): Platform {
  if (current) return current;
  if (process.platform === 'win32') current = createWindowsPlatform();
  else if (process.platform === 'linux') current = createLinuxPlatform('/proc', { cgroups: process.env.EVIDENT_CGROUPS !== 'off' });
  else throw new Error(`evident supervises services on Linux and Windows; ${process.platform} is not supported yet`);
  return current;
}
