// evident state: the state view (contract lock, runs, gates, blockers, sign-offs) — show
// it, or rebuild it from the journals alone. What the journals claim about a run is shown
// beside what its folder verifies to: an ended run is PASSED only if it verifies.
import { judges } from '../../gates/load-judges.ts';
import { existsSync, statSync } from 'node:fs';
import { rebuildState } from '../../src/state/rebuild-state.ts';
import { resolveArtifactsDir } from '../../src/paths/state-paths.ts';
import { StateStore } from '../../src/state/state-store.ts';
import type { StateView } from '../../src/state/state-view.ts';
import type { StatePaths } from '../../src/paths/state-paths.ts';
import type { RunVerification } from '../../src/evidence/verified-runs.ts';
import { EXIT, UsageError } from '../../src/errors/exit-codes.ts';
import { parseCommandArgs } from '../parse-command-args.ts';
import { trustedStatePaths } from '../trusted-state-paths.ts';

export const stateHelp = `usage: evident state <show|rebuild> [--state-dir DIR] [--artifacts-dir DIR] [--json]

The state view, state/evident-state.json: the contract lock, every run and its verdict,
gate statuses, blockers and sign-offs. It is a view of the journals, never the source of
truth: commands keep it current as they record, and it can always be recomputed from
<artifacts>/operator/journal.jsonl (its attested records) and every
<artifacts>/<run>/journal.jsonl (runs quarantined into invalidated/ are left out). A
journal's verdict is a claim: every ended run is shown with what its folder verifies to,
as \`evident verify\` checks it against this installation's keys, and a run that does not
verify is UNVERIFIED with the reason, never PASSED.

  show     print the view, first folding in records appended since it was written
  rebuild  recompute the view from the journals alone and write it over the old one

  --state-dir DIR      where the view is kept (default ./state, or EVIDENT_STATE_DIR)
  --artifacts-dir DIR  the journals (default ./artifacts, or EVIDENT_ARTIFACTS_DIR)
  --json               print the view as one JSON object

exit: 0 ok, 1 a journal's chain is broken (the view holds its records up to the break),
      2 bad input`;

export async function stateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'state',
    argv,
    { 'state-dir': { type: 'string' }, 'artifacts-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help) {
    console.log(stateHelp);
    return EXIT.ok;
  }
  const action = positionals[0];
  if (positionals.length !== 1 || (action !== 'show' && action !== 'rebuild')) {
    throw new UsageError(`evident state: expected show or rebuild, got ${positionals.length === 0 ? 'nothing' : positionals.map((p) => JSON.stringify(p)).join(' ')}\nrun \`evident state --help\` for usage`);
  }
  const paths = trustedStatePaths(values['state-dir']);
  if (existsSync(paths.root) && !statSync(paths.root).isDirectory()) throw new UsageError(`evident state: state folder ${paths.root}: a file is in the way`);
  const artifactsDir = resolveArtifactsDir(values['artifacts-dir']);
  const json = values.json === true;

  if (action === 'rebuild') {
    // A mistyped folder would otherwise replace the view with an empty one.
    if (!existsSync(artifactsDir) || !statSync(artifactsDir).isDirectory()) throw new UsageError(`evident state rebuild: no artifacts folder at ${artifactsDir}: nothing to rebuild from (--artifacts-dir or EVIDENT_ARTIFACTS_DIR)`);
    const rebuilt = await rebuildState(artifactsDir, paths);
    const from = rebuilt.view.rebuilt_from;
    const verified = await verifyRuns(rebuilt.view, paths);
    if (json) console.log(JSON.stringify({ ok: rebuilt.problems.length === 0, path: rebuilt.path, problems: rebuilt.problems, view: rebuilt.view, verified: Object.fromEntries(verified) }));
    else {
      for (const problem of rebuilt.problems) console.log(problem);
      console.log(`rebuilt ${rebuilt.path} from ${from?.journals ?? 0} journal(s), ${from?.records ?? 0} record(s) in ${artifactsDir}`);
      for (const line of describeView(rebuilt.view, verified)) console.log(line);
    }
    return rebuilt.problems.length === 0 ? EXIT.ok : EXIT.checkFailed;
  }

  const store = await StateStore.open(paths, artifactsDir);
  // Showing is reading: the caught-up view is written back only where both folders exist,
  // so a mistyped folder neither creates a state folder nor empties the view.
  if (existsSync(paths.root) && existsSync(artifactsDir)) await store.save();
  const verified = await verifyRuns(store.view, paths);
  if (json) console.log(JSON.stringify({ ok: store.problems.length === 0, path: store.path, problems: store.problems, view: store.view, verified: Object.fromEntries(verified) }));
  else {
    for (const problem of store.problems) console.log(problem);
    console.log(`state view ${store.path} (journals in ${artifactsDir})`);
    for (const line of describeView(store.view, verified)) console.log(line);
  }
  return store.problems.length === 0 ? EXIT.ok : EXIT.checkFailed;
}

/** What every ended run's folder verifies to (from the cache when nothing changed); reads only. */
async function verifyRuns(view: StateView, paths: StatePaths): Promise<Map<string, RunVerification>> {
  const { VerifiedRuns } = await import('../../src/evidence/verified-runs.ts');
  const verifier = VerifiedRuns.forState(paths.root, paths.keys, judges);
  const verified = new Map<string, RunVerification>();
  for (const [id, run] of Object.entries(view.runs)) if (run.ended_at !== undefined) verified.set(id, await verifier.check(run.dir, { maySeal: false }));
  return verified;
}

/** A run's status: what its folder verifies to; what its journal claims only beside an UNVERIFIED. */
function runStatus(run: StateView['runs'][string], verification: RunVerification | undefined): string {
  if (run.ended_at === undefined) return run.status ?? 'RUNNING';
  if (verification?.ok === true) return `${verification.status} (verified)`;
  return `UNVERIFIED (its journal says ${run.status ?? 'nothing'}): ${verification?.problem ?? 'not verified'}`;
}

/** The view in plain lines, for a terminal or a log. */
function describeView(view: StateView, verified: ReadonlyMap<string, RunVerification>): string[] {
  const lines: string[] = [];
  const lock = view.contract_lock;
  lines.push(
    lock === null
      ? 'contract lock: none (the first `evident contract check` or gate run takes it)'
      : `contract lock: ${JSON.stringify(lock.name)} version ${lock.version} (hash ${lock.hash.slice(0, 12)}), ${lock.approved_by === undefined ? `locked ${lock.locked_at}` : `approved by ${lock.approved_by} at ${lock.locked_at}: ${JSON.stringify(lock.reason ?? '')}`}`,
  );
  const runs = Object.entries(view.runs).sort(([a], [b]) => (a < b ? -1 : 1));
  lines.push(`runs: ${runs.length === 0 ? 'none' : runs.length}`);
  for (const [id, run] of runs) {
    lines.push(`  ${id}  ${run.kind.padEnd(10)} ${run.gate ?? '-'} started ${run.started_at}${run.ended_at === undefined ? '' : `, ended ${run.ended_at}`}${run.trial ? ' (trial)' : ''}: ${runStatus(run, verified.get(id))}`);
  }
  // Each gate as its latest run stands: verified, or UNVERIFIED (`evident gates` adds the contract, the pipeline and the order).
  const gates = Object.entries(view.gates).sort(([a], [b]) => (a < b ? -1 : 1));
  const gateStatus = (g: StateView['gates'][string]) => {
    const run = g.run_id === null ? undefined : view.runs[g.run_id];
    if (run === undefined || run.ended_at === undefined) return g.status;
    const verification = verified.get(g.run_id as string);
    return verification?.ok === true ? (g.status === 'BLOCKED' ? 'BLOCKED' : (verification.status ?? g.status)) : 'UNVERIFIED';
  };
  lines.push(`gates: ${gates.length === 0 ? 'none' : gates.map(([gate, g]) => `${gate} ${gateStatus(g)}`).join(', ')}`);
  lines.push(`blockers: ${view.blockers.length === 0 ? 'none' : view.blockers.length}`);
  for (const b of view.blockers) lines.push(`  ${b.at} by ${b.actor}: ${JSON.stringify(b.reason ?? b.title ?? b.record_id)}`);
  lines.push(`sign-offs: ${view.signoffs.length === 0 ? 'none' : view.signoffs.length}`);
  for (const s of view.signoffs) lines.push(`  ${s.at} by ${s.actor}${typeof s.gate === 'string' ? ` for ${s.gate}` : ''}`);
  return lines;
}
