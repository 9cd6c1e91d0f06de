// Writing responses: JSON bodies and newline-delimited JSON streams.
import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Starts a chunked ndjson response; each `write` is one line, flushed as it is written. */
export function startNdjson(res: ServerResponse, status = 200): (value: unknown) => boolean {
  res.writeHead(status, {
    'content-type': 'application/x-ndjson; charset=utf-8',
    'cache-control': 'no-store',
    // Tell proxies not to buffer: the point of the stream is its timing.
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  return (value: unknown) => {
    if (res.destroyed || res.writableEnded) return false;
    return res.write(`${JSON.stringify(value)}\n`);
  };
}
