// Where the CPU time goes in a V8 .cpuprofile (node --cpu-prof): self time per function
// and per file, summed over the whole profile.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT } from './demo-fleet.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileTotals {
  totalMs: number;
  /** Self time by `function (file:line)`, largest first. */
  functions: [string, number][];
  /** Self time by file (or `(program)`, `(garbage collector)`, …), largest first. */
  files: [string, number][];
}

/** `skipMs`: leave out the first milliseconds of the profile (start-up, warm-up). */
export function summarizeProfile(path: string, skipMs = 0): ProfileTotals {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const from = profile.startTime + skipMs * 1000;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= from) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const file = frame.url ? shortUrl(frame.url) : frame.functionName || '(anonymous)';
    const fn = `${frame.functionName || '(anonymous)'}${frame.url ? ` (${file}:${frame.lineNumber + 1})` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us / 1000);
    files.set(file, (files.get(file) ?? 0) + us / 1000);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  const totalMs = (profile.endTime - Math.max(profile.startTime, from) - idleUs) / 1000;
  return { totalMs, functions: sorted(functions), files: sorted(files) };
}

export function printProfile(path: string, top: number, skipMs = 0): void {
  if (!existsSync(path)) {
    console.log(`  profile: ${path} was not written`);
    return;
  }
  const totals = summarizeProfile(path, skipMs);
  const skipped = skipMs > 0 ? ` after the first ${(skipMs / 1000).toFixed(0)} s` : '';
  console.log(`  profile ${relative(ROOT, path)}: ${totals.totalMs.toFixed(0)} ms of non-idle samples${skipped}`);
  console.log('  self time by file:');
  for (const [file, ms] of totals.files.slice(0, top)) console.log(`    ${ms.toFixed(1).padStart(8)} ms  ${file}`);
  console.log('  self time by function:');
  for (const [fn, ms] of totals.functions.slice(0, top)) console.log(`    ${ms.toFixed(1).padStart(8)} ms  ${fn}`);
}

function shortUrl(url: string): string {
  const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  return path.startsWith(ROOT) ? relative(ROOT, path) : path;
}
