// Service output read through its named pipe into bounded, masked logs, against real
// processes: secrets a service prints never reach the disk; a 50 MiB burst leaves at most
// twice the limit on disk and the service finishes (it waits for the reader, it is not
// cut off); with no reader it waits, and a reader killed outright does not kill it.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOG_LIMIT_BYTES, logPath } from '../../src/supervisor/service-log.ts';
import { ensureServiceFifo, openFifoForChild } from '../../src/supervisor/service-fifo.ts';
import { ServiceOutputs } from '../../src/supervisor/service-outputs.ts';
import { killAndWait } from '../helpers/kill-and-wait.ts';
import { FIXTURES, fixtureService, makeTempFleet, type TempFleet } from '../helpers/temp-fleet.ts';
import { isAlive, until } from '../helpers/wait.ts';

const PUMP_READER = resolve(import.meta.dirname, '../fixtures/pump-reader.ts');
const BURST_BYTES = 50 * 1024 * 1024;

let fleet: TempFleet | null = null;
let outputs: ServiceOutputs | null = null;
const children: ChildProcess[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) await killAndWait(child);
  await outputs?.release();
  outputs = null;
  await fleet?.cleanup();
  fleet = null;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A fixture started by the test with its stdout and stderr on `fd` (closed here once spawned). */
function spawnOnFd(script: string, fd: number, env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [join(FIXTURES, script)], { stdio: ['ignore', fd, fd], env: { ...process.env, ...env } });
  closeSync(fd);
  children.push(child);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, exited };
}

function readNumber(path: string): number {
  return existsSync(path) ? Number(readFileSync(path, 'utf8') || '0') : 0;
}

/** The log and its rotated file together, in bytes. */
function onDisk(log: string): number {
  return [log, `${log}.1`].reduce((sum, path) => sum + (existsSync(path) ? statSync(path).size : 0), 0);
}

describe('service output pump', () => {
  it("masks what a service prints: the contract's secret by its value, and secrets by their shape", async () => {
    fleet = await makeTempFleet([fixtureService('careless', 'prints-secrets.ts', 28610, { health: { kind: 'tcp' }, env: { DB_PASSWORD: 'hunter2-secret' } })]);
    await fleet.supervisor.startAll();
    const log = logPath(fleet.context.paths.logs, 'careless');
    await until(() => readFileSync(log, 'utf8').includes('ready on 28610'), 'the ready line in the log');
    const text = readFileSync(log, 'utf8');
    expect(text).toMatch(/^--- evident \S+ start: .*prints-secrets\.ts\n/);
    expect(text).toContain('connecting as app with [redacted]\n');
    expect(text).toContain('DB_PASSWORD=[redacted]\n');
    expect(text).toContain('postgres://app:[redacted]@db.internal/app\n');
    expect(text).toContain('admin password=[redacted]\n');
    // Printed in two writes: masked as the one line it is.
    expect(text).toContain('split: [redacted] done\n');
    for (const secret of ['hunte', 'r2-secret', 'opensesame']) expect(text).not.toContain(secret);
  });

  it('keeps a 50 MiB burst within twice the limit on disk, and the service finishes it (exit 0)', async () => {
    fleet = await makeTempFleet([fixtureService('burst', 'bursts-output.ts', 28611)]);
    const logs = fleet.context.paths.logs;
    outputs = new ServiceOutputs(logs, 'fifo', (_service, message) => {
      throw new Error(message);
    });
    const service = fleet.contract.services[0]!;
    const progress = join(fleet.dir, 'progress');
    const { exited } = spawnOnFd('bursts-output.ts', outputs.forChild(service, 'start: burst'), { PROGRESS_FILE: progress });
    const log = logPath(logs, 'burst');
    let most = 0;
    let code: number | null | undefined;
    void exited.then((c) => (code = c));
    await until(() => {
      most = Math.max(most, onDisk(log));
      return code !== undefined;
    }, 'the burst to end', 120_000, 20);
    expect(code).toBe(0);
    expect(readNumber(progress)).toBe(BURST_BYTES);
    await until(() => readFileSync(log, 'utf8').endsWith('the last line of the burst\n'), 'the last line in the log');
    expect(statSync(log).size).toBeLessThanOrEqual(DEFAULT_LOG_LIMIT_BYTES);
    expect(statSync(`${log}.1`).size).toBeLessThanOrEqual(DEFAULT_LOG_LIMIT_BYTES);
    expect(most).toBeLessThanOrEqual(2 * DEFAULT_LOG_LIMIT_BYTES);
  });

  it('with no reader, a service waits at its full pipe (alive), and finishes once a pump attaches', async () => {
    fleet = await makeTempFleet([fixtureService('burst', 'bursts-output.ts', 28612)]);
    const logs = fleet.context.paths.logs;
    const service = fleet.contract.services[0]!;
    const progress = join(fleet.dir, 'progress');
    // Started as a supervisor would, but no process reads the pipe yet.
    const { child, exited } = spawnOnFd('bursts-output.ts', openFifoForChild(ensureServiceFifo(logs, 'burst')), { PROGRESS_FILE: progress });
    let code: number | null | undefined;
    void exited.then((c) => (code = c));
    // 64 KiB fill a Linux pipe: it wrote that much and can write no more.
    await until(() => readNumber(progress) > 0, 'the first 64 KiB written');
    expect(code).toBeUndefined();
    expect(isAlive(child.pid as number)).toBe(true);
    expect(readNumber(progress)).toBeLessThan(BURST_BYTES);

    outputs = new ServiceOutputs(logs, 'fifo', (_service, message) => {
      throw new Error(message);
    });
    outputs.adopt(service);
    const log = logPath(logs, 'burst');
    await until(() => code !== undefined, 'the burst to end', 120_000);
    expect(code).toBe(0);
    await until(() => readFileSync(log, 'utf8').endsWith('the last line of the burst\n'), 'the last line in the log');
    expect(onDisk(log)).toBeLessThanOrEqual(2 * DEFAULT_LOG_LIMIT_BYTES);
  });

  it('a service whose reader is killed outright prints on (no SIGPIPE), and a new pump reads what it printed since', async () => {
    fleet = await makeTempFleet([fixtureService('ticker', 'ticks-output.ts', 28613)]);
    const logs = fleet.context.paths.logs;
    const service = fleet.contract.services[0]!;
    const ticks = join(fleet.dir, 'ticks');
    const fifo = ensureServiceFifo(logs, 'ticker');
    const { child } = spawnOnFd('ticks-output.ts', openFifoForChild(fifo), { TICK_FILE: ticks });

    // Another process reads it first, into a log of its own.
    const firstLog = join(fleet.dir, 'first-reader.log');
    const reader = spawn(process.execPath, [PUMP_READER, fifo, firstLog], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(reader);
    await new Promise<void>((done) => reader.stdout?.once('data', () => done()));
    await until(() => existsSync(firstLog) && readFileSync(firstLog, 'utf8').includes('tick '), 'the first reader to read a tick');
    await killAndWait(reader);

    const atKill = readNumber(ticks);
    await until(() => readNumber(ticks) >= atKill + 10, 'ten more ticks with no reader');
    expect(child.exitCode).toBeNull();
    expect(child.signalCode).toBeNull();
    expect(isAlive(child.pid as number)).toBe(true);

    outputs = new ServiceOutputs(logs, 'fifo', (_service, message) => {
      throw new Error(message);
    });
    outputs.adopt(service);
    const log = logPath(logs, 'ticker');
    const later = atKill + 10;
    await until(() => existsSync(log) && readFileSync(log, 'utf8').includes(`tick ${later}\n`), `tick ${later} in the new reader's log`);
    expect(isAlive(child.pid as number)).toBe(true);
  });

  it('a supervisor that follows another controller reads nothing, and reads again once it takes the fleet back', async () => {
    const ticksDir = mkdtempSync(join(tmpdir(), 'evident-ticks-'));
    folders.push(ticksDir);
    const ticks = join(ticksDir, 'ticks');
    fleet = await makeTempFleet([fixtureService('ticker', 'ticks-output.ts', 28614, { health: { kind: 'tcp' }, env: { TICK_FILE: ticks } })]);
    const { supervisor } = fleet;
    await supervisor.startAll();
    const log = logPath(fleet.context.paths.logs, 'ticker');
    await until(() => existsSync(log) && readFileSync(log, 'utf8').includes('tick 3\n'), 'tick 3 in the log');
    await supervisor.follow();
    // Every line printed until now is in the log; what comes after waits in the pipe.
    const later = readNumber(ticks) + 5;
    await until(() => readNumber(ticks) >= later, 'five more ticks while following');
    expect(readFileSync(log, 'utf8')).not.toContain(`tick ${later}\n`);
    await supervisor.resumeControl();
    await until(() => readFileSync(log, 'utf8').includes(`tick ${later}\n`), `tick ${later} in the log once in control again`);
  });
});
