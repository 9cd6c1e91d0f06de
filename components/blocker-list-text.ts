// The blockers documented so far, as text for the reader: newest first, each with its
// gate and run, who documented it and when, and what failed, why, and what was done.
import type { Blocker } from '../gates/gate-states.ts';

export function blockerListText(blockers: readonly Blocker[]): string {
  if (blockers.length === 0) return 'no blocker documented yet\n\nA gate that failed is BLOCKED until its blocker is documented: b opens the form.';
  const entries = blockers.toReversed().map((b) =>
    [
      `${b.at} · ${b.gate} run ${b.run_id} · by ${b.actor}`,
      `  what failed: ${b.what_failed}`,
      `  root cause:  ${b.root_cause}`,
      `  fix:         ${b.fix}`,
      ...(b.remediation === undefined ? [] : [`  remediation: ${b.remediation}`]),
    ].join('\n'),
  );
  return entries.join('\n\n');
}
