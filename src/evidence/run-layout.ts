// The names of the files in a run folder, in one place for the writer and for verify.
//
//   artifacts/<run_id>/
//     journal.jsonl                         hash-chained records
//     checkpoints.jsonl                     signed (count, head hash) marks
//     config_snapshot.json, config_hash.txt
//     public-key.pem                        the key that signed this run
//     <gate>-summary-<ts>.json              judge(records, criteria), written down
//     <gate>-manifest-<ts>.sha256           human manifest of every file above
//     SHA256SUMS                            the same hashes for `sha256sum -c`
//     <gate>-manifest-<ts>.sha256.sig       Ed25519 signature of the manifest (raw 64 bytes)

export const JOURNAL_FILE = 'journal.jsonl';
export const PUBLIC_KEY_FILE = 'public-key.pem';
export const SHA256SUMS_FILE = 'SHA256SUMS';
export { CONFIG_HASH_FILE, CONFIG_SNAPSHOT_FILE } from './config-snapshot.ts';
export const SIGNATURE_SUFFIX = '.sig';

export const SUMMARY_PATTERN = /^[a-z0-9]+-summary-\d{8}T\d{6}Z\.json$/;
export const MANIFEST_PATTERN = /^[a-z0-9]+-manifest-\d{8}T\d{6}Z\.sha256$/;

/**
 * The files of a sealed run folder that its manifest does not list: the manifest itself,
 * its sha256sum companion and its signature. Every other entry of the folder is a regular
 * file the manifest lists; anything else (a stray file, a sub-folder, a symbolic link)
 * makes the run fail verification.
 */
export function signatureFiles(manifestFile: string): string[] {
  return [manifestFile, SHA256SUMS_FILE, `${manifestFile}${SIGNATURE_SUFFIX}`];
}

/** Names a gate may never give an evidence file of its own: the manifest's and signature's. */
export function isReservedName(name: string): boolean {
  return MANIFEST_PATTERN.test(name) || name === SHA256SUMS_FILE || name.endsWith(SIGNATURE_SUFFIX);
}
