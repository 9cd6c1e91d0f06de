// The gates pane as lines of text: a title naming the next gate, one row per gate (state,
// trial, the run or why it failed), and under a running gate its live progress — cycle,
// checks, failures, zombies, elapsed, ETA and the last failure in one line. Pure, so what
// fits in a given height can be tested without rendering.
import type { GateProgress } from '../gates/gate-progress.ts';
import type { GateState, GateStatus } from '../gates/gate-states.ts';
import type { FollowedRun, GateDeskSnapshot } from '../gates/desk/gate-controller.ts';
import { fitLeft, formatDuration, MISSING, truncate } from './format.ts';

export interface PaneLine {
  text: string;
  color?: string;
  /** Lower is kept longer when the pane is short. */
  keep: number;
}

const STATUS_WIDTH = 18;

export function statusColor(status: GateStatus): string | undefined {
  switch (status) {
    case 'PASSED':
      return 'green';
    case 'RUNNING':
      return 'yellow';
    case 'FAILED':
    case 'BLOCKED':
    case 'INTERRUPTED':
    case 'UNVERIFIED':
      return 'red';
    case 'PENDING':
      return undefined;
    default: {
      const unknown: never = status;
      throw new Error(`unknown gate status: ${String(unknown)}`);
    }
  }
}

/** `cycle 3/10 · checks 712/2160 · failures 0 · zombies 0 · probing`; a soak: `minute 12/2880 · soaking` */
export function progressLine(progress: GateProgress): string {
  if (progress.minutes > 0) return `minute ${progress.minute}/${progress.minutes} · ${progress.phase}`;
  const parts: string[] = [];
  if (progress.cycles > 0) parts.push(`cycle ${progress.cycle}/${progress.cycles}`);
  parts.push(progress.checksTotal > 0 ? `checks ${progress.checksDone}/${progress.checksTotal}` : `checks ${progress.checksDone}`);
  parts.push(`failures ${progress.failures}`, `zombies ${progress.zombies}`, progress.phase);
  return parts.join(' · ');
}

/** `elapsed 1h02m · ETA 3h58m` */
export function timesLine(progress: GateProgress): string {
  return `elapsed ${formatDuration(progress.elapsedMs)} · ETA ${progress.etaMs === null ? MISSING : formatDuration(progress.etaMs)}`;
}

export function lastFailureLine(progress: GateProgress): string {
  return `last failure: ${progress.lastFailure ?? 'none'}`;
}

function title(snapshot: GateDeskSnapshot, width: number, holder: string | null): string {
  const { next } = snapshot;
  const running = snapshot.states.find((s) => s.status === 'RUNNING');
  let what: string;
  if (!snapshot.loaded) what = 'reading the journals…';
  else if (snapshot.states.length === 0) what = 'unavailable';
  else if (running !== undefined) what = `${running.gate.id}${running.trial ? ' (trial)' : ''} is running, followed from its journal`;
  else if (next === null) what = 'every gate has passed';
  else if (next.plan.ok && next.admission.ok) what = `next: ${next.gate.id}${next.trial ? ' (trial)' : ''}, ${holder === null ? 'g runs it' : 'once the fleet is free'}`;
  else if (snapshot.toDocument !== null) what = `${snapshot.toDocument.gate} waits for its blocker: b`;
  else if (!next.plan.ok) what = `next: ${next.gate.id} may not run: ${next.plan.problem}`;
  else if (!next.admission.ok) what = `next: ${next.gate.id} may not run: ${next.admission.reason}`;
  else what = `next: ${next.gate.id}`;
  return truncate(`── gates · ${what} `, width).padEnd(width, '─');
}

function note(state: GateState, followed: FollowedRun | null): string {
  const run = state.run;
  const reason = run?.reasons?.[0];
  switch (state.status) {
    case 'PENDING':
      return state.gate.title;
    case 'RUNNING':
      return run === null ? '' : `run ${run.run_id}`;
    case 'PASSED': {
      const took = followed?.runId === run?.run_id && followed?.progress ? `took ${formatDuration(followed.progress.elapsedMs)} · ` : '';
      return run === null ? '' : `${took}run ${run.run_id}`;
    }
    case 'BLOCKED':
      return `b documents it: ${reason ?? 'see its summary'}`;
    case 'FAILED':
    case 'INTERRUPTED':
      return reason ?? (run === null ? '' : `run ${run.run_id}`);
    case 'UNVERIFIED':
      return `Q quarantines it: ${state.unverified ?? 'it does not verify'}`;
    default: {
      const unknown: never = state.status;
      throw new Error(`unknown gate status: ${String(unknown)}`);
    }
  }
}

/**
 * Every line the pane would show with room enough. `holder` names who holds the fleet
 * when this console does not (`g` waits for it; the header names it).
 */
export function gatesPaneLines(snapshot: GateDeskSnapshot, width: number, holder: string | null = null): PaneLine[] {
  const lines: PaneLine[] = [{ text: title(snapshot, width, holder), keep: 0 }];
  const idWidth = Math.max(8, ...snapshot.states.map((s) => s.gate.id.length)) + 2;
  const followed = snapshot.run;
  const nextId = snapshot.next?.gate.id ?? null;
  let pastNext = false;
  for (const state of snapshot.states) {
    const status = `${state.status}${state.trial ? ' trial' : ''}`;
    const row = `  ${fitLeft(state.gate.id, idWidth)}${fitLeft(status, STATUS_WIDTH)}${note(state, followed)}`;
    const live = state.status === 'RUNNING';
    // Gates after the next one are what a short pane leaves out first.
    lines.push({ text: truncate(row, width), color: statusColor(state.status), keep: live || !pastNext ? 1 : 3 });
    if (state.gate.id === nextId) pastNext = true;
    if (followed === null || followed.gate !== state.gate.id) continue;
    if (live && followed.live) {
      const indent = '    ';
      if (followed.progress === null) lines.push({ text: truncate(`${indent}starting: waiting for the runner's first record`, width), keep: 1 });
      else {
        lines.push({ text: truncate(indent + progressLine(followed.progress), width), keep: 1 });
        lines.push({ text: truncate(indent + timesLine(followed.progress), width), keep: 1 });
        lines.push({ text: truncate(indent + lastFailureLine(followed.progress), width), color: followed.progress.lastFailure === null ? undefined : 'red', keep: 1 });
      }
    } else if (!live && followed.progress !== null && state.run?.run_id === followed.runId && followed.progress.lastFailure !== null) {
      lines.push({ text: truncate(`    ${lastFailureLine(followed.progress)}`, width), color: 'red', keep: 2 });
    }
    if (followed.problem !== null) lines.push({ text: truncate(`    journal: ${followed.problem}`, width), color: 'red', keep: 2 });
  }
  for (const problem of snapshot.problems) lines.push({ text: truncate(`! ${problem}`, width), color: 'red', keep: 2 });
  return lines;
}

/** The lines that fit in `height`: the least kept go first, from the bottom; a last line says how many gates were left out. */
export function fitPaneLines(lines: readonly PaneLine[], height: number, width: number): PaneLine[] {
  if (height <= 0) return [];
  if (lines.length <= height) return [...lines];
  const kept = lines.map((line, index) => ({ line, index }));
  let dropped = 0;
  while (kept.length > height - 1 && kept.length > 0) {
    let worst = kept.length - 1;
    for (let i = kept.length - 1; i >= 0; i--) if ((kept[i]?.line.keep ?? 0) > (kept[worst]?.line.keep ?? 0)) worst = i;
    kept.splice(worst, 1);
    dropped += 1;
  }
  return [...kept.map((k) => k.line), { text: truncate(`  … ${dropped} more line${dropped === 1 ? '' : 's'} (a taller terminal shows them)`, width), keep: 0 }];
}
