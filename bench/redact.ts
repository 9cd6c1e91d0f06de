// How fast secrets are masked. `redactText` in MB/s over 5 MB texts of two kinds: realistic
// ones (service log lines, structured JSON logs, a contract description, command lines)
// and adversarial ones built to make a backtracking pattern quadratic (the inputs of the
// linear-time test, test/fixtures/redact-inputs.ts). Each text is redacted N times after
// one warm-up; its figure is the median. The target: the slowest adversarial text takes
// under a second for 5 MB. Then `redactValue` on a typical journal payload, in µs a call.
//
//   node bench/redact.ts [--quick]
import { redactText, redactValue } from '../src/redaction/redact.ts';
import { ADVERSARIAL, REALISTIC, type RedactInput } from '../test/fixtures/redact-inputs.ts';
import { isMain, quickFlag } from './lib/demo-fleet.ts';
import { markdownTable, measuredRow, note, section, type Row } from './lib/report.ts';
import { fmt, summarize, type Summary } from './lib/stats.ts';

const BENCH = 'redact';
const MB = 2 ** 20;
const SIZE = 5 * MB;
/** What the supervisor records when it starts a service: the payload every journal line of that kind carries. */
const PAYLOAD = {
  service: 'model-router',
  command: 'node',
  args: ['fleet/model-router/server.js', '--port', '7004', '--api-key', 'sk-test-123'],
  cwd: '/srv/evident/fleet/model-router',
  env: { PATH: '/usr/bin:/bin', NODE_ENV: 'production', PORT: '7004', DB_PASSWORD: 'hunter2', DATABASE_URL: 'postgres://app:s3cret@db:5432/x', LOG_LEVEL: 'info', OPENAI_KEY: 'k', TZ: 'UTC' },
  pid: 4242,
  start_token: '9f1c2e7a-5b1d-4c3e-8a7f-0d2b6e4f1a3c:123456',
  started_at: '2025-01-02T03:04:05.678Z',
};

interface Measured {
  input: RedactInput;
  /** MB/s, one per run. */
  rates: Summary;
  /** Milliseconds for the whole text, one per run. */
  times: Summary;
}

export async function run(options: { quick: boolean }): Promise<Row[]> {
  const runs = options.quick ? 3 : 7;
  section(`redact: redactText over ${fmt(SIZE / MB)} MB texts, ${REALISTIC.length} realistic and ${ADVERSARIAL.length} adversarial, N=${runs} each (1 warm-up)`);
  const realistic = REALISTIC.map((input) => measure(input, runs));
  const adversarial = ADVERSARIAL.map((input) => measure(input, runs));
  for (const m of [...realistic, ...adversarial]) note(`${m.input.name.padEnd(14)} ${fmt(m.rates.median).padStart(6)} MB/s (min ${fmt(m.rates.min)}, max ${fmt(m.rates.max)}): ${m.input.about}`);
  const slowest = adversarial.reduce((a, b) => (b.rates.median < a.rates.median ? b : a));
  const perCall = summarize(Array.from({ length: runs }, () => microsPerCall(options.quick ? 5000 : 20000)));
  note(`redactValue on a supervisor.start payload: ${fmt(perCall.median)} µs a call`);
  const rows: Row[] = [
    ...realistic.map((m) => measuredRow(BENCH, `\`redactText\`, ${m.input.name} (${m.input.about}), MB/s`, m.rates, ' MB/s')),
    measuredRow(BENCH, `\`redactText\`, ${ADVERSARIAL.length} adversarial texts: median of their medians (min – max over texts), MB/s`, summarize(adversarial.map((m) => m.rates.median)), ' MB/s'),
    measuredRow(BENCH, `\`redactText\`, slowest adversarial text (${slowest.input.name}), MB/s`, slowest.rates, ' MB/s'),
    measuredRow(BENCH, `\`redactText\`, slowest adversarial text, ms per ${fmt(SIZE / MB)} MB`, slowest.times, ' ms', { max: 1000, label: '< 1000 ms' }),
    measuredRow(BENCH, '`redactValue`, a supervisor.start payload, µs a call', perCall, ' µs'),
  ];
  console.log(`\n${markdownTable(rows)}`);
  return rows;
}

function measure(input: RedactInput, runs: number): Measured {
  const text = input.make(SIZE);
  const times: number[] = [];
  for (let i = -1; i < runs; i++) {
    const started = performance.now();
    redactText(text);
    const ms = performance.now() - started;
    if (i >= 0) times.push(ms);
  }
  return { input, rates: summarize(times.map((ms) => SIZE / MB / (ms / 1000))), times: summarize(times) };
}

function microsPerCall(calls: number): number {
  const started = performance.now();
  for (let i = 0; i < calls; i++) redactValue(PAYLOAD);
  return ((performance.now() - started) * 1000) / calls;
}

if (isMain(import.meta)) await run({ quick: quickFlag() });
