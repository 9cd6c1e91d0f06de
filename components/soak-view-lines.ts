// The soak view as lines of text: where a Gate 2 run stands (status, minute, elapsed and
// time left), its traffic, its error rate against the limit as a bar, p50/p95/p99 over the
// whole run as sparklines, memory growth per service against its limit, restarts, and the
// breach — or, while there is none, the criterion nearest to one. The criteria come from
// the follower's SoakTally, so the view says what the judge will. Pure: snapshot and
// `now` in, lines out; each line says how long it is kept when the pane is short.
import type { CriterionVerdict } from '../gates/soak/soak-tally.ts';
import type { SoakRunInfo, SoakRunSnapshot } from '../gates/soak/soak-run-follower.ts';
import { fitLeft, fitRight, formatBytes, formatDuration, MISSING, truncate } from './format.ts';
import type { PaneLine } from './gates-pane-lines.ts';
import { downsampleMax } from './series-downsample.ts';
import type { RunnerLiveness } from './soak-run-choice.ts';
import { sparkline } from './sparkline-text.ts';

export type SoakView =
  | { kind: 'none'; gate: string; message: string }
  /** `snapshot` is null until the follower has been loaded. */
  | { kind: 'run'; gate: string; runId: string; snapshot: SoakRunSnapshot | null; runner: RunnerLiveness };

export interface SoakStatusText {
  label: string;
  color: string | undefined;
}

const ERROR_BAR = 16;

/** RUNNING, WARM-UP, ENDED (judging), the verdict, or NO END RECORD when the runner is gone. */
export function soakStatus(snapshot: SoakRunSnapshot, runner: RunnerLiveness): SoakStatusText {
  const end = snapshot.end;
  if (end?.status === 'PASSED') return { label: 'PASSED', color: 'green' };
  if (end?.status === 'FAILED' || end?.status === 'INTERRUPTED') return { label: end.status, color: 'red' };
  if (end !== null) return { label: 'ENDED', color: 'yellow' };
  if (runner === 'gone') return { label: 'NO END RECORD', color: 'red' };
  const latest = snapshot.points.at(-1)?.minute ?? 0;
  const baseline = snapshot.run?.baseline ?? 1;
  return { label: latest + 1 < baseline ? 'WARM-UP' : 'RUNNING', color: 'yellow' };
}

/**
 * How close a criterion is to its breach (1 = at the limit); null when not measured. For
 * most, measured ÷ limit; the p95 factor starts at ×1 (the baseline itself), so its
 * distance is (measured − 1) ÷ (limit − 1): a steady p95 is 0 %, not half-way to a breach.
 * Complete observations and achieved traffic are judged in each closed minute on its own:
 * a past minute's shortfall cannot grow, so there is nothing to draw nearer to (null).
 */
export function breachRatio(c: CriterionVerdict): number | null {
  if (c.name === 'complete_observations' || c.name === 'traffic_achieved') return null;
  if (c.measured === null || !Number.isFinite(c.measured)) return null;
  if (c.name === 'p95_stability_factor') return c.limit > 1 ? Math.max(0, c.measured - 1) / (c.limit - 1) : c.measured > 1 ? Number.POSITIVE_INFINITY : 0;
  if (c.limit > 0) return c.measured / c.limit;
  return c.measured > 0 ? Number.POSITIVE_INFINITY : 0;
}

/**
 * The passing criterion with the largest measured ÷ limit above zero, or null. During the
 * warm-up the error rate is left out: it is judged only from the baseline minute on.
 */
export function nearestToBreach(criteria: readonly CriterionVerdict[], warmup = false): { criterion: CriterionVerdict; ratio: number } | null {
  let best: { criterion: CriterionVerdict; ratio: number } | null = null;
  for (const c of criteria) {
    const ratio = breachRatio(c);
    if (!c.ok || ratio === null || ratio <= 0 || (warmup && c.name === 'max_error_rate')) continue;
    if (best === null || ratio > best.ratio) best = { criterion: c, ratio };
  }
  return best;
}

/** A criterion in words: `memory growth eva-os +1.2%, limit 5.0%`. */
export function describeCriterion(c: CriterionVerdict): string {
  const m = c.measured;
  switch (c.name) {
    case 'max_error_rate':
      return `error rate ${percent(m, 2)}, limit ${percent(c.limit, 2)}`;
    case 'max_memory_growth':
      return `memory growth ${c.service ?? ''} ${signedPercent(m)}, limit ${percent(c.limit, 1)}`;
    case 'max_restarts':
      return `restarts ${m ?? MISSING}${c.service ? ` (${c.service})` : ''}, limit ${c.limit}`;
    case 'p95_stability_factor':
      return `p95 ${m === null ? MISSING : `×${m.toFixed(2)}`} of the baseline minute's, limit ×${c.limit}`;
    case 'no_stuck_session':
      return `stuck requests ${m ?? MISSING}, limit 0`;
    case 'complete_observations':
      return `observations${c.service ? ` ${c.service}` : ''} ${percent(m, 0)} of the samples due, limit ${percent(c.limit, 0)}`;
    case 'traffic_achieved':
      return `traffic${c.endpoint ? ` ${c.endpoint}` : ''} ${percent(m, 0)} of its schedule, limit ${percent(c.limit, 0)}`;
    default:
      return `${sustainedRule(c.name)} for ${m ?? MISSING} of ${c.limit} minutes in a row`;
  }
}

/**
 * Every line the view shows at `width`. Given a `height`, rows left over below the
 * summary list the latest minutes, newest first.
 */
export function soakViewLines(view: SoakView, width: number, now: number, height = 0): PaneLine[] {
  if (view.kind === 'none') return [{ text: title(`${view.gate} soak`, width), keep: 0 }, { text: truncate(view.message, width), keep: 0 }];
  const snapshot = view.snapshot;
  const heading = `${view.gate} soak · run ${view.runId}${snapshot?.run?.trial ? ' · trial' : ''}`;
  if (snapshot === null) return [{ text: title(heading, width), keep: 0 }, { text: 'reading the run…', keep: 0 }];
  if (snapshot.error !== null) return [{ text: title(heading, width), keep: 0 }, { text: truncate(snapshot.error, width), color: 'red', keep: 0 }];
  const info = snapshot.run;
  if (info === null) {
    const lines: PaneLine[] = [{ text: title(heading, width), keep: 0 }, { text: truncate(`waiting for the run's first record in ${snapshot.dir}`, width), keep: 0 }];
    if (snapshot.problem !== null) lines.push({ text: truncate(`! ${snapshot.problem}`, width), color: 'red', keep: 0 });
    return lines;
  }
  const lines: PaneLine[] = [{ text: title(`${info.gate} soak · run ${info.runId}${info.trial ? ' · trial' : ''}`, width), keep: 0 }];
  const status = soakStatus(snapshot, view.runner);
  lines.push({ text: truncate(statusLine(status, snapshot, info, now), width), color: status.color, keep: 0 });
  lines.push(highlightLine(snapshot, width));
  lines.push(...trafficLines(snapshot, info, width));
  lines.push(...memoryLines(snapshot, info, width));
  const others = snapshot.criteria.filter((c) => c.name === 'max_restarts' || c.name === 'no_stuck_session' || c.name.startsWith('sustained:'));
  lines.push({ text: truncate(otherCriteriaLine(others), width), color: others.some((c) => !c.ok) ? 'red' : undefined, keep: 1 });
  const end = snapshot.end;
  if (end !== null && end.reasons.length > 0) lines.push({ text: truncate(`verdict: ${end.reasons[0]}`, width), color: 'red', keep: 0 });
  if (end?.summaryFile) lines.push({ text: truncate(`summary: ${end.summaryFile} (evident verify checks it)`, width), keep: 2 });
  if (snapshot.missing.length > 0) lines.push({ text: truncate(`! no file for minute ${snapshot.missing.join(', ')}: the verdict counts it missing`, width), color: 'red', keep: 0 });
  if (snapshot.problem !== null) lines.push({ text: truncate(`! ${snapshot.problem}`, width), color: 'red', keep: 0 });
  if (snapshot.behind) lines.push({ text: truncate(`reading the minute files… ${snapshot.points.length} so far`, width), keep: 0 });
  const room = height - lines.length - 2;
  if (room >= 1 && snapshot.points.length > 0) lines.push(...recentMinutes(snapshot, room, width));
  return lines;
}

/** A title, a column line and the last `rows` minutes, newest first. */
function recentMinutes(snapshot: SoakRunSnapshot, rows: number, width: number): PaneLine[] {
  const lines: PaneLine[] = [
    { text: title('latest minutes', width), keep: 4 },
    { text: truncate(`${fitRight('minute', 7)}${fitRight('requests', 10)}${fitRight('errors', 8)}${fitRight('p50', 10)}${fitRight('p95', 10)}${fitRight('p99', 10)}  memory`, width), keep: 4 },
  ];
  for (const p of snapshot.points.slice(-rows).reverse()) {
    const worst = p.worstGrowth;
    // No service grew: naming the first of them would single it out for nothing.
    const growth = worst === null ? MISSING : worst.growth > 0 ? `${signedPercent(worst.growth)} ${worst.service}` : signedPercent(worst.growth);
    const text = `${fitRight(String(p.minute), 7)}${fitRight(count(p.requests), 10)}${fitRight(count(p.errors), 8)}${fitRight(ms(p.p50), 10)}${fitRight(ms(p.p95), 10)}${fitRight(ms(p.p99), 10)}  ${growth}`;
    lines.push({ text: truncate(text, width), color: p.breaches.length > 0 ? 'red' : undefined, keep: 4 });
  }
  return lines;
}

function statusLine(status: SoakStatusText, snapshot: SoakRunSnapshot, info: SoakRunInfo, now: number): string {
  const start = Date.parse(info.startedAt);
  const endedAt = snapshot.end?.endedAt ? Date.parse(snapshot.end.endedAt) : null;
  const elapsed = Math.max(0, (endedAt ?? now) - start);
  const minutes = `${snapshot.points.at(-1)?.minute ?? 0}/${info.expected} min`;
  const parts = [status.label];
  if (status.label === 'WARM-UP') parts.push(`baseline is minute ${info.baseline}`);
  parts.push(minutes);
  if (snapshot.end !== null) {
    parts.push(`took ${formatDuration(elapsed)}`);
    if (snapshot.end.status === null) parts.push('verdict being written');
  } else {
    parts.push(`elapsed ${formatDuration(elapsed)}`);
    const left = start + info.durationS * 1000 - now;
    parts.push(left > 0 ? `left ${formatDuration(left)}` : 'due to end');
    if (status.label === 'NO END RECORD') parts.push('its runner is gone');
  }
  return parts.join(' · ');
}

/** The breach (red), else the criterion nearest to one (yellow from 80 % of its limit). */
function highlightLine(snapshot: SoakRunSnapshot, width: number): PaneLine {
  const breach = snapshot.firstBreach;
  if (breach !== null) {
    const c = snapshot.criteria.find((x) => x.name === breach.criterion && x.service === breach.service);
    const what = c === undefined ? breach.criterion : describeCriterion(c);
    return { text: truncate(`BREACH in minute ${breach.minute}: ${what}`, width), color: 'red', keep: 0 };
  }
  const baseline = snapshot.run?.baseline ?? 1;
  const latest = snapshot.points.at(-1)?.minute ?? 0;
  const nearest = nearestToBreach(snapshot.criteria, latest < baseline);
  if (nearest === null) {
    const why = latest < baseline ? `nothing measured against a limit yet (baseline: minute ${baseline})` : 'every criterion at zero';
    return { text: truncate(`no breach · ${why}`, width), keep: 0 };
  }
  const share = Number.isFinite(nearest.ratio) ? `${Math.round(nearest.ratio * 100)}% of the limit` : 'over';
  return { text: truncate(`no breach · nearest: ${describeCriterion(nearest.criterion)} (${share})`, width), color: nearest.ratio >= 0.8 ? 'yellow' : undefined, keep: 0 };
}

function trafficLines(snapshot: SoakRunSnapshot, info: SoakRunInfo, width: number): PaneLine[] {
  const points = snapshot.points;
  const last = points.at(-1);
  const requests = points.reduce((a, p) => a + p.requests, 0);
  const errors = points.reduce((a, p) => a + p.errors, 0);
  const rate = last === undefined ? MISSING : `${last.achievedRate.toFixed(2)}/s of ${Number(last.targetRate.toPrecision(3))}/s target`;
  const target = info.target === null ? '' : ` to ${info.target}`;
  const lines: PaneLine[] = [{ text: truncate(`requests ${count(requests)}${target} · last minute ${rate}`, width), keep: 1 }];

  const errorCriterion = snapshot.criteria.find((c) => c.name === 'max_error_rate');
  const measured = errorCriterion?.measured ?? 0;
  const limit = info.criteria.max_error_rate;
  const judged = (last?.minute ?? 0) >= info.baseline ? '' : ` · judged from minute ${info.baseline}`;
  const errorText = `errors   ${fitRight(percent(measured, 2), 6)} ${bar(limit > 0 ? measured / limit : measured > 0 ? 1 : 0, ERROR_BAR)} limit ${percent(limit, 2)} · ${count(errors)} of ${count(requests)}${judged}`;
  const near = limit > 0 && measured / limit >= 0.8;
  lines.push({ text: truncate(errorText, width), color: errorCriterion?.ok === false ? 'red' : near ? 'yellow' : undefined, keep: 1 });

  const p95 = snapshot.criteria.find((c) => c.name === 'p95_stability_factor');
  const p95Note = p95?.measured == null ? '' : ` worst ×${p95.measured.toFixed(2)} (limit ×${p95.limit})`;
  const series: [string, (p: (typeof points)[number]) => number | null, string, number][] = [
    ['p50', (p) => p.p50, '', 3],
    ['p95', (p) => p.p95, p95Note, 1],
    ['p99', (p) => p.p99, '', 2],
  ];
  // `p95 ▁▂▁…▃   48.3 ms worst ×1.21 (limit ×2)`: the sparkline takes what the numbers leave;
  // the factor is the worst minute's p95 over the baseline minute's, as the judge measures it.
  const sparkWidth = Math.max(8, width - 4 - 10 - 24);
  for (const [name, pick, note, keep] of series) {
    const values = points.map(pick);
    const latest = last === undefined ? null : pick(last);
    const text = `${name} ${sparkline(downsampleMax(values, sparkWidth), sparkWidth)} ${fitRight(ms(latest), 9)}${note}`;
    lines.push({ text: truncate(text, width), color: name === 'p95' && p95?.ok === false ? 'red' : undefined, keep });
  }
  return lines;
}

function memoryLines(snapshot: SoakRunSnapshot, info: SoakRunInfo, width: number): PaneLine[] {
  const memory = snapshot.criteria.filter((c) => c.name === 'max_memory_growth');
  const limit = info.criteria.max_memory_growth;
  const latest = snapshot.points.at(-1)?.minute ?? 0;
  const since = latest >= info.baseline ? `since minute ${info.baseline}` : `from minute ${info.baseline} (after warm-up)`;
  const lines: PaneLine[] = [{ text: truncate(`memory growth ${since} · limit ${percent(limit, 1)} each`, width), keep: 2 }];
  if (memory.length === 0) return lines;
  const columns = Math.max(1, Math.floor((width + 2) / 40));
  const cell = Math.floor((width - 2 * (columns - 1)) / columns);
  const nameWidth = Math.min(16, Math.max(...memory.map((c) => (c.service ?? '').length)));
  const rss = snapshot.points.at(-1)?.rss ?? [];
  const nearest = nearestToBreach(snapshot.criteria, latest < info.baseline)?.criterion;
  for (let i = 0; i < memory.length; i += columns) {
    const row = memory.slice(i, i + columns);
    const cells = row.map((c) => {
      const index = info.services.indexOf(c.service ?? '');
      const bytes = index === -1 ? null : (rss[index] ?? null);
      const left = `${fitLeft(c.service ?? '', nameWidth)} ${fitRight(signedPercent(c.measured), 6)} `;
      const right = ` ${fitRight(formatBytes(bytes), 8)}`;
      const barWidth = Math.max(3, cell - left.length - right.length);
      return fitLeft(`${left}${bar(c.measured === null || limit <= 0 ? 0 : c.measured / limit, barWidth)}${right}`, cell);
    });
    const breached = row.some((c) => !c.ok);
    const near = row.some((c) => c === nearest && (breachRatio(c) ?? 0) >= 0.8);
    lines.push({ text: truncate(cells.join('  ').trimEnd(), width), color: breached ? 'red' : near ? 'yellow' : undefined, keep: 1 });
  }
  return lines;
}

/** `restarts 0 (limit 0) · stuck requests 0 · p95_ms>2000 for 3 min: longest 0` */
function otherCriteriaLine(criteria: readonly CriterionVerdict[]): string {
  const parts: string[] = [];
  for (const c of criteria) {
    if (c.name === 'max_restarts') parts.push(`restarts ${c.measured ?? MISSING} (limit ${c.limit})`);
    else if (c.name === 'no_stuck_session') parts.push(`stuck requests ${c.measured ?? MISSING}`);
    else parts.push(`${sustainedRule(c.name)} for ${c.limit} min: longest ${c.measured ?? 0}`);
  }
  return parts.join(' · ');
}

/** `sustained:p95_ms>2000x3` → `p95_ms>2000`. */
function sustainedRule(name: string): string {
  return name.slice('sustained:'.length).replace(/x\d+$/, '');
}

function title(text: string, width: number): string {
  return truncate(`── ${text} `, width).padEnd(width, '─');
}

/** `████░░░░`: a fraction of a limit; full (and no more) at or past it. */
export function bar(fraction: number, width: number): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 1;
  const filled = Math.round(f * width);
  return '█'.repeat(filled) + '░'.repeat(Math.max(0, width - filled));
}

function percent(value: number | null, digits: number): string {
  return value === null ? MISSING : `${(value * 100).toFixed(digits)}%`;
}

function signedPercent(value: number | null): string {
  if (value === null) return MISSING;
  const text = `${(value * 100).toFixed(1)}%`;
  return value >= 0 ? `+${text}` : text;
}

function ms(value: number | null): string {
  if (value === null) return MISSING;
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
