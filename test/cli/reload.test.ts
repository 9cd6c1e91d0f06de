// `evident reload` and the contract's signal fields through the real command line: the
// reload_signal reaches the running service once and the operator journal has the action
// (with its actor) before the supervisor's reload event; what cannot be reloaded is
// refused with exit 2 before anything is recorded, a service not running with exit 1,
// a fleet held by another process with exit 3; a bad stop_signal is exit 2 naming the field.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import { readJournal } from '../../src/evidence/read-journal.ts';
import { createLinuxPlatform } from '../../src/platform/linux.ts';
import { acquireFleetLock } from '../../src/supervisor/fleet-lock.ts';
import { runCli } from '../helpers/run-cli.ts';
import { fixtureService } from '../helpers/temp-fleet.ts';
import { until } from '../helpers/wait.ts';

let dir = '';
let artifacts = '';
let signalLog = '';
const contract = () => join(dir, 'contract.json');
const common = () => ['--contract', contract(), '--state-dir', join(dir, 'state'), '--artifacts-dir', artifacts];
const records = (): JournalRecord[] => {
  const file = join(artifacts, 'operator', 'journal.jsonl');
  return existsSync(file) ? readJournal(file).records : [];
};
const signals = () => (existsSync(signalLog) ? readFileSync(signalLog, 'utf8').trim().split('\n').filter((l) => l !== '' && !l.endsWith(' ready')) : []);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-reload-'));
  artifacts = join(dir, 'artifacts');
  signalLog = join(dir, 'signals.log');
  const env = { SIGNAL_LOG: signalLog };
  writeFileSync(
    contract(),
    JSON.stringify({
      name: 'reload fleet',
      version: '1.0.0',
      services: [
        fixtureService('web', 'counts-signals.ts', 28130, { env, reload_signal: 'SIGHUP', stop_signal: 'SIGQUIT' }),
        fixtureService('plain', 'http-ok.ts', 28131),
      ],
    }),
  );
});

afterAll(async () => {
  await runCli(['down', ...common()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('evident reload', () => {
  it('refuses a service that is not running with exit 1, having sent nothing', async () => {
    const reload = await runCli(['reload', 'web', ...common()]);
    expect(reload.exitCode, reload.stderr).toBe(1);
    expect(reload.stdout).toContain('web: SIGHUP not sent: web is not running');
    expect(records().filter((r) => r.type === 'supervisor.reload').at(-1)?.payload).toMatchObject({ service: 'web', refused: expect.stringContaining('not running') });
  });

  it('sends the reload_signal once to the running service, recorded as the actor\'s action first', async () => {
    const up = await runCli(['up', ...common()]);
    expect(up.exitCode, up.stderr).toBe(0);
    const reload = await runCli(['reload', 'web', '--actor', 'bob', '--idempotency-key', 'change-7', '--json', ...common()]);
    expect(reload.exitCode, reload.stderr).toBe(0);
    const out = JSON.parse(reload.stdout);
    expect(out).toMatchObject({ ok: true, service: 'web', signal: 'SIGHUP', refused: null, record: { idempotency_key: 'change-7' } });
    expect(out.group).toBe(out.pid);
    expect(out.reached).toEqual([out.pid]);
    await until(() => signals().length > 0, 'the service to note the SIGHUP', 5000);
    expect(signals()).toEqual(['main SIGHUP']);

    const all = records();
    const action = all.find((r) => r.type === 'operator.reload' && r.idempotency_key === 'change-7');
    expect(action).toMatchObject({ actor: 'bob', payload: { services: ['web'], signal: 'SIGHUP', command: 'evident reload' } });
    const event = all.findLast((r) => r.type === 'supervisor.reload');
    expect(event?.payload).toMatchObject({ service: 'web', pid: out.pid, signal: 'SIGHUP', group: out.pid, refused: null });
    expect(all.indexOf(action as JournalRecord)).toBeLessThan(all.indexOf(event as JournalRecord));

    // A retried delivery is recorded once and not sent again.
    const again = await runCli(['reload', 'web', '--idempotency-key', 'change-7', ...common()]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/already recorded: operator\.reload with idempotency key change-7 .* not carried out again/);
    await new Promise((r) => setTimeout(r, 300));
    expect(signals()).toEqual(['main SIGHUP']);
  });

  it('refuses with exit 2, recording nothing, a service without a reload_signal and an unknown one', async () => {
    // The background supervisor an earlier command left records its own events (adopting
    // the fleet) meanwhile: count what a reload would write, an action or a reload event.
    const reloadRecords = () => records().filter((r) => r.type.startsWith('operator.') || r.type === 'supervisor.reload').length;
    const before = reloadRecords();
    const plain = await runCli(['reload', 'plain', ...common()]);
    expect(plain.exitCode).toBe(2);
    expect(plain.stderr).toContain('plain declares no reload_signal in the contract');
    const unknown = await runCli(['reload', 'nginx', ...common()]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown service "nginx"; the contract has web, plain');
    const none = await runCli(['reload', ...common()]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('expected one service, got none');
    expect(reloadRecords()).toBe(before);
  });

  it('waits its turn: exit 3 while another process holds the fleet lock', async () => {
    const platform = createLinuxPlatform();
    const lock = await acquireFleetLock(platform, join(dir, 'state'), 'a test holding the fleet');
    expect(lock.ok).toBe(true);
    try {
      const reload = await runCli(['reload', 'web', ...common()]);
      expect(reload.exitCode).toBe(3);
      expect(reload.stderr).toContain('a test holding the fleet');
    } finally {
      if (lock.ok) lock.release();
    }
    expect(signals()).toEqual(['main SIGHUP']);
  });

  it('stops the service with its stop_signal, once', async () => {
    const down = await runCli(['down', '--json', ...common()]);
    expect(down.exitCode, down.stdout).toBe(0);
    expect(signals()).toEqual(['main SIGHUP', 'main SIGQUIT']);
    expect(records().filter((r) => r.type === 'supervisor.stop').map((r) => r.payload.signal).sort()).toEqual(['SIGQUIT', 'SIGTERM']);
  });
});

describe('the contract\'s signal fields', () => {
  it('refuses a bad stop_signal with exit 2, naming the field and the signals allowed', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'bad', version: '1.0.0', services: [fixtureService('web', 'http-ok.ts', 28132, { stop_signal: 'SIGKILL', reload_signal: 'HUP' })] }));
    const up = await runCli(['up', '--contract', bad, '--state-dir', join(dir, 'state-bad'), '--artifacts-dir', artifacts]);
    expect(up.exitCode).toBe(2);
    expect(up.stderr).toContain('services[0].stop_signal: SIGKILL cannot be caught');
    expect(up.stderr).toContain('expected "SIGTERM", "SIGQUIT", "SIGINT", "SIGHUP", "SIGUSR1" or "SIGUSR2", got "SIGKILL"');
    expect(up.stderr).toContain('services[0].reload_signal: expected "SIGTERM", "SIGQUIT", "SIGINT", "SIGHUP", "SIGUSR1" or "SIGUSR2", got "HUP" (did you mean "SIGHUP"?)');
  });
});
