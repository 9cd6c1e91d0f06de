// The one module of systeminformation the console needs. Its package entry loads every
// module it has (graphics, network, docker, …: ~4 MB of the console's memory) for one
// reading of /proc/meminfo; lib/memory.js is that reading alone, with the same API.
declare module 'systeminformation/lib/memory.js' {
  import type { Systeminformation } from 'systeminformation';
  export function mem(): Promise<Systeminformation.MemData>;
}
