// One endpoint of a traffic profile: what to send, how often, and how long to wait. The
// pipeline's zod schema will validate these; here it is the shape the generator runs.

export interface EndpointSpec {
  /** A label for counts and histograms, unique within a profile. */
  name: string;
  method: string;
  /** Path and query, starting with `/`. */
  path: string;
  /** Sent as is when a string; anything else as JSON. */
  body?: unknown;
  /** Requests per second on the fixed arrival schedule, > 0. */
  rate_per_s: number;
  /**
   * Without `stream`: the whole response (headers and body) must arrive within this many
   * ms of the request being sent. With `stream`: the headers within this many ms, then no
   * gap between two body chunks longer than it.
   */
  timeout_ms: number;
  /** The response is a stream (chunked, server-sent events): a stall mid-body is `stream_stopped`. */
  stream?: boolean;
}
