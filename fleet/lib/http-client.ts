// Calling another fleet service: JSON requests and ndjson streams, each bounded by a
// timeout, with failures sorted into the three kinds a caller answers differently:
// unreachable and bad responses become 502, timeouts become 504.
import { HttpError } from './http-error.ts';
import { describeError } from './log.ts';
import { readNdjson } from './ndjson-reader.ts';
import { UpstreamError } from './upstream-error.ts';

export interface CallOptions {
  method?: string;
  body?: unknown;
  timeoutMs: number;
  requestId?: string;
  /** Aborts the call, e.g. when our own caller hangs up. */
  signal?: AbortSignal;
}

export interface JsonReply {
  status: number;
  body: unknown;
}

/** Any HTTP answer with a JSON body is returned as is; the caller judges its status. */
export async function callJson(upstream: string, url: string, options: CallOptions): Promise<JsonReply> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  try {
    const response = await fetch(url, { ...requestInit(options), signal });
    const text = await response.text();
    if (text.trim() === '') return { status: response.status, body: null };
    try {
      return { status: response.status, body: JSON.parse(text) as unknown };
    } catch {
      throw new UpstreamError(upstream, 'bad_response', `${upstream} answered ${response.status} with a body that is not JSON`);
    }
  } catch (error) {
    throw classify(upstream, error, timeout, options.timeoutMs);
  }
}

export interface StreamOptions extends CallOptions {
  /** Longest silence allowed between two chunks once the stream has started. */
  idleTimeoutMs: number;
}

export interface StreamReply {
  status: number;
  contentType: string;
  /** Parsed ndjson values as they arrive; throws UpstreamError on a timeout or a cut stream. */
  values(): AsyncGenerator<unknown>;
  /** The raw bytes as they arrive, for passing a stream through unchanged. */
  chunks(): AsyncGenerator<Uint8Array>;
  /** Stops reading and closes the connection. */
  cancel(): void;
}

/** Opens a streamed POST; `timeoutMs` bounds the wait for the response headers. */
export async function openStream(upstream: string, url: string, options: StreamOptions): Promise<StreamReply> {
  const controller = new AbortController();
  const onCallerAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  let timedOut = false;
  const arm = (ms: number): NodeJS.Timeout =>
    setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`no data from ${upstream} for ${ms} ms`));
    }, ms);

  let timer = arm(options.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { ...requestInit(options), signal: controller.signal });
  } catch (error) {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
    throw classifyStream(upstream, error, timedOut, options.timeoutMs);
  }
  clearTimeout(timer);
  const body = response.body;

  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (body === null) return;
    const reader = body.getReader();
    try {
      while (true) {
        timer = arm(options.idleTimeoutMs);
        const { done, value } = await reader.read();
        clearTimeout(timer);
        if (done) return;
        yield value;
      }
    } catch (error) {
      throw classifyStream(upstream, error, timedOut, options.idleTimeoutMs);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onCallerAbort);
      reader.releaseLock();
      if (!controller.signal.aborted) controller.abort();
    }
  }

  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    chunks,
    values: () => readNdjson(upstream, chunks()),
    cancel: () => controller.abort(),
  };
}

/** The answer our own caller gets when an upstream call fails. */
export function upstreamHttpError(error: UpstreamError): HttpError {
  if (error.kind === 'timeout') return new HttpError(504, 'upstream_timeout', error.message, { upstream: error.upstream });
  const code = error.kind === 'unreachable' ? 'upstream_unreachable' : 'upstream_bad_response';
  return new HttpError(502, code, error.message, { upstream: error.upstream });
}

/** An upstream's 5xx answer as our 502, keeping what it said. */
export function upstreamStatusError(upstream: string, reply: JsonReply): HttpError {
  return new HttpError(502, 'upstream_error', `${upstream} answered ${reply.status}`, {
    upstream,
    upstream_status: reply.status,
    upstream_body: reply.body,
  });
}

function requestInit(options: CallOptions): RequestInit {
  const headers: Record<string, string> = { accept: 'application/json, application/x-ndjson' };
  if (options.requestId !== undefined) headers['x-request-id'] = options.requestId;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  };
}

function classify(upstream: string, error: unknown, timeout: AbortSignal, ms: number): unknown {
  if (error instanceof UpstreamError || error instanceof HttpError) return error;
  if (timeout.aborted) return new UpstreamError(upstream, 'timeout', `${upstream} did not answer within ${ms} ms`);
  return new UpstreamError(upstream, 'unreachable', `${upstream} is unreachable: ${rootCause(error)}`);
}

function classifyStream(upstream: string, error: unknown, timedOut: boolean, ms: number): unknown {
  if (error instanceof UpstreamError) return error;
  if (timedOut) return new UpstreamError(upstream, 'timeout', `${upstream} sent nothing for ${ms} ms`);
  return new UpstreamError(upstream, 'unreachable', `${upstream} failed: ${rootCause(error)}`);
}

/** fetch wraps the useful part ("connect ECONNREFUSED 127.0.0.1:7020") in `cause`. */
function rootCause(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause !== undefined) current = current.cause;
  return describeError(current);
}
