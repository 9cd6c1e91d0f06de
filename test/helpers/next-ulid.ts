// The ULID right after `id` (same time, randomness plus one), for a forged record that must
// sort after the real one: replacing the last character with a fixed one gives the same
// or an earlier id whenever the real id already ends in it (1 time in 32).
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function nextUlid(id: string): string {
  const chars = id.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    const at = CROCKFORD.indexOf(chars[i] as string);
    if (at < CROCKFORD.length - 1) {
      chars[i] = CROCKFORD[at + 1] as string;
      return chars.join('');
    }
    chars[i] = '0';
  }
  throw new Error(`no ULID after ${id}`);
}
