// What the supervisor hands every service through its environment, read in one place so
// the names match contracts/boot-contract.json exactly.
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export interface ServiceEnv {
  /** The service's name: EVIDENT_SERVICE when the supervisor sets it, else the default. */
  name: string;
  port: number;
  /** The console's state folder; a folder under the OS temp dir when run by hand. */
  stateDir: string;
  /** POST /__faults is served only when EVIDENT_FAULTS=1. */
  faultsEnabled: boolean;
}

export function readServiceEnv(defaultName: string, defaultPort: number): ServiceEnv {
  const name = nonEmpty(process.env['EVIDENT_SERVICE']) ?? defaultName;
  const port = readPort('PORT', defaultPort);
  const stateEnv = nonEmpty(process.env['EVIDENT_STATE_DIR']);
  const stateDir = stateEnv === undefined ? join(tmpdir(), 'evident-state') : absolute(stateEnv);
  return { name, port, stateDir, faultsEnabled: process.env['EVIDENT_FAULTS'] === '1' };
}

/** An upstream base URL such as MEMORY_ENGINE_URL, without a trailing slash. */
export function upstreamUrl(envName: string, fallback: string): string {
  const raw = nonEmpty(process.env[envName]) ?? fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${envName}: expected an http URL such as ${fallback}, got "${raw}"`);
  }
  if (url.protocol !== 'http:') throw new Error(`${envName}: expected an http:// URL, got "${raw}"`);
  return url.toString().replace(/\/+$/, '');
}

/** A positive whole number of milliseconds from the environment, or the default. */
export function readMs(envName: string, fallback: number): number {
  const raw = nonEmpty(process.env[envName]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${envName}: expected a whole number of milliseconds ≥ 1, got "${raw}"`);
  }
  return value;
}

function readPort(envName: string, fallback: number): number {
  const raw = nonEmpty(process.env[envName]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${envName}: expected a number 1–65535, got "${raw}"`);
  }
  return value;
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(path);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
