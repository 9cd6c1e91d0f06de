// Where each service of one fleet prints, and who reads it. With serviceOutput 'fifo' the
// fleet's controller runs one output pump per service FIFO (attached when it starts or
// adopts the service, released when it follows another controller or lets the fleet go),
// so exactly one process reads each service's output. A pump that sees EOF (the service
// and everything that held its pipe are gone, or a daemon closed its stdio) is replaced
// at once by a fresh one: a reader that opens a FIFO nobody writes waits quietly for the
// next writer, so a service started again a moment later is read from its first line,
// whichever of its start and the earlier end the event loop sees first.
// With serviceOutput 'file' the child's stdout and stderr are its log file, and there is
// nothing to read here.
import { closeSync } from 'node:fs';
import type { ResolvedService } from '../contract/contract.ts';
import type { Platform } from '../platform/platform.ts';
import { secretValuesOf } from '../redaction/known-values.ts';
import { OutputPump } from './service-output-pump.ts';
import { ensureServiceFifo, fifoPath, hasServiceFifo, openFifoForChild } from './service-fifo.ts';
import { bannerLine, DEFAULT_LOG_LIMIT_BYTES, logPath, openServiceLog } from './service-log.ts';

export class ServiceOutputs {
  private readonly folder: string;
  private readonly mode: Platform['serviceOutput'];
  /** A pump's failure (the log unwritable, the pipe gone), for the service's last error. */
  private readonly onError: (service: string, message: string) => void;
  private readonly limitBytes: number;
  private readonly pumps = new Map<string, OutputPump>();
  /** False once released: a pump that ends then is not replaced. */
  private reading = false;

  constructor(folder: string, mode: Platform['serviceOutput'], onError: (service: string, message: string) => void, limitBytes = DEFAULT_LOG_LIMIT_BYTES) {
    this.folder = folder;
    this.mode = mode;
    this.onError = onError;
    this.limitBytes = limitBytes;
  }

  /**
   * The descriptor a starting service gets for stdout and stderr (the caller closes it
   * once the child is spawned), with the banner line written first. With a FIFO, its
   * pump is attached before the child exists, so nothing the child prints waits.
   */
  forChild(service: ResolvedService, banner: string): number {
    if (this.mode === 'file') return openServiceLog(this.folder, service.name, banner);
    const fd = openFifoForChild(ensureServiceFifo(this.folder, service.name));
    try {
      this.attach(service).note(bannerLine(banner));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return fd;
  }

  /** Reads a service this process takes over (adopts), when it prints into a FIFO. */
  adopt(service: ResolvedService): void {
    if (this.mode === 'file' || !hasServiceFifo(this.folder, service.name)) return;
    try {
      this.attach(service);
    } catch (error) {
      this.onError(service.name, `cannot read its output: ${(error as Error).message}`);
    }
  }

  /** Everything the service printed until now is in its log (see OutputPump.drainNow). */
  flush(service: string): void {
    this.pumps.get(service)?.drainNow();
  }

  /** Closes every pump, each after draining its pipe and writing its partial line. What is printed later waits in the pipe for the next reader. */
  async release(): Promise<void> {
    this.reading = false;
    const pumps = [...this.pumps.values()];
    this.pumps.clear();
    await Promise.all(pumps.map((pump) => pump.close()));
  }

  /** True while a pump reads the service's output (for tests and status). */
  isReading(service: string): boolean {
    return this.pumps.get(service)?.isOpen === true;
  }

  private attach(service: ResolvedService): OutputPump {
    this.reading = true;
    const current = this.pumps.get(service.name);
    if (current?.isOpen) return current;
    const pump = new OutputPump({
      fifo: fifoPath(this.folder, service.name),
      log: logPath(this.folder, service.name),
      limitBytes: this.limitBytes,
      secrets: secretValuesOf(service.env),
      onError: (message) => this.onError(service.name, message),
    });
    this.pumps.set(service.name, pump);
    void pump.ended.then(() => this.replaceEnded(service, pump));
    return pump;
  }

  private replaceEnded(service: ResolvedService, pump: OutputPump): void {
    if (!this.reading || this.pumps.get(service.name) !== pump || !pump.sawEnd) return;
    this.pumps.delete(service.name);
    this.adopt(service);
  }
}
