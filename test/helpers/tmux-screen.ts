// A real terminal for end-to-end tests: a tmux session to run the console in, its screen
// read back as text, keys sent one at a time, and waits on what the screen shows (never on
// how long something takes).
import { execFileSync } from 'node:child_process';

export interface TmuxScreen {
  tmux(...args: string[]): string;
  /** The screen's text now. */
  screen(): string;
  /** Waits until the screen (or its flattened text) matches; throws with the screen after `timeoutMs`. */
  waitForScreen(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** One key per call: several printable characters in one read are a paste, which the console ignores. */
  press(key: string): void;
  kill(): void;
}

/** The screen as one line: box borders and line breaks out, so a wrapped question reads whole. */
export function flat(text: string): string {
  return text.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');
}

export function tmuxScreen(session: string): TmuxScreen {
  const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', session);
  return {
    tmux,
    screen,
    async waitForScreen(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = screen();
        if (pattern.test(text) || pattern.test(flat(text))) return text;
        if (Date.now() > deadline) throw new Error(`screen never matched ${pattern}:\n${text}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    press(key) {
      tmux('send-keys', '-t', session, key);
    },
    kill() {
      try {
        tmux('kill-session', '-t', session);
      } catch {
        // already gone
      }
    },
  };
}
