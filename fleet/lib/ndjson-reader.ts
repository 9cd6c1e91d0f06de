// Newline-delimited JSON from a byte stream: one value per line, lines may be split
// across chunks. A malformed line is the upstream's fault, reported as bad_response.
import { UpstreamError } from './upstream-error.ts';

export async function* readNdjson(upstream: string, chunks: AsyncIterable<Uint8Array>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line !== '') yield parse(upstream, line);
      newline = pending.indexOf('\n');
    }
  }
  pending += decoder.decode();
  if (pending.trim() !== '') yield parse(upstream, pending.trim());
}

function parse(upstream: string, line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    throw new UpstreamError(upstream, 'bad_response', `${upstream} sent a line that is not JSON: ${line.slice(0, 60)}`);
  }
}
