// Every way a skeptical reviewer tried to make a pass that is not one, on a real
// installation (a two-service fixture fleet on ports 17480–17481, prerequisites and a full
// Gate 1 run honestly first): each forgery is refused, or shown UNVERIFIED or FAILED with
// its reason, by `evident gates`, by the console (its gate desk on the real folders, and
// the gates pane's lines it renders), by the release, and by `evident state rebuild`. The
// console in a real terminal, and its Q, are driven in console-quarantine-tmux.test.ts;
// the stop forgeries (a service killed after its stop
// timeout, an escapee that obeys SIGTERM) are Gate 1 runs of real fixtures in
// gate1-cli.test.ts and down-findings.test.ts.
//
// Each case works on a copy of the honest installation (state/, artifacts/, contract,
// pipeline), so no forgery leaks into the next.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../gates/registered-judges.ts';
import { buildMinuteMetrics } from '../../gates/soak/minute-metrics.ts';
import { minuteMetricsFileName } from '../../gates/soak/minute-document.ts';
import { GENESIS_HASH, type JournalRecord } from '../../src/evidence/journal-record.ts';
import { newRecordId } from '../../src/evidence/record-id.ts';
import { RunWriter } from '../../src/evidence/run-writer.ts';
import { newLatencyHistogram } from '../../src/traffic/latency-histogram.ts';
import { writeArtifact } from '../../src/evidence/write-artifact.ts';
import { consoleGatesPane } from '../helpers/console-gates-pane.ts';
import { editSummary, forgerKey, readRecords, recheckpoint, rechain, remanifest, writeRecords } from '../helpers/forge.ts';
import { ROOT, runCli } from '../helpers/run-cli.ts';
import { fixtureService } from '../helpers/temp-fleet.ts';
import { until } from '../helpers/wait.ts';

const PORTS = [17480, 17481];
const folders: string[] = [];
let base = '';
let honestRun = '';

interface GateJson {
  gate: string;
  status: string;
  run_id: string | null;
  unverified: string | null;
  reasons: string[];
}

/** The phase 3 pipeline without the gates that have no runner yet, Gate 1 made short (its declared parameters, so a full run). */
function pipeline(version = '1.0.0', gate1Criteria: Record<string, unknown> = {}) {
  const phase3 = JSON.parse(readFileSync(join(ROOT, 'contracts', 'pipeline.phase3.json'), 'utf8')) as { $schema?: string; gates: { id: string; kind: string; parameters?: Record<string, unknown>; criteria?: Record<string, unknown> }[] };
  delete phase3.$schema;
  const gates = phase3.gates.filter((g) => ['prerequisites', 'gate1', 'gate2', 'release'].includes(g.id));
  const gate1 = gates.find((g) => g.id === 'gate1');
  if (gate1 === undefined) throw new Error('the phase 3 pipeline has no gate1');
  gate1.parameters = { cycles: 1, duration_s: 2, interval_s: 1 };
  gate1.criteria = { ...gate1.criteria, ...gate1Criteria };
  return { ...phase3, name: 'forgery pipeline', version, gates };
}

function envOf(dir: string) {
  return {
    EVIDENT_STATE_DIR: join(dir, 'state'),
    EVIDENT_ARTIFACTS_DIR: join(dir, 'artifacts'),
    EVIDENT_CONTRACT: join(dir, 'contract.json'),
    EVIDENT_PIPELINE: join(dir, 'pipeline.json'),
    PYTHONHASHSEED: '0',
  };
}

/** A copy of the honest installation, and a CLI bound to it. */
function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'evident-forgery-'));
  folders.push(dir);
  cpSync(base, dir, { recursive: true });
  const env = envOf(dir);
  return {
    dir,
    env,
    artifacts: env.EVIDENT_ARTIFACTS_DIR,
    /** The honest Gate 1 run's folder in this copy. */
    honest: join(env.EVIDENT_ARTIFACTS_DIR, honestRun),
    cli: (...args: string[]) => runCli(args, { env }),
    async gates(): Promise<GateJson[]> {
      const result = await runCli(['gates', '--json'], { env });
      return (JSON.parse(result.stdout) as { gates: GateJson[] }).gates;
    },
  };
}

type Sandbox = ReturnType<typeof sandbox>;

/** The forgery counts nowhere: `gates` shows the state and reason, the release is refused naming the gate, state rebuild agrees. */
async function refusedEverywhere(t: Sandbox, gate: string, status: 'UNVERIFIED' | 'BLOCKED', reason: RegExp, options: { viewOnly?: boolean } = {}): Promise<void> {
  const states = await t.gates();
  const state = states.find((g) => g.gate === gate);
  expect(state?.status, JSON.stringify(state)).toBe(status);
  expect(status === 'UNVERIFIED' ? state?.unverified : state?.reasons[0], JSON.stringify(state)).toMatch(reason);
  const release = await t.cli('gate', 'release');
  expect(release.exitCode, release.stdout + release.stderr).toBe(3);
  expect(release.stderr).toMatch(new RegExp(`refused: ${gate} has not passed under the current contract and pipeline \\(it is ${status}`));
  // The console: its gate desk reads the same folders, and its gates pane says the same.
  const row = (await consoleGatesPane(t.env)).find((line) => line.startsWith(`  ${gate} `)) ?? '';
  expect(row).toMatch(new RegExp(`^  ${gate} +${status}`));
  if (status === 'UNVERIFIED') expect(row).toContain('Q quarantines it:');
  // Rebuilt from the journals alone: a forgery in the view itself is gone; one in the evidence is shown for what it is.
  const rebuilt = await t.cli('state', 'rebuild');
  if (status === 'UNVERIFIED' && options.viewOnly !== true) expect(rebuilt.stdout).toMatch(new RegExp(`${gate} .*: UNVERIFIED \\(its journal says`));
  expect(rebuilt.stdout).not.toMatch(new RegExp(`gates: .*${gate} PASSED`));
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'evident-forgery-base-'));
  folders.push(base);
  writeFileSync(join(base, 'contract.json'), JSON.stringify({ name: 'forgery fleet', version: '1.0.0', services: [fixtureService('alpha', 'http-ok.ts', PORTS[0] as number), fixtureService('beta', 'http-ok.ts', PORTS[1] as number)] }, null, 2));
  writeFileSync(join(base, 'pipeline.json'), JSON.stringify(pipeline(), null, 2));
  const env = envOf(base);
  const pre = await runCli(['preflight'], { env });
  expect(pre.exitCode, pre.stdout + pre.stderr).toBe(0);
  const gate1 = await runCli(['gate', '1'], { env });
  expect(gate1.exitCode, gate1.stdout + gate1.stderr).toBe(0);
  honestRun = (/gate1 PASSED: evidence in \S+[\\/](\w+)/.exec(gate1.stdout)?.[1] ?? '') as string;
  expect(honestRun).toMatch(/^[0-9A-Z]{26}$/);
  const states = (JSON.parse((await runCli(['gates', '--json'], { env })).stdout) as { gates: GateJson[] }).gates;
  expect(states.map((g) => [g.gate, g.status])).toEqual([
    ['prerequisites', 'PASSED'],
    ['gate1', 'PASSED'],
    ['gate2', 'PENDING'],
    ['release', 'PENDING'],
  ]);
}, 120_000);

afterAll(async () => {
  for (const dir of folders) {
    // A gate a failed test left running is aborted (its runner stops its fleet), then evident stops the rest.
    await runCli(['gate', '1', '--abort', '--reason', 'test cleanup'], { env: envOf(dir) });
    await runCli(['down'], { env: envOf(dir) });
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('forgeries', () => {
  it('a hand-written journal (run.start, run.end, run.verdict PASSED: no probes, no manifest, no signature) is UNVERIFIED, and cannot be sealed into a pass', async () => {
    const t = sandbox();
    const honest = readRecords(t.honest);
    const start = honest[0] as JournalRecord;
    const id = newRecordId();
    const at = new Date().toISOString();
    const base = { event_time: at, process_time: at, actor: 'mallory', correlation_id: id, contract: start.contract };
    const records = rechain([
      { ...base, id: newRecordId(), type: 'run.start', payload: { ...start.payload, run_id: id, trial: false }, prev_hash: GENESIS_HASH, hash: '' },
      { ...base, id: newRecordId(), type: 'run.end', payload: { stopped_early: null }, prev_hash: '', hash: '' },
      { ...base, id: newRecordId(), type: 'run.verdict', payload: { status: 'PASSED', reasons: [] }, prev_hash: '', hash: '' },
    ]);
    mkdirSync(join(t.artifacts, id));
    writeRecords(join(t.artifacts, id), records);
    await refusedEverywhere(t, 'gate1', 'UNVERIFIED', /cannot be sealed: .*no public-key\.pem/);
    // Nothing was written into it on the forger's behalf.
    expect(readRecords(join(t.artifacts, id))).toEqual(records);
  });

  it('a real run whose FAILED verdict was edited to PASSED, with every hash re-chained and re-listed, is UNVERIFIED', async () => {
    const t = sandbox();
    // beta's port is taken by someone else: a real Gate 1 run that fails.
    const squatter = await listen(PORTS[1] as number);
    let failedRun = '';
    try {
      const failed = await t.cli('gate', '1');
      expect(failed.exitCode, failed.stdout).toBe(1);
      failedRun = (/gate1 FAILED: evidence in (\S+)/.exec(failed.stdout)?.[1] ?? '') as string;
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
    const forged = readRecords(failedRun).map((r) => (r.type === 'run.verdict' ? { ...r, payload: { status: 'PASSED', reasons: [] } } : r));
    writeRecords(failedRun, rechain(forged));
    editSummary(failedRun, (s) => {
      s.status = 'PASSED';
      s.reasons = [];
      s.cycles_failed = 0;
    });
    recheckpoint(failedRun, null);
    await remanifest(failedRun, null);
    const verified = JSON.parse((await t.cli('verify', failedRun, '--json')).stdout) as { ok: boolean; checks: { check: string; ok: boolean }[] };
    expect(verified.ok).toBe(false);
    expect(verified.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(expect.arrayContaining(['signature', 'checkpoint', 'summary']));
    await refusedEverywhere(t, 'gate1', 'UNVERIFIED', /signature|checkpoint/);
  });

  it('a relaxed pipeline under the locked version is refused naming the field; a new version needs an approval and re-opens every gate', async () => {
    const t = sandbox();
    writeFileSync(join(t.dir, 'relaxed.json'), JSON.stringify(pipeline('1.0.0', { max_failed_health_checks: 50 }), null, 2));
    const drift = await t.cli('gate', '1', '--pipeline', join(t.dir, 'relaxed.json'));
    expect(drift.exitCode).toBe(3);
    expect(drift.stderr).toMatch(/refused: pipeline "forgery pipeline" changed under version 1\.0\.0 .*gates\[1\]\.criteria\.max_failed_health_checks: 0 → 50; bump the version/);
    expect((await t.cli('pipeline', 'check', '--pipeline', join(t.dir, 'relaxed.json'))).exitCode).toBe(3);

    writeFileSync(join(t.dir, 'relaxed.json'), JSON.stringify(pipeline('1.1.0', { max_failed_health_checks: 50 }), null, 2));
    const unapproved = await t.cli('gate', 'prerequisites', '--pipeline', join(t.dir, 'relaxed.json'));
    expect(unapproved.exitCode).toBe(3);
    expect(unapproved.stderr).toMatch(/pipeline "forgery pipeline" version 1\.1\.0 .* is not approved.*evident pipeline approve --reason TEXT/);
    const approved = await t.cli('pipeline', 'approve', '--pipeline', join(t.dir, 'relaxed.json'), '--reason', 'a looser gate 1 for this test', '--actor', 'carol', '--json');
    expect(approved.exitCode, approved.stderr).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ ok: true, state: 'approved', changes: ['version: "1.0.0" → "1.1.0"', 'gates[1].criteria.max_failed_health_checks: 0 → 50'] });
    // Every gate re-opened under the new pipeline: the passes under the old one do not count for it.
    const relaxed = JSON.parse((await t.cli('gates', '--json', '--pipeline', join(t.dir, 'relaxed.json'))).stdout) as { gates: GateJson[] };
    expect(relaxed.gates.map((g) => g.status)).toEqual(['PENDING', 'PENDING', 'PENDING', 'PENDING']);
    // Runs under the relaxed pipeline do not count under the original one either, which is no longer the lock.
    expect((await t.cli('gate', 'prerequisites', '--pipeline', join(t.dir, 'relaxed.json'))).exitCode).toBe(0);
    const original = (await t.gates()).find((g) => g.gate === 'prerequisites');
    expect(original?.run_id).not.toBe(relaxed.gates[0]?.run_id);
    const back = await t.cli('gate', 'release');
    expect(back.exitCode).toBe(3);
    expect(back.stderr).toMatch(/pipeline "forgery pipeline" version 1\.0\.0 .* is not approved; the lock is version 1\.1\.0/);
  });

  it('a run re-signed with the forger\'s own key is intact but not trusted: UNVERIFIED, naming the key and how to trust it', async () => {
    const t = sandbox();
    const key = forgerKey();
    writeRecords(t.honest, rechain(readRecords(t.honest).map((r) => (r.type === 'run.start' ? { ...r, payload: { ...r.payload, key_id: key.keyId } } : r))));
    recheckpoint(t.honest, key);
    await remanifest(t.honest, key);
    const verify = await t.cli('verify', t.honest);
    expect(verify.exitCode).toBe(1);
    const failed = verify.stdout.split('\n').filter((l) => l.startsWith('FAIL'));
    expect(failed).toEqual([expect.stringMatching(new RegExp(`^FAIL key +public-key\\.pem: signed by key ${key.keyId} \\(SHA-256 fingerprint [0-9a-f]{64}\\) is not trusted here; .*--trusted-key FILE`))]);
    // A reviewer who does trust that key (given out of band) may say so.
    writeFileSync(join(t.dir, 'forger.pem'), key.publicKeyPem);
    expect((await t.cli('verify', t.honest, '--trusted-key', join(t.dir, 'forger.pem'))).exitCode).toBe(0);
    await refusedEverywhere(t, 'gate1', 'UNVERIFIED', new RegExp(`key public-key\\.pem: signed by key ${key.keyId}`));
  });

  it('extra files in a signed run folder — a .sig, a .tmp, a .lock, a note, a sub-folder, a symbolic link — each fail it', async () => {
    const t = sandbox();
    writeFileSync(join(t.honest, 'extra.sig'), 'x');
    writeFileSync(join(t.honest, 'stale.tmp'), 'x');
    writeFileSync(join(t.honest, 'journal.jsonl.lock'), '{"pid":1}');
    writeFileSync(join(t.honest, 'notes.txt'), 'looks fine to me');
    mkdirSync(join(t.honest, 'more'));
    symlinkSync('/nonexistent/target', join(t.honest, 'dangling'));
    const { checks } = JSON.parse((await t.cli('verify', t.honest, '--json')).stdout) as { checks: { check: string; ok: boolean; file: string | null; detail: string }[] };
    const failed = checks.filter((c) => !c.ok).map((c) => `${c.file}: ${c.detail}`);
    for (const name of ['extra.sig', 'stale.tmp', 'journal.jsonl.lock', 'notes.txt']) expect(failed).toContain(`${name}: not in the manifest: added after the run was signed`);
    expect(failed).toContain('more: a folder, not a regular file: a run folder holds regular files only');
    expect(failed).toContain('dangling: a symbolic link, not a regular file: a run folder holds regular files only');
    await refusedEverywhere(t, 'gate1', 'UNVERIFIED', /not in the manifest|not a regular file/);
  });

  it('a run that could not be sealed (a dangling symbolic link in its folder) stands for nothing; once the link is gone the next command seals it', async () => {
    const t = sandbox();
    const started = await t.cli('gate', '1', '--detach', '--json');
    expect(started.exitCode, started.stderr).toBe(0);
    const { run_id: runId } = JSON.parse(started.stdout) as { run_id: string };
    const dir = join(t.artifacts, runId);
    await until(() => existsSync(join(dir, 'journal.jsonl')) && readRecords(dir).length > 0, 'the run started');
    symlinkSync('/nonexistent/target', join(dir, 'dangling'));
    await until(async () => (await t.gates()).find((g) => g.gate === 'gate1')?.status !== 'RUNNING', 'the run ended', 60_000);
    expect(readRecords(dir).some((r) => r.type === 'run.end')).toBe(true);
    // Its runner could not seal it, nor could its guard after it: both said why.
    const guardLog = join(t.env.EVIDENT_STATE_DIR, 'runs', `guard-${runId}.log`);
    await until(() => existsSync(guardLog) && readFileSync(guardLog, 'utf8').includes('could not close run'), 'the guard gave up on the seal', 60_000);
    await refusedEverywhere(t, 'gate1', 'UNVERIFIED', /ended but cannot be sealed: .*dangling is a symbolic link/);
    rmSync(join(dir, 'dangling'));
    const sealed = (await t.gates()).find((g) => g.gate === 'gate1');
    expect(sealed).toMatchObject({ status: 'PASSED', run_id: runId });
    expect((await t.cli('verify', dir, '--require-pass')).exitCode).toBe(0);
  });

  it('quarantine is refused while the run is still being written, and verify never follows a link out of a run folder', async () => {
    const t = sandbox();
    const started = await t.cli('gate', '1', '--cycles', '1', '--duration', '60s', '--interval', '1s', '--detach', '--json');
    expect(started.exitCode, started.stderr).toBe(0);
    const { run_id: runId } = JSON.parse(started.stdout) as { run_id: string };
    const dir = join(t.artifacts, runId);
    await until(() => existsSync(join(dir, 'journal.jsonl')) && readRecords(dir).length > 0, 'the run started');
    const refused = await t.cli('verify', dir, '--quarantine');
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toMatch(new RegExp(`quarantine refused: run ${runId} is still being written \\(the fleet lock names it: gate gate1 run ${runId}, pid \\d+\\)`));
    expect(existsSync(dir)).toBe(true);
    expect((await t.cli('gate', '1', '--abort', '--reason', 'test over')).exitCode).toBe(0);
    // A link to a file outside the folder is refused by name, never read.
    symlinkSync(join(t.dir, 'contract.json'), join(t.honest, 'link'));
    const linked = JSON.parse((await t.cli('verify', t.honest, '--json')).stdout) as { checks: { ok: boolean; file: string | null; detail: string }[] };
    expect(linked.checks.filter((c) => !c.ok).map((c) => `${c.file}: ${c.detail}`)).toEqual(['link: a symbolic link, not a regular file: a run folder holds regular files only']);
  });

  it("a state view edited to say a genuine Gate 1 run is Gate 2's makes nothing pass: the folder's own evidence says what run it is", async () => {
    const t = sandbox();
    expect((await t.cli('state', 'show')).exitCode).toBe(0); // the view is current, and written
    const viewPath = join(t.env.EVIDENT_STATE_DIR, 'evident-state.json');
    const view = JSON.parse(readFileSync(viewPath, 'utf8')) as { runs: Record<string, Record<string, unknown>> };
    const genuine = view.runs[honestRun];
    const fakeId = newRecordId();
    view.runs[fakeId] = { ...genuine, kind: 'soak', gate: 'gate2', trial: false };
    writeFileSync(viewPath, JSON.stringify(view, null, 2));
    await refusedEverywhere(t, 'gate2', 'UNVERIFIED', /its folder holds another run's evidence: run .* in the view, .* in its evidence; gate gate2 in the view, gate1 in its evidence/, { viewOnly: true });
    expect(JSON.parse(readFileSync(viewPath, 'utf8')).runs[fakeId]).toBeUndefined();
  });

  it('an empty soak (three minutes with no request, no probe, no RSS sample) is FAILED, naming what is missing', async () => {
    const t = sandbox();
    const p = JSON.parse(readFileSync(join(t.dir, 'pipeline.json'), 'utf8')) as { gates: { id: string; criteria?: Record<string, unknown> }[] };
    const run = await gateRun(t, { kind: 'soak', gate: 'gate2', services: ['alpha', 'beta'], criteria: p.gates.find((g) => g.id === 'gate2')?.criteria ?? {}, parameters: { duration_s: 180, warmup_s: 0, minute_s: 60, sample_interval_s: 5, target: 'alpha', traffic: { endpoints: [] } } });
    const t0 = Date.now();
    for (let n = 1; n <= 3; n++) {
      // What a stalled generator and a hung sampler write: a minute with nothing in it.
      const doc = buildMinuteMetrics({
        minute: n,
        start: new Date(t0 + (n - 1) * 60_000).toISOString(),
        end: new Date(t0 + n * 60_000).toISOString(),
        endpoints: [{ name: 'chat', target_rate_per_s: 1, sent: 0, requests: 0, errors: {}, histogram: newLatencyHistogram() }],
        active_connections: 0,
        services: ['alpha', 'beta'].map((name) => ({ name, cpu_percent_samples: [], rss_bytes_samples: [], restarts: 0, probes: { checks: 0 } })),
      });
      await run.record({ type: 'soak.minute', payload: doc as unknown as Record<string, unknown> });
      writeArtifact(run.dir, minuteMetricsFileName(n), `${JSON.stringify(doc, null, 2)}\n`);
    }
    const finished = await run.finish();
    expect(finished.verdict.status).toBe('FAILED');
    await refusedEverywhere(t, 'gate2', 'BLOCKED', /^minute 1: max_memory_growth \(alpha\) measured n\/a, limit 0\.05: no RSS sample in the baseline minute/);
    const reasons = (await t.gates()).find((g) => g.gate === 'gate2')?.reasons ?? [];
    expect(reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^minute 1: complete_observations \(alpha\) measured 0.*0 RSS sample\(s\) and 0 probe\(s\) of 12 due/), expect.stringMatching(/^minute 1: traffic_achieved \(chat\) measured 0.*0 sent at 1\/s/)]));
  });

  it('a Gate 1 run that names no services is FAILED, never a pass with nothing checked', async () => {
    const t = sandbox();
    const run = await gateRun(t, { kind: 'start-stop-cycles', gate: 'gate1', services: [], criteria: { max_failed_health_checks: 0, max_leftovers: 0 }, parameters: { cycles: 1, duration_s: 2, interval_s: 1 } });
    const finished = await run.finish();
    expect(finished.verdict.status).toBe('FAILED');
    await refusedEverywhere(t, 'gate1', 'BLOCKED', /names no services/);
  });
});

/** A run as this installation's runner would start it (signed with its key, under the locked contract and pipeline): what a buggy runner would leave. */
async function gateRun(t: Sandbox, run: { kind: string; gate: string; services: string[]; criteria: Record<string, unknown>; parameters: Record<string, unknown> }): Promise<RunWriter> {
  const honest = readRecords(t.honest)[0] as JournalRecord;
  const pipelineSpec = JSON.parse(readFileSync(join(t.dir, 'pipeline.json'), 'utf8')) as { name: string; version: string };
  const pipelineHash = (honest.payload.pipeline as { hash: string }).hash;
  const writer = await RunWriter.create({
    artifactsDir: t.artifacts,
    keysDir: join(t.env.EVIDENT_STATE_DIR, 'keys'),
    kind: run.kind,
    label: run.gate,
    contract: { name: 'forgery fleet', version: honest.contract.version, hash: honest.contract.hash, path: t.env.EVIDENT_CONTRACT },
    actor: 'tester',
    criteria: run.criteria,
    parameters: run.parameters,
    trial: false,
    start: { gate: run.gate, services: run.services, pipeline: { name: pipelineSpec.name, version: pipelineSpec.version, hash: pipelineHash } },
    snapshot: { config: {}, flags: {}, env: {}, serviceEnvNames: [], evidentVersion: 'test', platform: { os: 'linux', arch: 'x64', release: 'test' }, runtime: process.version },
  });
  await writer.checkpoint(`${run.gate} started`);
  return writer;
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
