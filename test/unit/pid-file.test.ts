// Pid files on real files in a temporary folder.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listPidFiles, pidFilePath, readPidFile, removePidFile, writePidFile, type PidRecord } from '../../src/supervisor/pid-file.ts';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-unit-pids-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const record: PidRecord = {
  service: 'web',
  pid: 4242,
  pgid: 4242,
  sid: 4242,
  start_token: '405c8a6a-51ae-4dd0-ab0f-2f1fb5c60f8d:987654',
  argv: ['node', 'server.js', '--name', 'a b'],
  started_at: '2026-03-01T10:15:30.000Z',
  contract_hash: 'sha256:abc123',
  restarts: 2,
  descendants: [{ pid: 4250, start_token: '405c8a6a-51ae-4dd0-ab0f-2f1fb5c60f8d:987700', argv: ['python3', 'worker.py'] }],
};

describe('pid files', () => {
  it('read back exactly what was written', () => {
    writePidFile(dir, record);
    expect(readPidFile(dir, 'web')).toEqual({ kind: 'ok', record });
    expect(JSON.parse(readFileSync(pidFilePath(dir, 'web'), 'utf8'))).toEqual(record);
  });

  it('read a pid file written before sessions were kept with sid null', () => {
    const { sid: _sid, ...older } = record;
    writeFileSync(pidFilePath(dir, 'web'), JSON.stringify(older));
    expect(readPidFile(dir, 'web')).toEqual({ kind: 'ok', record: { ...record, sid: null } });
  });

  it('replace the previous record on a second write', () => {
    writePidFile(dir, record);
    writePidFile(dir, { ...record, pid: 5000, restarts: 3 });
    const read = readPidFile(dir, 'web');
    expect(read.kind === 'ok' && [read.record.pid, read.record.restarts]).toEqual([5000, 3]);
  });

  it('report a missing file as missing', () => {
    expect(readPidFile(dir, 'nothing')).toEqual({ kind: 'missing' });
    expect(readPidFile(join(dir, 'no-such-folder'), 'web')).toEqual({ kind: 'missing' });
  });

  it('report bad JSON as corrupt, with the parser’s reason', () => {
    writeFileSync(pidFilePath(dir, 'web'), '{"pid": 42, "start_token": ');
    const read = readPidFile(dir, 'web');
    expect(read.kind).toBe('corrupt');
    expect(read.kind === 'corrupt' && read.reason).toMatch(/JSON/);
  });

  it('report JSON without pid, start token or argv as corrupt', () => {
    writeFileSync(pidFilePath(dir, 'web'), JSON.stringify({ pid: '42', start_token: 'x', argv: [] }));
    expect(readPidFile(dir, 'web')).toEqual({ kind: 'corrupt', reason: 'missing pid, start_token or argv' });
    writeFileSync(pidFilePath(dir, 'web'), JSON.stringify({ pid: 42, argv: [] }));
    expect(readPidFile(dir, 'web')).toEqual({ kind: 'corrupt', reason: 'missing pid, start_token or argv' });
    writeFileSync(pidFilePath(dir, 'web'), JSON.stringify({ pid: 42, start_token: 'x', argv: 'node' }));
    expect(readPidFile(dir, 'web')).toEqual({ kind: 'corrupt', reason: 'missing pid, start_token or argv' });
  });

  it('report a pid file that cannot be read as a file as corrupt', () => {
    mkdirSync(pidFilePath(dir, 'web'));
    const read = readPidFile(dir, 'web');
    expect(read.kind).toBe('corrupt');
    expect(read.kind === 'corrupt' && read.reason).toMatch(/EISDIR/);
  });

  it('default descendants to none for an older record without them', () => {
    const { descendants: _, ...older } = record;
    writeFileSync(pidFilePath(dir, 'web'), JSON.stringify(older));
    const read = readPidFile(dir, 'web');
    expect(read.kind === 'ok' && read.record.descendants).toEqual([]);
  });

  it('are written atomically: no temporary file is left in the folder', () => {
    for (let i = 0; i < 20; i++) writePidFile(dir, { ...record, restarts: i });
    writePidFile(dir, { ...record, service: 'api' });
    expect(readdirSync(dir).sort()).toEqual(['api.json', 'web.json']);
  });

  it('are listed by service name, ignoring other and hidden files', () => {
    writePidFile(dir, record);
    writePidFile(dir, { ...record, service: 'api' });
    writeFileSync(join(dir, '.web.json.123.456.tmp'), '');
    writeFileSync(join(dir, '.hidden.json'), '{}');
    writeFileSync(join(dir, 'notes.txt'), '');
    expect(listPidFiles(dir).sort()).toEqual(['api', 'web']);
    expect(listPidFiles(join(dir, 'no-such-folder'))).toEqual([]);
  });

  it('are removed, and removing a missing one is fine', () => {
    writePidFile(dir, record);
    removePidFile(dir, 'web');
    expect(readPidFile(dir, 'web')).toEqual({ kind: 'missing' });
    expect(() => removePidFile(dir, 'web')).not.toThrow();
  });
});
