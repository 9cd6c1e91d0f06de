// The configuration snapshot: the environment subset kept, secrets redacted, a hash
// that does not depend on key order, and the two files written once into a real folder.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalSha256 } from '../../src/contract/canonical-json.ts';
import { buildConfigSnapshot, CONFIG_HASH_FILE, CONFIG_SNAPSHOT_FILE, configHash, writeConfigSnapshot, type ConfigSnapshotInput } from '../../src/evidence/config-snapshot.ts';
import { REDACTED } from '../../src/redaction/redact.ts';
import { ArtifactExistsError } from '../../src/evidence/write-artifact.ts';

const env = {
  PATH: '/usr/local/bin:/usr/bin',
  HOME: '/home/ana',
  LANG: 'C.UTF-8',
  LC_ALL: 'C',
  TZ: 'UTC',
  NO_COLOR: '1',
  CI: 'true',
  TMPDIR: '/tmp',
  EVIDENT_STATE_DIR: '/srv/state',
  EVIDENT_API_TOKEN: 'tok-123',
  NODE_OPTIONS: '--max-old-space-size=256',
  NODE_AUTH_TOKEN: 'npm-456',
  PYTHONHASHSEED: '0',
  DB_PASSWORD: 'hunter2',
  DATABASE_URL: 'postgres://app:s3cret@db:5432/app',
  AWS_SECRET_ACCESS_KEY: 'aws-789',
  EDITOR: 'vim',
  SSH_AUTH_SOCK: '/run/ssh.sock',
  PWD: '/work/main',
  UNSET: undefined,
};

function input(overrides: Partial<ConfigSnapshotInput> = {}): ConfigSnapshotInput {
  return {
    config: { stateDir: '/srv/state', probe: { interval_ms: 1000, url: 'http://admin:pw-000@127.0.0.1:7000/healthz' }, database: { password: 'pw-111' } },
    flags: { json: true, contract: 'contracts/boot-contract.json', 'api-key': 'flag-222' },
    env,
    contract: { version: '1.4.0', hash: 'c'.repeat(64), path: '/work/main/contracts/boot-contract.json' },
    serviceEnvNames: ['DB_PASSWORD', 'DATABASE_URL', 'PORT'],
    evidentVersion: '0.1.0',
    platform: { os: 'linux', arch: 'x64', release: '6.8.0' },
    runtime: 'v24.21.0',
    ...overrides,
  };
}

const secrets = ['tok-123', 'npm-456', 'hunter2', 's3cret', 'aws-789', 'pw-000', 'pw-111', 'flag-222'];

describe('buildConfigSnapshot', () => {
  it('keeps the environment that can change behaviour, with secret values redacted, and leaves out the rest', () => {
    const snapshot = buildConfigSnapshot(input());
    expect(snapshot.env).toEqual({
      CI: 'true',
      DATABASE_URL: `postgres://app:${REDACTED}@db:5432/app`,
      DB_PASSWORD: REDACTED,
      EVIDENT_API_TOKEN: REDACTED,
      EVIDENT_STATE_DIR: '/srv/state',
      HOME: '/home/ana',
      LANG: 'C.UTF-8',
      LC_ALL: 'C',
      NODE_AUTH_TOKEN: REDACTED,
      NODE_OPTIONS: '--max-old-space-size=256',
      NO_COLOR: '1',
      PATH: '/usr/local/bin:/usr/bin',
      PYTHONHASHSEED: '0',
      TMPDIR: '/tmp',
      TZ: 'UTC',
    });
    expect(Object.keys(snapshot.env)).toEqual(Object.keys(snapshot.env).sort());
  });

  it('redacts secrets in the configuration and the flags, and nowhere leaves one behind', () => {
    const snapshot = buildConfigSnapshot(input());
    expect(snapshot.config).toEqual({ stateDir: '/srv/state', probe: { interval_ms: 1000, url: `http://admin:${REDACTED}@127.0.0.1:7000/healthz` }, database: { password: REDACTED } });
    expect(snapshot.flags).toEqual({ json: true, contract: 'contracts/boot-contract.json', 'api-key': REDACTED });
    const text = JSON.stringify(snapshot);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('records versions, platform and contract as given', () => {
    const snapshot = buildConfigSnapshot(input());
    expect(snapshot.evident_version).toBe('0.1.0');
    expect(snapshot.runtime).toBe('v24.21.0');
    expect(snapshot.platform).toEqual({ os: 'linux', arch: 'x64', release: '6.8.0' });
    expect(snapshot.contract).toEqual({ version: '1.4.0', hash: 'c'.repeat(64), path: '/work/main/contracts/boot-contract.json' });
  });

  it('matches names without regard to case on Windows only, where Path is PATH', () => {
    const windowsEnv = { Path: 'C:\\Windows', USERPROFILE: 'C:\\Users\\ana', TEMP: 'C:\\Temp', PathExt: '.COM;.EXE', Editor: 'notepad' };
    expect(buildConfigSnapshot(input({ env: windowsEnv, platform: { os: 'win32', arch: 'x64', release: '10.0.22631' } })).env).toEqual({
      Path: 'C:\\Windows',
      PathExt: '.COM;.EXE',
      TEMP: 'C:\\Temp',
      USERPROFILE: 'C:\\Users\\ana',
    });
    expect(buildConfigSnapshot(input({ env: windowsEnv })).env).toEqual({ TEMP: 'C:\\Temp', USERPROFILE: 'C:\\Users\\ana' });
  });
});

describe('configHash', () => {
  it('does not depend on the order keys were written in', () => {
    const reordered = input({
      config: { database: { password: 'pw-111' }, probe: { url: 'http://admin:pw-000@127.0.0.1:7000/healthz', interval_ms: 1000 }, stateDir: '/srv/state' },
      flags: { 'api-key': 'flag-222', contract: 'contracts/boot-contract.json', json: true },
      env: Object.fromEntries(Object.entries(env).reverse()),
    });
    const hash = configHash(buildConfigSnapshot(input()));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(configHash(buildConfigSnapshot(reordered))).toBe(hash);
  });

  it('changes with any kept value, and not with a variable left out', () => {
    const hash = configHash(buildConfigSnapshot(input()));
    expect(configHash(buildConfigSnapshot(input({ env: { ...env, TZ: 'Europe/Paris' } })))).not.toBe(hash);
    expect(configHash(buildConfigSnapshot(input({ flags: { json: false, contract: 'contracts/boot-contract.json', 'api-key': 'flag-222' } })))).not.toBe(hash);
    expect(configHash(buildConfigSnapshot(input({ runtime: 'v24.22.0' })))).not.toBe(hash);
    expect(configHash(buildConfigSnapshot(input({ env: { ...env, EDITOR: 'emacs' } })))).toBe(hash);
    // A secret's value is not in the snapshot, so changing it cannot change the hash.
    expect(configHash(buildConfigSnapshot(input({ env: { ...env, DB_PASSWORD: 'other' } })))).toBe(hash);
  });
});

describe('writeConfigSnapshot', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'evident-config-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the pretty snapshot and its hash, which a reader can recompute from the file, once', () => {
    const snapshot = buildConfigSnapshot(input());
    const written = writeConfigSnapshot(dir, snapshot);
    const text = readFileSync(join(dir, CONFIG_SNAPSHOT_FILE), 'utf8');
    expect(text).toBe(`${JSON.stringify(snapshot, null, 2)}\n`);
    expect(readFileSync(join(dir, CONFIG_HASH_FILE), 'utf8')).toBe(`${written.configHash}\n`);
    expect(canonicalSha256(JSON.parse(text))).toBe(written.configHash);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(readdirSync(dir).sort()).toEqual([CONFIG_HASH_FILE, CONFIG_SNAPSHOT_FILE]);
    expect(() => writeConfigSnapshot(dir, buildConfigSnapshot(input({ runtime: 'v25.0.0' })))).toThrow(ArtifactExistsError);
    expect(readFileSync(join(dir, CONFIG_SNAPSHOT_FILE), 'utf8')).toBe(text);
  });
});
