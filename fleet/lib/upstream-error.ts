// A failed call to another fleet service, sorted by what our own caller should hear:
// unreachable and bad responses become 502, timeouts 504 (see http-client.ts).

export type UpstreamFailure = 'unreachable' | 'timeout' | 'bad_response';

export class UpstreamError extends Error {
  readonly upstream: string;
  readonly kind: UpstreamFailure;

  constructor(upstream: string, kind: UpstreamFailure, message: string) {
    super(message);
    this.upstream = upstream;
    this.kind = kind;
  }
}
