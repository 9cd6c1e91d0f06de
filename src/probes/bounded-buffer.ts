// The bytes a probe reads of a response body or a command's output: at most `limit`, so
// an endpoint that streams forever or a command that prints megabytes costs a probe no
// more than that. Searching is on bytes, from where the last search stopped, so a body
// arriving in many small chunks is not decoded and scanned again for each one.

export class BoundedBuffer {
  readonly limit: number;
  private readonly bytes: Buffer;
  private used = 0;

  constructor(limit: number) {
    this.limit = limit;
    this.bytes = Buffer.alloc(limit);
  }

  get length(): number {
    return this.used;
  }

  /** Nothing more fits: what is kept may be only the start of what was sent. */
  get full(): boolean {
    return this.used === this.limit;
  }

  /** Keeps what fits of `chunk`. */
  append(chunk: Buffer): void {
    const room = this.limit - this.used;
    this.used += chunk.copy(this.bytes, this.used, 0, Math.min(room, chunk.length));
  }

  /** Whether `needle` (as UTF-8) is in what was kept, looking only at bytes from `from` on. */
  includes(needle: string, from = 0): boolean {
    return this.bytes.subarray(0, this.used).includes(needle, Math.max(0, from), 'utf8');
  }

  text(): string {
    return this.bytes.toString('utf8', 0, this.used);
  }
}
