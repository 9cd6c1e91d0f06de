// The pump's log writer on real files: never past the limit, rotated by rename into
// `.1`, an oversized log left by an earlier writer rotated at once, and no link followed.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RotatingLog } from '../../src/supervisor/rotating-log.ts';

let dir = '';
let path = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-unit-rotating-'));
  path = join(dir, 'logs', 'web.log');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('RotatingLog', () => {
  it('appends below the limit, creating the folder and the file', () => {
    const log = new RotatingLog(path, 100);
    log.write(Buffer.from('one\n'));
    log.write(Buffer.from('two\n'));
    log.close();
    expect(readFileSync(path, 'utf8')).toBe('one\ntwo\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(existsSync(`${path}.1`)).toBe(false);
  });

  it('renames the log to .1 (replacing the older one) before a write that would pass the limit', () => {
    mkdirSync(join(dir, 'logs'));
    writeFileSync(`${path}.1`, 'an older rotation\n');
    const log = new RotatingLog(path, 10);
    log.write(Buffer.from('12345678\n'));
    log.write(Buffer.from('abc\n'));
    log.write(Buffer.from('defgh\n'));
    log.write(Buffer.from('ijk\n'));
    log.close();
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('abc\ndefgh\n');
    expect(readFileSync(path, 'utf8')).toBe('ijk\n');
  });

  it('cuts a piece larger than the limit so neither file passes it', () => {
    const log = new RotatingLog(path, 10);
    log.write(Buffer.from('a'.repeat(25)));
    log.close();
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('a'.repeat(10));
    expect(readFileSync(path, 'utf8')).toBe('a'.repeat(5));
  });

  it('rotates at once a log an earlier writer left over the limit', () => {
    const log = new RotatingLog(path, 10);
    log.write(Buffer.from('first\n'));
    log.close();
    writeFileSync(path, 'x'.repeat(50));
    const again = new RotatingLog(path, 10);
    again.write(Buffer.from('new\n'));
    again.close();
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('x'.repeat(50));
    expect(readFileSync(path, 'utf8')).toBe('new\n');
  });

  it('never writes through a link at the log, and moves a link at .1 aside rather than into its target', () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'keep\n');
    const log = new RotatingLog(path, 10);
    log.write(Buffer.from('12345678\n'));
    symlinkSync(victim, `${path}.1`);
    log.write(Buffer.from('more\n'));
    log.close();
    expect(lstatSync(`${path}.1`).isFile()).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('keep\n');

    rmSync(path);
    symlinkSync(victim, path);
    const linked = new RotatingLog(path, 10);
    expect(() => linked.write(Buffer.from('x\n'))).toThrow(/ELOOP/);
    expect(readFileSync(victim, 'utf8')).toBe('keep\n');
  });
});
