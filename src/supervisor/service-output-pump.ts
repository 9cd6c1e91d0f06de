// The output pump: reads what one service prints into its FIFO (service-fifo.ts), masks
// the secrets in it, and appends it to the service's bounded log (rotating-log.ts). Only
// the process that controls the fleet runs pumps, one per service, so each byte is read
// once. The FIFO is read as a libuv pipe (net.Socket on the descriptor): no thread-pool
// thread waits on it, and the socket is unref'd, so a pump never keeps a process alive.
// The pump reads only as fast as it writes: a service printing faster waits on its pipe
// (back-pressure), its output is never dropped, and the log stays bounded even mid-burst.
//
// Masking works on whole lines (redactText, plus the contract's own secret values by
// value): a partial line is carried until its newline, up to MAX_PARTIAL_LINE_BYTES,
// past which it is written as it is. A line ends with its newline, and a newline byte
// never stands inside a multi-byte character, so no character is cut.
import { readSync } from 'node:fs';
import { Socket } from 'node:net';
import { maskKnownValues } from '../redaction/known-values.ts';
import { redactText } from '../redaction/redact.ts';
import { RotatingLog } from './rotating-log.ts';
import { openFifoForReading } from './service-fifo.ts';

export const MAX_PARTIAL_LINE_BYTES = 64 * 1024;
const NEWLINE = 0x0a;
const EMPTY = Buffer.alloc(0);

export interface OutputPumpOptions {
  /** The service's FIFO. */
  fifo: string;
  /** The service's log (`<service>.log`; `.1` beside it). */
  log: string;
  /** Each log file's limit in bytes. */
  limitBytes: number;
  /** Values masked wherever they appear (secretValuesOf the contract's env). */
  secrets: readonly string[];
  /** A write that failed (a full disk, something in the log's place): that output is lost, the service goes on. */
  onError: (message: string) => void;
}

export class OutputPump {
  /** Resolves once the pump has stopped: the FIFO's writers all closed it (EOF), or close() was called. */
  readonly ended: Promise<void>;
  /** True after EOF: every process that held the FIFO for writing has closed it. */
  sawEnd = false;
  private readonly options: OutputPumpOptions;
  private readonly fd: number;
  private readonly socket: Socket;
  private readonly log: RotatingLog;
  private carry: Buffer = EMPTY;
  /** True while the last byte written was not a newline. */
  private midLine = false;
  private open = true;
  private lastError: string | null = null;

  constructor(options: OutputPumpOptions) {
    this.options = options;
    this.log = new RotatingLog(options.log, options.limitBytes);
    this.fd = openFifoForReading(options.fifo);
    this.socket = new Socket({ fd: this.fd, readable: true, writable: false });
    let closed: () => void = () => {};
    this.ended = new Promise((resolve) => (closed = resolve));
    this.socket.on('readable', () => this.pull());
    this.socket.on('end', () => {
      this.sawEnd = true;
      this.finish();
    });
    this.socket.on('error', (error) => {
      this.fail(`reading the output pipe failed: ${error.message}`);
      this.finish();
    });
    this.socket.on('close', () => closed());
    this.socket.unref();
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** One line of evident's own (the start banner), on a line of its own after everything read so far; masked as the rest. */
  note(line: string): void {
    this.drainNow();
    this.writeMasked(Buffer.from(`${this.midLine ? '\n' : ''}${line}\n`));
  }

  /**
   * Everything the service has printed until now is in the log when this returns: what
   * the socket holds, then what waits in the pipe, read at once. (A start that failed
   * reads the log's tail right after.) The partial line stays carried.
   */
  drainNow(): void {
    if (!this.open) return;
    this.pull();
    const buffer = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      let read: number;
      try {
        read = readSync(this.fd, buffer, 0, buffer.length, null);
      } catch (error) {
        // EAGAIN: the pipe is empty.
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') this.fail(`reading the output pipe failed: ${(error as Error).message}`);
        return;
      }
      if (read === 0) return;
      this.take(Buffer.from(buffer.subarray(0, read)));
    }
  }

  /** Drains, writes the partial line, closes the log and the pipe; resolves once the descriptor is closed. */
  close(): Promise<void> {
    this.drainNow();
    this.finish();
    return this.ended;
  }

  private pull(): void {
    if (!this.open) return;
    for (let chunk = this.socket.read() as Buffer | null; chunk !== null; chunk = this.socket.read() as Buffer | null) this.take(chunk);
  }

  private take(chunk: Buffer): void {
    let data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const lastNewline = data.lastIndexOf(NEWLINE);
    if (lastNewline !== -1) {
      this.writeMasked(data.subarray(0, lastNewline + 1));
      data = data.subarray(lastNewline + 1);
    }
    if (data.length >= MAX_PARTIAL_LINE_BYTES) {
      this.writeMasked(data);
      data = EMPTY;
    }
    this.carry = data.length > 0 ? Buffer.from(data) : EMPTY;
  }

  private writeMasked(bytes: Buffer): void {
    if (bytes.length === 0) return;
    const text = bytes.toString('utf8');
    const masked = redactText(maskKnownValues(text, this.options.secrets));
    // Unchanged text is written as read (bytes that are not UTF-8 stay as they were).
    const out = masked === text ? bytes : Buffer.from(masked);
    try {
      this.log.write(out);
      this.midLine = out[out.length - 1] !== NEWLINE;
      this.lastError = null;
    } catch (error) {
      this.log.close();
      this.fail(`writing the log failed: ${(error as Error).message}`);
    }
  }

  /** Reports a failure once, not once per chunk, until a write succeeds again. */
  private fail(message: string): void {
    if (message === this.lastError) return;
    this.lastError = message;
    this.options.onError(message);
  }

  private finish(): void {
    if (!this.open) return;
    this.pull();
    const partial = this.carry;
    this.carry = EMPTY;
    this.writeMasked(partial);
    this.open = false;
    this.log.close();
    this.socket.destroy();
  }
}
