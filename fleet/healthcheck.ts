// The exec health probe the contract runs for eva-os: `node healthcheck.ts <url>`.
// Exit 0 when the URL answers 2xx within 2 s, 1 otherwise, 2 when called wrongly.

const TIMEOUT_MS = 2000;
const url = process.argv[2];

if (url === undefined || !/^https?:\/\//.test(url)) {
  process.stderr.write(`usage: node healthcheck.ts <http-url>, got ${url === undefined ? 'no argument' : JSON.stringify(url)}\n`);
  process.exit(2);
}

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  await response.arrayBuffer();
  const ok = response.status >= 200 && response.status < 300;
  (ok ? process.stdout : process.stderr).write(`${response.status} ${url}\n`);
  // Exit now: a pooled keep-alive socket would otherwise hold the probe open.
  process.exit(ok ? 0 : 1);
} catch (error) {
  const timedOut = error instanceof Error && error.name === 'TimeoutError';
  let cause: unknown = error;
  while (cause instanceof Error && cause.cause !== undefined) cause = cause.cause;
  const reason = timedOut ? `no answer within ${TIMEOUT_MS} ms` : cause instanceof Error ? cause.message : String(cause);
  process.stderr.write(`unhealthy ${url}: ${reason}\n`);
  process.exit(1);
}
