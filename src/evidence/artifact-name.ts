// How gate artifacts are named: `gate1-summary-20261122T053012Z.json`. A numbered gate is
// `gate<n>`; a run of another kind is named by its label (`shutdown-summary-…`). The
// timestamp is UTC without colons (a colon is not allowed in a Windows file name) and
// sorts as text in time order, so the latest artifact of a kind is the last in a listing.

/** What an artifact holds; part of its name. */
export type ArtifactKind = 'summary' | 'manifest' | 'checksums' | 'signature' | 'public-key' | 'report';

export const ARTIFACT_KINDS: readonly ArtifactKind[] = ['summary', 'manifest', 'checksums', 'signature', 'public-key', 'report'];

export interface GateArtifactName {
  /** `1` for `gate1-…`, the label otherwise (`shutdown`). */
  gate: string;
  kind: ArtifactKind;
  timestamp: string;
  ext: string;
}

const TIMESTAMP = /^\d{8}T\d{6}Z$/;
// Lower-case letters and digits only: a dash separates the parts of the name, and the
// name must mean the same file on a case-insensitive file system.
const LABEL = /^[a-z0-9]+$/;
const EXT = /^[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*$/;
const NAME = /^([a-z0-9]+)-([a-z]+(?:-[a-z]+)*)-(\d{8}T\d{6}Z)\.([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*)$/;

/** `2026-11-22T05:30:12.345Z` → `20261122T053012Z` (UTC, seconds). */
export function artifactTimestamp(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('artifact timestamp: the date is invalid');
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll('-', '').replaceAll(':', '');
}

/**
 * `gateArtifactName(1, 'summary', '20261122T053012Z', 'json')` → `gate1-summary-20261122T053012Z.json`;
 * `gateArtifactName('shutdown', 'manifest', …, 'sha256')` → `shutdown-manifest-….sha256`.
 */
export function gateArtifactName(gate: number | string, kind: ArtifactKind, timestamp: string, ext: string): string {
  const gateText = String(gate);
  for (const [what, value] of [['gate', gateText], ['extension', ext]] as const) {
    if (/[/\\]/.test(value)) throw new RangeError(`artifact name: the ${what} ${JSON.stringify(value)} contains a path separator`);
  }
  if (typeof gate === 'number' ? !Number.isSafeInteger(gate) || gate < 0 : !LABEL.test(gateText)) {
    throw new RangeError(`artifact name: gate ${JSON.stringify(gateText)} must be a whole number or a label of lower-case letters and digits`);
  }
  if (!ARTIFACT_KINDS.includes(kind)) throw new RangeError(`artifact name: kind ${JSON.stringify(kind)} must be one of ${ARTIFACT_KINDS.join(', ')}`);
  if (!TIMESTAMP.test(timestamp)) throw new RangeError(`artifact name: timestamp ${JSON.stringify(timestamp)} must look like 20261122T053012Z (see artifactTimestamp)`);
  if (!EXT.test(ext)) throw new RangeError(`artifact name: extension ${JSON.stringify(ext)} must be letters and digits without a leading dot, like json or tar.gz`);
  const label = /^\d+$/.test(gateText) ? `gate${gateText}` : gateText;
  return `${label}-${kind}-${timestamp}.${ext}`;
}

/** The parts of a gate artifact's name, or null for any other name. */
export function parseGateArtifactName(name: string): GateArtifactName | null {
  const match = NAME.exec(name);
  if (match === null) return null;
  const [, label, kind, timestamp, ext] = match as unknown as [string, string, string, string, string];
  if (!(ARTIFACT_KINDS as readonly string[]).includes(kind)) return null;
  return { gate: /^gate\d+$/.test(label) ? label.slice(4) : label, kind: kind as ArtifactKind, timestamp, ext };
}

/**
 * Why `name` cannot be a file directly inside a run folder, or null when it can: no
 * path separators, no `.`/`..`, no control characters, nothing Windows refuses.
 */
export function plainFileNameProblem(name: string): string | null {
  if (name === '') return 'the name is empty';
  if (/[/\\]/.test(name)) return `${JSON.stringify(name)} contains a path separator`;
  if (name === '.' || name === '..') return `${JSON.stringify(name)} is not a file name`;
  if (/[\u0000-\u001f\u007f]/.test(name)) return `${JSON.stringify(name)} contains a control character`;
  if (/[<>:"|?*]/.test(name)) return `${JSON.stringify(name)} contains a character Windows does not allow in a file name (<>:"|?*)`;
  if (/[. ]$/.test(name)) return `${JSON.stringify(name)} ends with a dot or a space, which Windows drops`;
  return null;
}
