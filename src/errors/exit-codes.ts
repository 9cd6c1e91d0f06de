// The exit codes of every evident command (DESIGN.md).
export const EXIT = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  blocked: 3,
} as const;

/** A mistake in how evident was called or what it was given: message, exit 2, no stack. */
export class UsageError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.usage) {
    super(message);
    this.exitCode = exitCode;
  }
}
