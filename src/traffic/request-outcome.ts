// What became of one scheduled request, and how a failure is named. Pure.
//
// - ok: a 2xx/3xx response, body read to its end.
// - http_status: a response with status ≥ 400 (body read to its end).
// - timeout: no complete response within timeout_ms (for a stream: no headers within it).
// - connection_error: refused, reset, or cut before the response was complete
//   (for a non-stream endpoint, also a body cut mid-way).
// - stream_stopped: a streamed response whose body stalled longer than timeout_ms between
//   chunks, or was cut mid-body: the "stuck session" the soak must catch.

export const OUTCOME_KINDS = ['ok', 'http_status', 'timeout', 'connection_error', 'stream_stopped'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];
export type ErrorKind = Exclude<OutcomeKind, 'ok'>;
export const ERROR_KINDS: readonly ErrorKind[] = ['http_status', 'timeout', 'connection_error', 'stream_stopped'];

/** How far a failed request got before it failed. */
export type FailurePhase = 'before_response' | 'in_body';

/** Names a failure: the timer fired (`timedOut`) or the connection failed, at a phase. */
export function failureKind(phase: FailurePhase, timedOut: boolean, stream: boolean): ErrorKind {
  if (phase === 'in_body' && stream) return 'stream_stopped';
  if (timedOut) return 'timeout';
  return 'connection_error';
}

/** A complete response's outcome from its status. */
export function statusKind(status: number): 'ok' | 'http_status' {
  return status >= 400 ? 'http_status' : 'ok';
}

export function emptyErrorCounts(): Record<ErrorKind, number> {
  return { http_status: 0, timeout: 0, connection_error: 0, stream_stopped: 0 };
}
