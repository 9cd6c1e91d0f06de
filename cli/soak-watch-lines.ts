// What `evident watch --plain` prints for a soak run: a line when it starts following, one
// per closed minute (requests, error rate, p95, worst memory growth, restarts, a breach
// first seen in it), and the verdict at the end. Plain text, no colour; `--json` prints the
// same facts as objects.
import type { Breach } from '../gates/soak/soak-tally.ts';
import type { SoakMinutePoint, SoakRunEnd, SoakRunInfo } from '../gates/soak/soak-run-follower.ts';

/** `watching gate2 run 01… (a trial): 5 minutes of 60 s, baseline minute 1, evidence in …` */
export function watchStartLine(info: SoakRunInfo, dir: string): string {
  const trial = info.trial ? ' (a trial)' : '';
  return `watching ${info.gate} run ${info.runId}${trial}: ${info.expected} minute(s) of ${info.minuteS} s, baseline minute ${info.baseline}, started ${info.startedAt}; evidence in ${dir}`;
}

/**
 * `minute 12/2880: 105 requests, errors 0.00% (run 0.01%), p95 48.3 ms, memory +1.2% (eva-os), restarts 0`
 * — `restarts` is the run's total so far, as the criterion counts it.
 */
export function minuteLine(point: SoakMinutePoint, info: SoakRunInfo, restartsSoFar: number): string {
  const warmup = point.minute < info.baseline ? ' (warm-up)' : '';
  const minuteRate = point.requests > 0 ? point.errors / point.requests : 0;
  const worst = point.worstGrowth;
  const memory = worst === null ? 'memory baseline pending' : worst.growth > 0 ? `memory ${signed(worst.growth)} (${worst.service})` : `memory ${signed(worst.growth)}`;
  const parts = [
    `${point.requests} requests`,
    `errors ${pct(minuteRate, 2)} (run ${pct(point.errorRate, 2)})`,
    `p95 ${point.p95 === null ? 'n/a' : `${Number(point.p95.toPrecision(4))} ms`}`,
    memory,
    `restarts ${restartsSoFar}`,
  ];
  const breaches = point.breaches.map((b) => `BREACH ${describeBreach(b)}`);
  return `minute ${point.minute}/${info.expected}${warmup}: ${[...parts, ...breaches].join(', ')}`;
}

/** `gate2 run 01… PASSED: evidence in …` with the verdict's first reasons. */
export function endLine(info: SoakRunInfo, end: SoakRunEnd, dir: string): string {
  const reasons = end.reasons.length > 0 ? `\n  ${end.reasons.slice(0, 3).join('\n  ')}` : '';
  return `${info.gate} run ${info.runId} ${end.status ?? 'ENDED'}: evidence in ${dir} (check it: evident verify ${dir})${reasons}`;
}

export function describeBreach(b: Breach): string {
  const measured = b.measured === null ? 'n/a' : String(Number(b.measured.toPrecision(4)));
  const named = b.service ?? b.endpoint;
  return `${b.criterion}${named ? ` (${named})` : ''} measured ${measured}, limit ${Number(b.limit.toPrecision(4))}`;
}

function pct(value: number, digits: number): string {
  return `${(value * 100).toFixed(digits)}%`;
}

function signed(value: number): string {
  const text = `${(value * 100).toFixed(1)}%`;
  return value >= 0 ? `+${text}` : text;
}
