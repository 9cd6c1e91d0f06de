// Which host a probe may target: an IPv4 or IPv6 address as written (no brackets: those
// belong in a URL, and evident adds them where it writes one) or a DNS host name.
import { isIP } from 'node:net';

/** The host a probe targets when the contract names none. */
export const DEFAULT_PROBE_HOST = '127.0.0.1';

/** A host name of dot-separated labels (letters, digits, dashes; 1–63 each, 253 in all). */
const HOST_NAME = /^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

export function isProbeHost(text: string): boolean {
  return isIP(text) !== 0 || HOST_NAME.test(text);
}
