// `evident watch --plain` (and whenever stdout is not a terminal): follows a soak run from
// its folder and prints one line per closed minute, from minute 1 when it starts late,
// then the verdict, and exits with the verdict's code — once the run's folder verifies: a
// journal's verdict is a claim until then (`verified` says whether it stands). It only
// reads: quitting it (Ctrl-C) never touches the run.
import { SoakRunFollower, type SoakStatus } from '../gates/soak/soak-run-follower.ts';
import { EXIT } from '../src/errors/exit-codes.ts';
import { endLine, minuteLine, watchStartLine } from './soak-watch-lines.ts';

export interface PlainWatchOptions {
  dir: string;
  json: boolean;
  everyMs: number;
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** The clock the overdue note reads (tests move it). */
  now?: () => number;
  /** Stops watching (resolves with EXIT.ok): the run is not touched. */
  signal?: AbortSignal;
  /** Whether the ended run's folder verifies, and if not why (a claim stands only once it does). */
  verified?: (dir: string) => Promise<{ ok: boolean; problem: string | null }>;
}

/** How long an end record may wait for its verdict before watch stops waiting. */
const VERDICT_WAIT_MS = 30_000;

/** PASSED 0, FAILED 1, INTERRUPTED 3: the run did not finish, so it cannot count (like a blocked gate). */
export function exitCodeOf(status: SoakStatus): number {
  // As `evident gate` exits for the run it ran: 0 passed, 1 failed or interrupted.
  return status === 'PASSED' ? EXIT.ok : EXIT.checkFailed;
}

export async function watchPlain({ dir, json, everyMs, out = console.log, err = console.error, now = Date.now, signal, verified }: PlainWatchOptions): Promise<number> {
  const follower = new SoakRunFollower(dir);
  const print = (text: string, object: Record<string, unknown>) => out(json ? JSON.stringify(object) : text);
  let printed = 0;
  let missingPrinted = 0;
  let restarts = 0;
  let started = false;
  let said = { waiting: false, overdue: false, problem: null as string | null };
  let endSeenAt: number | null = null;
  while (signal?.aborted !== true) {
    follower.poll();
    const s = follower.snapshot;
    if (s.error !== null) {
      err(`evident watch: ${s.error}`);
      return EXIT.usage;
    }
    if (s.problem !== said.problem) {
      if (s.problem !== null) err(`evident watch: warning: ${s.problem}`);
      said = { ...said, problem: s.problem };
    }
    const info = s.run;
    if (info === null) {
      if (!said.waiting) print(`waiting for the run's first record in ${dir}`, { type: 'waiting', dir });
      said = { ...said, waiting: true };
    } else {
      if (!started) print(watchStartLine(info, dir), { type: 'start', run_id: info.runId, gate: info.gate, trial: info.trial, started_at: info.startedAt, minutes_expected: info.expected, minute_s: info.minuteS, baseline_minute: info.baseline, dir });
      started = true;
      // The closed minutes not printed yet, and the minutes the runner skipped, in order.
      const events = [
        ...s.points.slice(printed).map((point) => ({ minute: point.minute, point })),
        ...s.missing.slice(missingPrinted).map((minute) => ({ minute, point: null })),
      ].sort((a, b) => a.minute - b.minute);
      for (const { minute, point } of events) {
        if (point === null) {
          print(`minute ${minute}/${info.expected}: no file (the runner skipped it; the verdict counts it missing)`, { type: 'missing', minute });
          continue;
        }
        restarts += point.restarts;
        print(minuteLine(point, info, restarts), {
          type: 'minute',
          minute,
          requests: point.requests,
          errors: point.errors,
          error_rate_minute: point.requests > 0 ? point.errors / point.requests : 0,
          error_rate_run: point.errorRate,
          p50_ms: point.p50,
          p95_ms: point.p95,
          p99_ms: point.p99,
          achieved_rate_per_s: point.achievedRate,
          target_rate_per_s: point.targetRate,
          worst_memory_growth: point.worstGrowth,
          restarts_total: restarts,
          breaches: point.breaches,
        });
      }
      printed = s.points.length;
      missingPrinted = s.missing.length;
      const end = s.end;
      if (end !== null && !s.behind) {
        endSeenAt ??= now();
        if (end.status !== null || now() - endSeenAt > VERDICT_WAIT_MS) {
          const code = end.status === null ? EXIT.checkFailed : exitCodeOf(end.status);
          const text = end.status === null ? `${info.gate} run ${info.runId} ended without a verdict record: evident verify ${dir} judges it` : endLine(info, end, dir);
          const check = end.status === null || verified === undefined ? null : await verified(dir);
          if (check !== null && !check.ok) {
            print(`${text}\nUNVERIFIED: ${check.problem ?? 'the run folder does not verify'}; its journal's verdict does not stand`, { type: 'end', status: 'UNVERIFIED', claimed: end.status, problem: check.problem, ended_at: end.endedAt, exit_code: EXIT.checkFailed });
            return EXIT.checkFailed;
          }
          print(text, { type: 'end', status: end.status, reasons: end.reasons, ended_at: end.endedAt, summary_file: end.summaryFile, exit_code: code });
          return code;
        }
      }
      const due = Date.parse(info.startedAt) + (info.durationS + 2 * info.minuteS + 30) * 1000;
      if (end === null && !said.overdue && now() > due) {
        const elapsed = Math.round((now() - Date.parse(info.startedAt)) / 1000);
        print(`no end record yet, ${elapsed} s after the start of a ${info.durationS} s run: its runner may be gone (\`evident gates\` tells); still watching`, { type: 'overdue', elapsed_s: elapsed });
        said = { ...said, overdue: true };
      }
    }
    await pause(s.behind ? 0 : everyMs, signal);
  }
  return EXIT.ok;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
