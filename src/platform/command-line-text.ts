// A command line as an operator reads it: the arguments joined by spaces, with an empty
// argument shown as '' so that it is not lost between two spaces (or at the end of the
// line). For display only: pid files and identities keep argv itself.

export function commandLineText(argv: readonly string[]): string {
  return argv.map((arg) => (arg === '' ? "''" : arg)).join(' ');
}
