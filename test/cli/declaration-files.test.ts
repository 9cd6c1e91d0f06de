// A contract or pipeline path that is not a regular file, or is too large, is refused by
// the real command at once with exit 2 — the contract cache must not read it first (a
// named pipe would wait for a writer forever, /dev/zero never ends).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'evident-declarations-'));
// An existing state folder, so the contract cache is in play.
const state = join(dir, 'state');
mkdirSync(state, { mode: 0o700 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(process.platform === 'win32')('declaration files that are not files', () => {
  it('refuses a named pipe as the contract, and as the pipeline', async () => {
    const fifo = join(dir, 'contract.fifo');
    execFileSync('mkfifo', [fifo]);
    const up = await runCli(['up', '--contract', fifo, '--state-dir', state]);
    expect(up.exitCode).toBe(2);
    expect(up.stderr).toContain(`file: cannot read ${fifo}: it is a named pipe, not a regular file`);
    const gates = await runCli(['gates', '--pipeline', fifo, '--state-dir', state]);
    expect(gates.exitCode).toBe(2);
    expect(gates.stderr).toContain(`cannot read ${fifo}: it is a named pipe, not a regular file`);
  });

  it('refuses /dev/zero and a file over 4 MiB', async () => {
    const zero = await runCli(['status', '--contract', '/dev/zero', '--state-dir', state]);
    expect(zero.exitCode).toBe(2);
    expect(zero.stderr).toContain('file: cannot read /dev/zero: it is a device, not a regular file');
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 5_000_000);
    const large = await runCli(['status', '--contract', big, '--state-dir', state]);
    expect(large.exitCode).toBe(2);
    expect(large.stderr).toContain(`file: cannot read ${big}: it is 5000000 bytes, over the 4 MiB a declaration may have`);
  });
});
