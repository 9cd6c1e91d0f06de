// An error that already knows its HTTP answer. Handlers throw it; http-service turns it
// into a JSON body {error, message, ...detail} with that status.

export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: Record<string, unknown>;

  constructor(status: number, code: string, message: string, detail: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

export function badRequest(message: string, detail: Record<string, unknown> = {}): HttpError {
  return new HttpError(400, 'bad_request', message, detail);
}

export function notFound(message: string): HttpError {
  return new HttpError(404, 'not_found', message);
}
