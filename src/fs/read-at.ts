// Reads `length` bytes at `position` of an open file, as many reads as it takes; fewer
// bytes only where the file ends.
import { readSync } from 'node:fs';

export function readAt(fd: number, position: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const read = readSync(fd, bytes, filled, length - filled, position + filled);
    if (read === 0) break;
    filled += read;
  }
  return bytes.subarray(0, filled);
}
