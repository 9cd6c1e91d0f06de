// A service's log as the output pump writes it: appended through a descriptor it owns, and
// never larger than the limit. A write that would pass the limit first renames the log to
// `<log>.1` (replacing the older one) and starts a fresh file, so the log and `.1` together
// hold at most twice the limit at every instant, however fast the service prints. No open
// follows a symbolic link; a rename replaces a link at `.1` itself, never its target.
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { APPEND_NO_FOLLOW } from '../platform/open-flags.ts';

export class RotatingLog {
  private readonly path: string;
  private readonly limitBytes: number;
  private fd: number | null = null;
  private size = 0;

  constructor(path: string, limitBytes: number) {
    this.path = path;
    this.limitBytes = limitBytes;
  }

  /** Appends `bytes`, rotating first (more than once for a piece larger than the limit) so no file passes the limit. */
  write(bytes: Buffer): void {
    let rest = bytes;
    while (rest.length > 0) {
      const fd = this.open();
      if (this.size + rest.length > this.limitBytes && this.size > 0) {
        this.rotate();
        continue;
      }
      const piece = rest.subarray(0, this.limitBytes);
      for (let written = 0; written < piece.length; ) written += writeSync(fd, piece, written);
      this.size += piece.length;
      rest = rest.subarray(piece.length);
    }
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    closeSync(fd);
  }

  /** The open descriptor; a log found already over the limit (left by an earlier writer) is rotated at once. */
  private open(): number {
    if (this.fd !== null) return this.fd;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    this.fd = openSync(this.path, APPEND_NO_FOLLOW, 0o600);
    this.size = fstatSync(this.fd).size;
    if (this.size > this.limitBytes) {
      this.rotate();
      return this.open();
    }
    return this.fd;
  }

  private rotate(): void {
    this.close();
    renameSync(this.path, `${this.path}.1`);
    this.size = 0;
  }
}
