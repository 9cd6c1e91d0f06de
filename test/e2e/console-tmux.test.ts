// The real console in a real terminal: tmux runs `evident console --up` at 80×24 on the
// demo fleet; the test reads the screen, presses keys, and quits stopping the fleet.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinuxPlatform } from '../../src/platform/linux.ts';
import { BIN, runCli } from '../helpers/run-cli.ts';
import { writeShiftedDemoContract } from '../helpers/shifted-demo-contract.ts';

const SESSION = `evident-e2e-${process.pid}`;
let dir = '';
let args: string[] = [];
let ports: number[] = [];

function tmux(...tmuxArgs: string[]): string {
  return execFileSync('tmux', tmuxArgs, { encoding: 'utf8' });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-t', SESSION);
}

async function waitForScreen(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`screen never matched ${pattern}:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-tmux-'));
  const contract = writeShiftedDemoContract(dir);
  ports = contract.ports;
  args = ['--contract', contract.path, '--state-dir', join(dir, 'state')];
});

afterAll(async () => {
  try {
    tmux('kill-session', '-t', SESSION);
  } catch {
    // already gone
  }
  await runCli(['down', ...args]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the console in a real terminal', () => {
  it('shows the fleet live, answers keys, and quits stopping the fleet', async () => {
    const command = [process.execPath, BIN, 'console', '--up', ...args].map((a) => `'${a}'`).join(' ');
    // The shell prints the console's exit code and the file keeps what it said on exit.
    const exitFile = join(dir, 'exit.txt');
    tmux('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '24', `${command}; echo "exit $?" > '${exitFile}'; sleep 60`);

    const live = await waitForScreen(/6\/6 healthy/);
    expect(live).toContain('evident demo fleet');
    for (const name of ['memory-engine', 'model-router', 'openclaw', 'pipecat', 'eva-os', 'api-gateway']) expect(live).toContain(name);
    expect(live).toMatch(/› memory-engine\s+\d+ running\s+200/);
    expect(live.split('\n').every((line) => line.length <= 80)).toBe(true);

    // One key per write: several printable characters in one read are a paste, which
    // the console ignores on purpose.
    tmux('send-keys', '-t', SESSION, 'j');
    await waitForScreen(/› model-router/);
    tmux('send-keys', '-t', SESSION, 'j');
    const moved = await waitForScreen(/› openclaw/);
    expect(moved).toMatch(/openclaw .*running/);
    // openclaw's tree: the service and its worker.
    await waitForScreen(/└ node \S*openclaw-worker/);

    tmux('send-keys', '-t', SESSION, '?');
    await waitForScreen(/help/i);
    tmux('send-keys', '-t', SESSION, 'x');
    await new Promise((r) => setTimeout(r, 500));
    expect(screen()).not.toMatch(/openclaw\s+\S*\s*stopped/);
    tmux('send-keys', '-t', SESSION, 'Escape');
    await waitForScreen(/NAME\s+PID/);

    tmux('send-keys', '-t', SESSION, 'x');
    await waitForScreen(/openclaw\s+\S*\s*stopped/);
    tmux('send-keys', '-t', SESSION, 's');
    await waitForScreen(/6\/6 healthy/);

    tmux('send-keys', '-t', SESSION, 'q');
    await waitForScreen(/stop the fleet/);
    tmux('send-keys', '-t', SESSION, 's');
    const after = await waitForScreen(/fleet stopped: no process and no listener left behind/);
    expect(after).not.toContain('NAME');
    await waitForExit(exitFile);
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('exit 0');
    expect(await createLinuxPlatform().listeners(ports)).toEqual([]);
  });
});

async function waitForExit(file: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if (readFileSync(file, 'utf8').includes('exit')) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error('the console did not exit');
    await new Promise((r) => setTimeout(r, 50));
  }
}
