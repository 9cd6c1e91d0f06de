// Service logs on real files: copy-and-truncate rotation and reading the tail back.
import { closeSync, existsSync, lstatSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logPath, openServiceLog, readLogTail, rotateIfLarge } from '../../src/supervisor/service-log.ts';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-unit-log-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const lines = (from: number, to: number, prefix = 'line') =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix} ${from + i}`);

describe('openServiceLog', () => {
  it('creates the folder and appends a banner naming what starts', () => {
    const folder = join(dir, 'logs');
    const fd = openServiceLog(folder, 'web', 'node server.js');
    closeSync(fd);
    const first = readFileSync(logPath(folder, 'web'), 'utf8');
    expect(first).toMatch(/^--- evident \d{4}-\d\d-\d\dT[\d:.]+Z node server\.js\n$/);
    closeSync(openServiceLog(folder, 'web', 'again'));
    expect(readFileSync(logPath(folder, 'web'), 'utf8').startsWith(first)).toBe(true);
  });
});

describe('rotateIfLarge', () => {
  it('leaves a log at or under the limit alone', () => {
    writeFileSync(logPath(dir, 'web'), 'x'.repeat(100));
    expect(rotateIfLarge(dir, 'web', 100)).toBe(false);
    expect(statSync(logPath(dir, 'web')).size).toBe(100);
    expect(existsSync(`${logPath(dir, 'web')}.1`)).toBe(false);
  });

  it('does nothing for a missing log', () => {
    expect(rotateIfLarge(dir, 'nothing', 1)).toBe(false);
    expect(existsSync(`${logPath(dir, 'nothing')}.1`)).toBe(false);
  });

  it('copies a log over the limit to .log.1 and empties it', () => {
    const content = `${lines(1, 20).join('\n')}\n`;
    writeFileSync(logPath(dir, 'web'), content);
    writeFileSync(`${logPath(dir, 'web')}.1`, 'older rotation\n');
    expect(rotateIfLarge(dir, 'web', 50)).toBe(true);
    expect(readFileSync(`${logPath(dir, 'web')}.1`, 'utf8')).toBe(content);
    expect(statSync(logPath(dir, 'web')).size).toBe(0);
  });

  it('lets a writer holding the log open for append carry on at the new start', () => {
    const path = logPath(dir, 'web');
    const fd = openSync(path, 'a');
    try {
      writeSync(fd, `${'before rotation\n'.repeat(20)}`);
      expect(rotateIfLarge(dir, 'web', 100)).toBe(true);
      writeSync(fd, 'after rotation\n');
    } finally {
      closeSync(fd);
    }
    // No hole of NUL bytes where the old content was: the append lands at offset 0.
    expect(readFileSync(path, 'utf8')).toBe('after rotation\n');
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('before rotation\n'.repeat(20));
  });
});

describe('readLogTail', () => {
  it('returns the last N lines of the log', () => {
    writeFileSync(logPath(dir, 'web'), `${lines(1, 10).join('\n')}\n`);
    expect(readLogTail(dir, 'web', 3)).toEqual(['line 8', 'line 9', 'line 10']);
    expect(readLogTail(dir, 'web', 50)).toEqual(lines(1, 10));
    expect(readLogTail(dir, 'web', 0)).toEqual([]);
  });

  it('reaches into the rotated file when the current one is short', () => {
    writeFileSync(`${logPath(dir, 'web')}.1`, `${lines(1, 5, 'old').join('\n')}\n`);
    writeFileSync(logPath(dir, 'web'), `${lines(1, 2, 'new').join('\n')}\n`);
    expect(readLogTail(dir, 'web', 4)).toEqual(['old 4', 'old 5', 'new 1', 'new 2']);
    expect(readLogTail(dir, 'web', 2)).toEqual(['new 1', 'new 2']);
  });

  it('reads the rotated file alone right after a rotation', () => {
    writeFileSync(logPath(dir, 'web'), `${lines(1, 30).join('\n')}\n`);
    rotateIfLarge(dir, 'web', 10);
    expect(readLogTail(dir, 'web', 2)).toEqual(['line 29', 'line 30']);
  });

  it('masks secrets a service printed before the text leaves the file', () => {
    writeFileSync(logPath(dir, 'web'), 'connecting with DB_PASSWORD=hunter2 to postgres://app:s3cret@db/x\nready on port 7000\n');
    const tail = readLogTail(dir, 'web', 2);
    expect(tail.join('\n')).not.toMatch(/hunter2|s3cret/);
    expect(tail).toEqual(['connecting with DB_PASSWORD=[redacted] to postgres://app:[redacted]@db/x', 'ready on port 7000']);
  });

  it('gives nothing for a service with no log', () => {
    expect(readLogTail(dir, 'missing', 5)).toEqual([]);
  });

  it('keeps a last line that has no trailing newline', () => {
    writeFileSync(logPath(dir, 'web'), 'one\ntwo\nthree without newline');
    expect(readLogTail(dir, 'web', 2)).toEqual(['two', 'three without newline']);
  });

  it('returns whole lines longer than one 16 KB block', () => {
    const long = 'x'.repeat(40_000);
    writeFileSync(logPath(dir, 'web'), `first\n${long}\nlast\n`);
    expect(readLogTail(dir, 'web', 2)).toEqual([long, 'last']);
    expect(readLogTail(dir, 'web', 3)).toEqual(['first', long, 'last']);
  });

  it('keeps multi-byte characters whole where a 16 KB block boundary splits them', () => {
    // 2- and 3-byte characters; the last line's length moves the block boundary so that
    // it falls inside a character for at least one of them.
    for (const char of ['é', '✓']) {
      for (const last of ['a', 'ab', 'abc']) {
        const long = char.repeat(10_000);
        writeFileSync(logPath(dir, 'web'), `first\n${long}\n${last}\n`);
        expect(readLogTail(dir, 'web', 3)).toEqual(['first', long, last]);
      }
    }
  });
});

describe.skipIf(process.platform === 'win32')('a symbolic link planted at a log name', () => {
  it('is never opened for a service to write through', () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, logPath(dir, 'web'));
    expect(() => openServiceLog(dir, 'web', 'node server.js')).toThrow(/ELOOP/);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it('is never rotated: its target is neither copied nor truncated', () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'x'.repeat(4096));
    symlinkSync(victim, logPath(dir, 'web'));
    expect(() => rotateIfLarge(dir, 'web', 100)).toThrow(/ELOOP/);
    expect(statSync(victim).size).toBe(4096);
    expect(existsSync(`${logPath(dir, 'web')}.1`)).toBe(false);
  });

  it('gives no tail: its target is not read', () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'secret line\n');
    symlinkSync(victim, logPath(dir, 'web'));
    expect(readLogTail(dir, 'web', 5)).toEqual([]);
  });

  it('at the rotated name is replaced, not written through', () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, `${logPath(dir, 'web')}.1`);
    writeFileSync(logPath(dir, 'web'), 'y'.repeat(200));
    expect(rotateIfLarge(dir, 'web', 100)).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(`${logPath(dir, 'web')}.1`).isFile()).toBe(true);
    expect(readFileSync(`${logPath(dir, 'web')}.1`, 'utf8')).toBe('y'.repeat(200));
  });
});
