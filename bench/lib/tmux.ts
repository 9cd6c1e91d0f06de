// A private tmux server (its own socket, `tmux -L`) so benchmarks never touch the
// user's sessions; killed as a whole at the end.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { benchEnv } from './demo-fleet.ts';
import { isAlive, killQuietly, onInterrupt, sleep, waitUntil } from './processes.ts';

export function tmuxAvailable(): string | null {
  try {
    return execFileSync('tmux', ['-V'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

export class Tmux {
  readonly socket: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly removeInterrupt: () => void;

  constructor(name: string, env: NodeJS.ProcessEnv = benchEnv()) {
    this.socket = `evident-bench-${name}-${process.pid}`;
    this.env = env;
    this.removeInterrupt = onInterrupt(async () => this.killServer());
  }

  run(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** Starts a detached 80×24 session running `command` (through the shell); returns the pane's pid. */
  newSession(session: string, command: string, width = 80, height = 24): number {
    this.run('new-session', '-d', '-s', session, '-x', String(width), '-y', String(height), command);
    return this.panePid(session);
  }

  panePid(session: string): number {
    return Number(this.run('list-panes', '-t', session, '-F', '#{pane_pid}').trim());
  }

  capture(session: string): string {
    return this.run('capture-pane', '-p', '-t', session);
  }

  /** Polls the screen every `everyMs` until it matches; returns ms from `since`, or null on timeout. */
  async waitForScreen(session: string, pattern: RegExp, since: number, timeoutMs: number, everyMs = 10): Promise<number | null> {
    const deadline = since + timeoutMs;
    for (;;) {
      let text = '';
      try {
        text = this.capture(session);
      } catch {
        // the session may not exist yet or any more
      }
      const now = performance.now();
      if (pattern.test(text)) return now - since;
      if (now > deadline) return null;
      await sleep(everyMs);
    }
  }

  /** Kills a session (its processes get SIGHUP) and waits for `pid` to end; SIGKILL after 10 s. */
  async killSession(session: string, pid: number): Promise<void> {
    try {
      this.run('kill-session', '-t', session);
    } catch {
      // already gone
    }
    if (pid > 0 && !(await waitUntil(() => !isAlive(pid), 10_000, 20))) killQuietly(pid);
  }

  /** Ends the private server and removes its socket file (tmux leaves it behind). */
  killServer(): void {
    this.removeInterrupt();
    try {
      this.run('kill-server');
    } catch {
      // no server
    }
    rmSync(join(this.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`, this.socket), { force: true });
  }
}

/** Quotes an argument for the shell tmux runs a session's command with. */
export function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}
