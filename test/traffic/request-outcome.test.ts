// How a request's failure is named: the phase it reached, whether its timer fired, and
// whether the endpoint streams.
import { describe, expect, it } from 'vitest';
import { failureKind, statusKind } from '../../src/traffic/request-outcome.ts';

describe('request outcome', () => {
  it('names a failure before the response by its cause', () => {
    expect(failureKind('before_response', true, false)).toBe('timeout');
    expect(failureKind('before_response', true, true)).toBe('timeout');
    expect(failureKind('before_response', false, false)).toBe('connection_error');
    expect(failureKind('before_response', false, true)).toBe('connection_error');
  });

  it('names a streamed body that stalls or is cut a stopped stream, and a plain body by its cause', () => {
    expect(failureKind('in_body', true, true)).toBe('stream_stopped');
    expect(failureKind('in_body', false, true)).toBe('stream_stopped');
    expect(failureKind('in_body', true, false)).toBe('timeout');
    expect(failureKind('in_body', false, false)).toBe('connection_error');
  });

  it('counts 4xx and 5xx as HTTP status errors', () => {
    expect(statusKind(200)).toBe('ok');
    expect(statusKind(302)).toBe('ok');
    expect(statusKind(404)).toBe('http_status');
    expect(statusKind(503)).toBe('http_status');
  });
});
