// `evident watch` in a real terminal: tmux runs it at 80×24 on a soak run being written;
// the screen shows each minute as it closes, then the verdict; q quits with the verdict's
// exit code, and the run's folder is left as it was.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.ts';
import { startSoakRun } from '../helpers/soak-run-folder.ts';

const SESSION = `evident-watch-e2e-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'evident-watch-tmux-'));

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

async function waitForScreen(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = tmux('capture-pane', '-p', '-t', SESSION);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`screen never matched ${pattern}:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(() => {
  try {
    tmux('kill-session', '-t', SESSION);
  } catch {
    // already gone
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('evident watch in a real terminal', () => {
  it('shows the soak view full-screen as minutes close, then the verdict; q quits with its code', async () => {
    const soak = await startSoakRun({ artifactsDir: join(dir, 'artifacts'), keysDir: join(dir, 'state', 'keys'), durationS: 180 });
    await soak.minute(1);
    const exitFile = join(dir, 'exit.txt');
    const command = [process.execPath, BIN, 'watch', soak.dir, '--interval', '200', '--state-dir', join(dir, 'state')].map((a) => `'${a}'`).join(' ');
    tmux('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '24', `NO_COLOR=1 ${command}; echo "exit $?" > '${exitFile}'; sleep 60`);

    const first = await waitForScreen(/RUNNING · 1\/3 min/);
    expect(first).toContain(`── gate2 soak · run ${soak.run.id} · trial`);
    expect(first).toContain('q quit (the run goes on)');
    expect(first.split('\n').every((line) => line.length <= 80)).toBe(true);

    await soak.minute(2, { rss: { openclaw: 51e6 } });
    await waitForScreen(/RUNNING · 2\/3 min/);
    await soak.minute(3);
    const files = readdirSync(soak.dir).sort();
    await soak.finish();
    const ended = await waitForScreen(/PASSED · 3\/3 min/);
    // Minute 2's row among the latest minutes: openclaw grew then.
    expect(ended).toMatch(/^ +2 +60 +0 .* \+2\.0% openclaw$/m);
    expect(ended).toContain('summary: gate2-summary-');
    // Watching wrote nothing into the run's folder.
    expect(readdirSync(soak.dir).filter((name) => !files.includes(name)).every((name) => /^(gate2-(summary|manifest)-|SHA256SUMS|checkpoints)/.test(name))).toBe(true);

    tmux('send-keys', '-t', SESSION, 'q');
    await waitForScreen(new RegExp(`gate2 run ${soak.run.id} PASSED: evidence in`));
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      try {
        expect(readFileSync(exitFile, 'utf8').trim()).toBe('exit 0');
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('exit 0');
  });
});
