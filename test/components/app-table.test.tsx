import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { healthText } from '../../components/table-columns.ts';
import { RecordingController } from './recording-controller.ts';
import { fleetSnapshot, NOW, SERVICE_NAMES, withService } from './snapshot-fixtures.ts';
import { renderConsole, tick } from './render-console.tsx';

afterEach(() => cleanup());

/** The table row of a service: after the two-column selection marker. */
const rowOf = (frame: string, name: string) => frame.split('\n').find((l) => l.slice(2).startsWith(`${name} `)) ?? '';

describe('services table', () => {
  it('shows every service with pid, state, health, cpu, rss, uptime and restarts', async () => {
    const ui = await renderConsole(new RecordingController(fleetSnapshot()));
    const frame = ui.frame();
    for (const name of SERVICE_NAMES) expect(rowOf(frame, name), name).not.toBe('');
    expect(rowOf(frame, 'memory-engine')).toBe('› memory-engine      4100 running   200 3ms       1.5%   40.0 MB  1h02m        0');
    expect(rowOf(frame, 'api-gateway')).toBe('  api-gateway        4150 running   200 8ms       6.5%   45.0 MB  1h07m        5');
    expect(frame).toContain('  NAME                PID STATE     HEALTH         CPU       RSS UPTIME RESTARTS');
  });

  it('updates when the controller publishes a new snapshot', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const ui = await renderConsole(controller);
    let next = withService(controller.getSnapshot(), 'openclaw', {
      state: 'failed',
      pid: null,
      startedAt: null,
      restarts: 3,
      cpuPercent: null,
      rssBytes: null,
      probe: { ok: false, code: null, latencyMs: 1, detail: 'connection refused', at: NOW },
      tree: [],
    });
    next = withService(next, 'pipecat', { state: 'starting', pid: 5555, startedAt: NOW - 4000, restarts: 1, probe: null, cpuPercent: 120.4, rssBytes: 2048 });
    controller.setSnapshot({ ...next, at: NOW + 60_000 });
    await tick();
    const frame = ui.frame();
    expect(rowOf(frame, 'openclaw')).toMatch(/openclaw\s+— failed\s+refused\s+—\s+—\s+—\s+3$/);
    expect(rowOf(frame, 'pipecat')).toMatch(/pipecat\s+5555 starting\s+—\s+120%\s+2\.0 KB\s+1m04s\s+1$/);
    // Uptime is measured to the snapshot's time: one minute later.
    expect(rowOf(frame, 'memory-engine')).toMatch(/1h03m\s+0$/);
    expect(frame).toContain('4/6 healthy');
  });

  it('shows who holds the port of a service, and offers R when the holder is ours', async () => {
    let snapshot = withService(fleetSnapshot(), 'model-router', {
      state: 'failed',
      pid: null,
      tree: [],
      portHolder: { port: 7010, pid: 4242, command: 'node x.js', ours: false, proof: null },
    });
    snapshot = withService(snapshot, 'openclaw', {
      state: 'stopped',
      pid: null,
      tree: [],
      portHolder: { port: 7040, pid: 777, command: 'node openclaw.ts', ours: true, proof: { kind: 'tag' } },
    });
    const ui = await renderConsole(new RecordingController(snapshot));
    const frame = ui.frame();
    expect(frame).toContain('port 7010 held by pid 4242 node x.js');
    expect(frame).not.toContain('node x.js (ours');
    expect(frame).toContain('port 7040 held by pid 777 node openclaw.ts (ours: press R to reap)');
  });

  it('shows the contract, host and console figures and warns about leftovers', async () => {
    const snapshot = fleetSnapshot({
      leftovers: [
        { kind: 'orphan', service: 'openclaw', pid: 123, ppid: 1, command: 'node worker.js', port: null, ours: true, proof: { kind: 'tag' } },
        { kind: 'listener', service: null, pid: 4242, ppid: 1, command: 'node x.js', port: 7010, ours: false, proof: null },
      ],
      leftoversCheckedAt: NOW,
    });
    const ui = await renderConsole(new RecordingController(snapshot));
    const lines = ui.frame().split('\n');
    expect(lines[0]).toMatch(/^evident · evident demo fleet v1\.0\.0 #3f9a1c2b7d4e\s+6\/6 healthy$/);
    expect(lines[1]).toBe('host cpu 12.3% mem 7.8 GB/16.0 GB   console cpu 1.2% rss 80.1 MB');
    // At 80 columns the list is cut, the reap hint is kept.
    expect(lines[2]).toBe('! 2 leftovers: pid 123 (orphan of openclaw), pid 4242 (listene… · R reaps 1 ours');
    ui.resize(120, 30);
    await tick();
    expect(ui.frame().split('\n')[2]).toBe('! 2 leftovers: pid 123 (orphan of openclaw), pid 4242 (listener on :7010) · R reaps 1 ours');
  });

  it('shows the selected service in the detail pane: tree, probe, error and sparklines', async () => {
    const snapshot = withService(fleetSnapshot(), 'memory-engine', { lastError: 'exited with code 1 at 11:58:02' });
    const ui = await renderConsole(new RecordingController(snapshot));
    const frame = ui.frame();
    expect(frame).toContain('── memory-engine :7010 running · pid 4100 · up 1h02m · 0 restarts ──');
    expect(frame).toMatch(/ {3}4100 {4}1000 S {3}1\.5% {3}30\.0 MB {2}node memory-engine\.ts/);
    expect(frame).toMatch(/ {3}4101 {4}4100 S {3}0\.2% {3}10\.0 MB {2}└ node memory-engine-worker\.js/);
    expect(frame).toContain('last error: exited with code 1 at 11:58:02');
    expect(frame).toContain('probe ok: 200 OK in 3ms, 1s ago');
    expect(frame).toMatch(/^cpu [▁▂▃▄▅▆▇█ ]+ +1\.5% +rss [▁▂▃▄▅▆▇█ ]+ +40\.0 MB$/m);
  });

  it('shows an exec probe\'s exit code as an exit code, not as an HTTP status', async () => {
    let snapshot = withService(fleetSnapshot(), 'eva-os', { probe: { ok: true, code: 0, latencyMs: 186, detail: 'exit 0', at: NOW - 1000 } });
    snapshot = withService(snapshot, 'api-gateway', {
      state: 'unhealthy',
      probe: { ok: false, code: 3, latencyMs: 42, detail: 'exit 3: not ready', at: NOW - 1000 },
    });
    snapshot = withService(snapshot, 'pipecat', { state: 'unhealthy', probe: { ok: false, code: 503, latencyMs: 9, detail: '503 Service Unavailable, expected 200', at: NOW - 1000 } });
    const ui = await renderConsole(new RecordingController(snapshot));
    const frame = ui.frame();
    expect(rowOf(frame, 'eva-os')).toMatch(/eva-os\s+4140 running\s+ok 186ms\s+5\.5%/);
    expect(rowOf(frame, 'api-gateway')).toMatch(/api-gateway\s+4150 unhealthy exit 3 42ms\s+6\.5%/);
    // HTTP stays a status.
    expect(rowOf(frame, 'pipecat')).toMatch(/pipecat\s+4130 unhealthy 503 9ms\s+4\.5%/);
    expect(rowOf(frame, 'memory-engine')).toMatch(/memory-engine\s+4100 running\s+200 3ms\s+1\.5%/);
    expect(frame).not.toMatch(/running\s+0 186ms/);

    // The detail pane says what the command did, even when the probe has no detail line.
    await ui.press('j', 'j', 'j', 'j');
    expect(ui.frame()).toContain('probe ok: exit 0 in 186ms, 1s ago');
    expect(healthText({ ok: true, code: 0, latencyMs: 186, detail: '', at: NOW })).toBe('ok 186ms');
    expect(healthText({ ok: false, code: 1, latencyMs: 1500, detail: '', at: NOW })).toBe('exit 1 1500ms');
    expect(healthText({ ok: true, code: 200, latencyMs: 3, detail: '200 OK', at: NOW })).toBe('200 3ms');
    expect(healthText({ ok: true, code: null, latencyMs: 1, detail: 'connected', at: NOW })).toBe('ok 1ms');
  });

  it('shows a right status or exit code with the wrong answer as bad body or bad output, and the reason in the detail pane', async () => {
    const detail = '200 OK, status field is "degraded", expected "ok"';
    let snapshot = withService(fleetSnapshot(), 'memory-engine', { state: 'unhealthy', probe: { ok: false, code: 200, latencyMs: 3, detail, mismatch: 'body', at: NOW - 1000 } });
    snapshot = withService(snapshot, 'eva-os', {
      state: 'unhealthy',
      probe: { ok: false, code: 0, latencyMs: 186, detail: 'exit 0, output lacks "PONG": NOAUTH Authentication required.', mismatch: 'output', at: NOW - 1000 },
    });
    const ui = await renderConsole(new RecordingController(snapshot));
    const frame = ui.frame();
    expect(rowOf(frame, 'memory-engine')).toMatch(/memory-engine\s+4100 unhealthy bad body\s+1\.5%/);
    expect(rowOf(frame, 'eva-os')).toMatch(/eva-os\s+4140 unhealthy bad output\s+5\.5%/);
    expect(frame).not.toMatch(/unhealthy (200 3ms|ok 186ms)/);
    expect(frame).toContain(`probe FAILED: ${detail} in 3ms, 1s ago`);
  });

  it('falls back to the code in the detail pane when a probe has no detail line', async () => {
    let snapshot = withService(fleetSnapshot(), 'memory-engine', { probe: { ok: false, code: 2, latencyMs: 186, detail: '', at: NOW - 1000 } });
    snapshot = withService(snapshot, 'model-router', { probe: { ok: false, code: 500, latencyMs: 4, detail: '', at: NOW - 1000 } });
    const ui = await renderConsole(new RecordingController(snapshot));
    expect(ui.frame()).toContain('probe FAILED: exit 2 in 186ms, 1s ago');
    await ui.press('j');
    expect(ui.frame()).toContain('probe FAILED: 500 in 4ms, 1s ago');
  });
});
