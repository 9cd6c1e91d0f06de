// A service's output pipe on a real file system: created owner-only, reused, and refused
// (never followed) when something else stands at its name.
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureServiceFifo, fifoPath, hasServiceFifo, ServiceFifoError } from '../../src/supervisor/service-fifo.ts';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-unit-fifo-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('ensureServiceFifo', () => {
  it('creates an owner-only FIFO, and reuses it', () => {
    const logs = join(dir, 'logs');
    expect(hasServiceFifo(logs, 'web')).toBe(false);
    const path = ensureServiceFifo(logs, 'web');
    expect(path).toBe(fifoPath(logs, 'web'));
    const stat = lstatSync(path);
    expect(stat.isFIFO()).toBe(true);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(ensureServiceFifo(logs, 'web')).toBe(path);
    expect(hasServiceFifo(logs, 'web')).toBe(true);
  });

  it('refuses a link, a regular file, and a pipe open to others at its name', () => {
    mkdirSync(dir, { recursive: true });
    const target = join(dir, 'target.pipe');
    execFileSync('mkfifo', ['-m', '600', target]);
    symlinkSync(target, fifoPath(dir, 'linked'));
    expect(() => ensureServiceFifo(dir, 'linked')).toThrow(ServiceFifoError);
    expect(() => ensureServiceFifo(dir, 'linked')).toThrow(/symbolic link/);
    writeFileSync(fifoPath(dir, 'file'), 'x');
    expect(() => ensureServiceFifo(dir, 'file')).toThrow(/not a named pipe/);
    execFileSync('mkfifo', ['-m', '600', fifoPath(dir, 'open')]);
    chmodSync(fifoPath(dir, 'open'), 0o622);
    expect(() => ensureServiceFifo(dir, 'open')).toThrow(/open to others/);
    expect(hasServiceFifo(dir, 'linked')).toBe(false);
  });
});
