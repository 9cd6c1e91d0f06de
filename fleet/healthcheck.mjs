// The exec health probe the contract runs for eva-os: `node healthcheck.mjs <url>`.
// Exit 0 when the URL answers 2xx within 2 s, 1 otherwise, 2 when called wrongly.
// Plain JavaScript, unlike the rest of the fleet: Node's TypeScript stripping costs
// ~120 ms of start-up (210 ms against 90 ms per run), paid on every probe.
// node:http rather than fetch: fetch loads undici, which triples the probe's start-up,
// and an exec probe's cost is paid on every run.
// getBuiltinModule rather than `import`: an ESM import of node:http evaluates its
// WebSocket getters, which load undici (~20 ms more per probe).
const { get } = process.getBuiltinModule('node:http');

const TIMEOUT_MS = 2000;
const url = process.argv[2];

if (url === undefined || !/^http:\/\//.test(url)) {
  process.stderr.write(`usage: node healthcheck.ts <http-url>, got ${url === undefined ? 'no argument' : JSON.stringify(url)}\n`);
  process.exit(2);
}

const request = get(url, { timeout: TIMEOUT_MS, agent: false }, (response) => {
  response.resume();
  const status = response.statusCode ?? 0;
  const ok = status >= 200 && status < 300;
  (ok ? process.stdout : process.stderr).write(`${status} ${url}\n`);
  process.exit(ok ? 0 : 1);
});
request.on('timeout', () => {
  process.stderr.write(`unhealthy ${url}: no answer within ${TIMEOUT_MS} ms\n`);
  process.exit(1);
});
request.on('error', (error) => {
  process.stderr.write(`unhealthy ${url}: ${error.message}\n`);
  process.exit(1);
});
