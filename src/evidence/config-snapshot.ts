// What a run was configured with, written beside its evidence: the effective configuration,
// the flags, the contract, evident's and Node's versions, the platform, and the part of
// the environment that can change behaviour. Secrets are redacted before anything is
// kept. No time is recorded in it, so two runs configured alike share one config hash.
import { canonicalSha256 } from '../contract/canonical-json.ts';
import { redactEnv, redactText, redactValue } from '../redaction/redact.ts';
import { writeArtifact, type WrittenArtifact } from './write-artifact.ts';

export const CONFIG_SNAPSHOT_FILE = 'config_snapshot.json';
export const CONFIG_HASH_FILE = 'config_hash.txt';

export interface ConfigSnapshotInput {
  /** The effective configuration after defaults, files, environment and flags. */
  config: Readonly<Record<string, unknown>>;
  /** The command-line flags as given, parsed to name → value. */
  flags: Readonly<Record<string, unknown>>;
  /** The whole environment (process.env); only the subset that matters is kept. */
  env: Readonly<Record<string, string | undefined>>;
  contract: { version: string; hash: string; path: string };
  /** Variables the contract sets or passes to its services: kept too. */
  serviceEnvNames?: readonly string[];
  evidentVersion: string;
  /** process.platform, process.arch, os.release(). */
  platform: { os: string; arch: string; release: string };
  /** process.version. */
  runtime: string;
}

export interface ConfigSnapshot {
  evident_version: string;
  runtime: string;
  platform: { os: string; arch: string; release: string };
  contract: { version: string; hash: string; path: string };
  config: Record<string, unknown>;
  flags: Record<string, unknown>;
  /** Sorted by name; secret-looking values redacted. */
  env: Record<string, string>;
}

export interface WrittenConfigSnapshot {
  snapshot: WrittenArtifact;
  hashFile: WrittenArtifact;
  configHash: string;
}

// Variables that change how evident, Node, Python services or the shell tools behave.
const KEPT_PREFIXES = ['EVIDENT_', 'NODE_', 'PYTHON', 'LC_'];
const KEPT_NAMES = ['PATH', 'PATHEXT', 'TZ', 'LANG', 'HOME', 'USERPROFILE', 'NO_COLOR', 'CI', 'TMPDIR', 'TEMP', 'TMP'];

export function buildConfigSnapshot(input: ConfigSnapshotInput): ConfigSnapshot {
  // Windows environment names are case-insensitive (`Path` is PATH); elsewhere they are not.
  const fold = input.platform.os === 'win32' ? (name: string) => name.toUpperCase() : (name: string) => name;
  const names = new Set([...KEPT_NAMES, ...(input.serviceEnvNames ?? [])].map(fold));
  const prefixes = KEPT_PREFIXES.map(fold);
  const kept: Record<string, string | undefined> = {};
  for (const name of Object.keys(input.env).sort()) {
    const folded = fold(name);
    if (names.has(folded) || prefixes.some((prefix) => folded.startsWith(prefix))) kept[name] = input.env[name];
  }
  // Names that look secret lose their values; the others may still carry one (a URL with a password).
  const env = Object.fromEntries(Object.entries(redactEnv(kept)).map(([name, value]) => [name, redactText(value)]));
  return {
    evident_version: input.evidentVersion,
    runtime: input.runtime,
    platform: { os: input.platform.os, arch: input.platform.arch, release: input.platform.release },
    contract: { version: input.contract.version, hash: input.contract.hash, path: input.contract.path },
    config: redactValue({ ...input.config }),
    flags: redactValue({ ...input.flags }),
    env,
  };
}

/** SHA-256 (hex) of the snapshot's canonical JSON: independent of key order and spacing. */
export function configHash(snapshot: ConfigSnapshot): string {
  return canonicalSha256(snapshot);
}

/** Writes `config_snapshot.json` (pretty JSON) and `config_hash.txt` into the run folder, once. */
export function writeConfigSnapshot(runDir: string, snapshot: ConfigSnapshot): WrittenConfigSnapshot {
  const hash = configHash(snapshot);
  const written = writeArtifact(runDir, CONFIG_SNAPSHOT_FILE, `${JSON.stringify(snapshot, null, 2)}\n`);
  const hashFile = writeArtifact(runDir, CONFIG_HASH_FILE, `${hash}\n`);
  return { snapshot: written, hashFile, configHash: hash };
}
