// One line per event: requests to stdout, errors to stderr. Plain text, no colour, so the
// supervisor's log tail reads the same in a terminal and in a file.

let serviceName = 'fleet';

export function setLogName(name: string): void {
  serviceName = name;
}

export function logInfo(message: string): void {
  write(process.stdout, 'INFO', message);
}

export function logError(message: string, error?: unknown): void {
  const detail = error === undefined ? '' : `: ${describeError(error)}`;
  write(process.stderr, 'ERROR', `${message}${detail}`);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === undefined ? error.message : `${error.message} (${code})`;
  }
  return String(error);
}

function write(stream: NodeJS.WriteStream, level: string, message: string): void {
  // A closed pipe (the supervisor went away) must not crash the service mid-shutdown.
  if (stream.destroyed || !stream.writable) return;
  stream.write(`${new Date().toISOString()} ${level} ${serviceName} ${message.replace(/\n/g, ' ')}\n`);
}

// Writes to a pipe whose reader has gone raise EPIPE asynchronously; ignore them.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});
