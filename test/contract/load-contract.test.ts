// loadContract against real files in a temporary folder: the demo contract, and every
// kind of mistake an operator makes, checked by the exact line they would read.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContractProblem } from '../../src/contract/contract.ts';
import { formatProblems } from '../../src/contract/format-problems.ts';
import { loadContract } from '../../src/contract/load-contract.ts';
import { MAX_DECLARATION_BYTES } from '../../src/contract/read-json-file.ts';

const DEMO = resolve(import.meta.dirname, '../../contracts/boot-contract.json');
const folder = mkdtempSync(join(tmpdir(), 'evident-contract-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let fileCount = 0;
/** Writes `content` (an object as JSON, or raw text) to a fresh file and returns its path. */
function writeContract(content: unknown, name = `contract-${++fileCount}.json`): string {
  const path = join(folder, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

function service(name: string, port: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, command: 'node', args: [`${name}.ts`], port, health: { kind: 'tcp' }, ...extra };
}

function contract(services: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'test fleet', version: '1.0.0', services, ...extra };
}

async function problemsOf(content: unknown): Promise<string[]> {
  const result = await loadContract(writeContract(content));
  if (result.ok) throw new Error('expected the contract to be rejected');
  return result.problems.map((p: ContractProblem) => `${p.path}: ${p.message}`);
}

describe('loadContract: the demo contract', () => {
  it('loads with six services, each after all it depends on', async () => {
    const result = await loadContract(DEMO);
    if (!result.ok) throw new Error(formatProblems(DEMO, result.problems));
    const { contract: loaded } = result;
    expect(loaded.path).toBe(DEMO);
    expect(loaded.name).toBe('evident demo fleet');
    expect(loaded.version).toBe('1.2.0');
    expect(loaded.services.map((s) => s.name)).toEqual(['memory-engine', 'model-router', 'openclaw', 'pipecat', 'eva-os', 'api-gateway']);
    const seen = new Set<string>();
    for (const s of loaded.services) {
      for (const dep of s.depends_on) expect(seen.has(dep), `${s.name} after ${dep}`).toBe(true);
      seen.add(s.name);
    }
    expect(loaded.services.every((s) => s.cwd === resolve(import.meta.dirname, '../../fleet'))).toBe(true);
    expect(loaded.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('probes every demo service with GET /healthz, expecting 200, every second (the default)', async () => {
    const result = await loadContract(DEMO);
    if (!result.ok) throw new Error('demo contract rejected');
    for (const s of result.contract.services) {
      expect(s.health, s.name).toMatchObject({ kind: 'http', path: '/healthz', expect_status: 200, interval_s: 1 });
    }
  });

  it('hashes the content, not the formatting: key order and whitespace do not change the hash', async () => {
    const demo = await loadContract(DEMO);
    if (!demo.ok) throw new Error('demo contract rejected');
    const parsed = JSON.parse(readFileSync(DEMO, 'utf8')) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(parsed).reverse().map(([k, v]) => [k, reverseKeys(v)]));
    const copy = await loadContract(writeContract(JSON.stringify(reordered)));
    if (!copy.ok) throw new Error(formatProblems('copy', copy.problems));
    expect(copy.contract.hash).toBe(demo.contract.hash);
  });

  it('hashes after defaults: spelling out a default value does not change the hash', async () => {
    const terse = await loadContract(writeContract(contract([service('a', 7001)])));
    const explicit = await loadContract(
      writeContract(contract([service('a', 7001, { cwd: '.', env: {}, depends_on: [], health: { kind: 'tcp', timeout_ms: 2000, interval_s: 1 } })])),
    );
    if (!terse.ok || !explicit.ok) throw new Error('fixture rejected');
    expect(explicit.contract.hash).toBe(terse.contract.hash);
  });

  it('gives a different hash when a port changes', async () => {
    const demo = await loadContract(DEMO);
    if (!demo.ok) throw new Error('demo contract rejected');
    const changed = readFileSync(DEMO, 'utf8').replace('"port": 7030', '"port": 7031');
    const other = await loadContract(writeContract(changed));
    if (!other.ok) throw new Error(formatProblems('changed', other.problems));
    expect(other.contract.hash).not.toBe(demo.contract.hash);
  });
});

describe('loadContract: resolving', () => {
  it('starts services in dependency order, keeping file order among independent ones', async () => {
    const result = await loadContract(
      writeContract(contract([service('gateway', 7001, { depends_on: ['router'] }), service('logs', 7002), service('router', 7003), service('metrics', 7004)])),
    );
    if (!result.ok) throw new Error('fixture rejected');
    expect(result.contract.services.map((s) => s.name)).toEqual(['logs', 'router', 'gateway', 'metrics']);
  });

  it('resolves cwd against the contract file folder, not the current folder', async () => {
    const sub = join(folder, 'nested', 'contracts');
    mkdirSync(sub, { recursive: true });
    const absolute = resolve(folder, 'elsewhere');
    const path = join(sub, 'fleet.json');
    writeFileSync(path, JSON.stringify(contract([service('a', 7001, { cwd: '../fleet' }), service('b', 7002), service('c', 7003, { cwd: absolute })])));
    const result = await loadContract(path);
    if (!result.ok) throw new Error('fixture rejected');
    expect(result.contract.services.map((s) => s.cwd)).toEqual([join(folder, 'nested', 'fleet'), sub, absolute]);
    // The spec keeps what was written; only the resolved services carry absolute paths.
    expect(result.contract.spec.services[0]?.cwd).toBe('../fleet');
  });

  it('loads a file saved with a byte order mark', async () => {
    const result = await loadContract(writeContract(`\uFEFF${JSON.stringify(contract([service('a', 7001)]))}`));
    expect(result.ok).toBe(true);
  });
});

describe('loadContract: inherit_env', () => {
  it('takes true, false or a list of names, and leaves a contract without it as it was', async () => {
    for (const inherit of [true, false, ['PATH', 'HOME']]) {
      const result = await loadContract(writeContract(contract([service('a', 7001, { inherit_env: inherit })])));
      expect(result.ok && result.contract.services[0]?.inherit_env).toEqual(inherit);
    }
    const without = await loadContract(writeContract(contract([service('a', 7001)])));
    expect(without.ok && 'inherit_env' in (without.contract.spec.services[0] ?? {})).toBe(false);
  });

  it('refuses anything else, naming the field', async () => {
    expect(await problemsOf(contract([service('a', 7001, { inherit_env: 'yes' })]))).toEqual(['services[0].inherit_env: expected true, false or a list of environment variable names']);
    expect(await problemsOf(contract([service('a', 7001, { inherit_env: ['PATH', 'MY VAR'] })]))).toEqual([
      'services[0].inherit_env[1]: expected an environment variable name (letters, digits, underscore)',
    ]);
  });
});

describe('loadContract: problems with the file', () => {
  it('names the path and the reason when the file is missing', async () => {
    const missing = join(folder, 'no-such-contract.json');
    expect(await loadContract(missing)).toEqual({ ok: false, problems: [{ path: 'file', message: `cannot read ${missing}: no such file (ENOENT)` }] });
  });

  it('says so when the path is a folder', async () => {
    expect(await loadContract(folder)).toEqual({ ok: false, problems: [{ path: 'file', message: `cannot read ${folder}: it is a folder, not a file (EISDIR)` }] });
  });

  it.skipIf(process.platform === 'win32')('refuses a named pipe at once, where reading would wait for a writer forever', async () => {
    const fifo = join(folder, 'contract.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await loadContract(fifo)).toEqual({ ok: false, problems: [{ path: 'file', message: `cannot read ${fifo}: it is a named pipe, not a regular file` }] });
  });

  it.skipIf(process.platform === 'win32')('refuses a device such as /dev/zero, which never ends', async () => {
    expect(await loadContract('/dev/zero')).toEqual({ ok: false, problems: [{ path: 'file', message: 'cannot read /dev/zero: it is a device, not a regular file' }] });
  });

  it('refuses a file over the size a declaration may have, without reading it', async () => {
    const huge = join(folder, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, MAX_DECLARATION_BYTES + 1);
    expect(await loadContract(huge)).toEqual({
      ok: false,
      problems: [{ path: 'file', message: `cannot read ${huge}: it is ${MAX_DECLARATION_BYTES + 1} bytes, over the 4 MiB a declaration may have` }],
    });
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)('says so when the file cannot be read', async () => {
    const locked = writeContract(contract([service('a', 7001)]));
    chmodSync(locked, 0o000);
    expect(await loadContract(locked)).toEqual({ ok: false, problems: [{ path: 'file', message: `cannot read ${locked}: permission denied (EACCES)` }] });
  });

  it('says the file is empty, also when it holds only whitespace or a byte order mark', async () => {
    const expected = ['file: is empty: expected a JSON object with "name", "version" and "services"'];
    expect(await problemsOf('')).toEqual(expected);
    expect(await problemsOf('  \n\t\r\n')).toEqual(expected);
    expect(await problemsOf('\uFEFF')).toEqual(expected);
  });

  it('gives the line and column of a JSON syntax error and what was found there', async () => {
    const text = '{\n  "name": "test fleet",\n  "version": "1.0.0",\n  "services": [\n    { "name": "a", "port": 70o1 }\n  ]\n}\n';
    expect(await problemsOf(text)).toEqual(['line 5:28: expected a value, found "70o1"']);
    expect(await problemsOf('{\n  "name": "x",\n  "services": [],\n}\n')).toEqual([
      'line 4:1: expected a property name in double quotes, found "}" (JSON allows no comma after the last item)',
    ]);
  });

  it('counts columns without the byte order mark, as the editor shows them', async () => {
    expect(await problemsOf('\uFEFF{"name" "x"}')).toEqual(['line 1:9: expected ":", found \'"\'']);
  });

  it('asks for UTF-8 when the file is UTF-16', async () => {
    const path = join(folder, 'utf16.json');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{}', 'utf16le')]));
    expect(await loadContract(path)).toEqual({ ok: false, problems: [{ path: 'file', message: 'is UTF-16 text: save it as UTF-8' }] });
  });

  it('says what the whole file should be when it is not an object', async () => {
    expect(await problemsOf('[1, 2]')).toEqual(['file: expected an object, got a list']);
  });
});

describe('loadContract: problems with fields', () => {
  it('names the field and quotes the bad value: a port written as text', async () => {
    const services = [service('a', 7001), service('b', 7002), service('c', 7003, { port: '70o1' })];
    expect(await problemsOf(contract(services))).toEqual(['services[2].port: expected a number 1–65535, got "70o1"']);
  });

  it('explains out-of-range and fractional ports', async () => {
    expect(await problemsOf(contract([service('a', 70000), service('b', 80.5), service('c', 0)]))).toEqual([
      'services[0].port: expected a number 1–65535, got 70000',
      'services[1].port: expected a whole number 1–65535, got 80.5',
      'services[2].port: expected a number 1–65535, got 0',
    ]);
  });

  it('says "required" for a missing required field', async () => {
    expect(await problemsOf(contract([{ name: 'a', command: 'node', health: { kind: 'tcp' } }]))).toEqual(['services[0].port: required']);
    expect(await problemsOf({ name: 'x', services: [service('a', 7001)] })).toEqual(['version: required']);
  });

  it('names an unknown field and suggests the field that was meant', async () => {
    const { health, ...rest } = service('a', 7001);
    expect(await problemsOf(contract([{ ...rest, helth: health }]))).toEqual([
      'services[0].health: required',
      'services[0].helth: unknown field (did you mean "health"?)',
    ]);
    expect(await problemsOf(contract([service('a', 7001, { colour: 'red' })]))).toEqual(['services[0].colour: unknown field']);
    expect(await problemsOf(contract([service('a', 7001, { health: { kind: 'http', pth: '/up' } })]))).toEqual([
      'services[0].health.pth: unknown field (did you mean "path"?)',
    ]);
  });

  it('lists the probe kinds when the kind is wrong or missing', async () => {
    expect(await problemsOf(contract([service('a', 7001, { health: { kind: 'grpc' } })]))).toEqual([
      'services[0].health.kind: expected "http", "tcp" or "exec", got "grpc"',
    ]);
    expect(await problemsOf(contract([service('a', 7001, { health: { path: '/healthz' } })]))).toEqual([
      'services[0].health.kind: required: "http", "tcp" or "exec"',
    ]);
  });

  it('checks interval_s on probes', async () => {
    expect(await problemsOf(contract([service('a', 7001, { health: { kind: 'tcp', interval_s: 0 } }), service('b', 7002, { health: { kind: 'exec', command: 'true', interval_s: 7200 } })]))).toEqual([
      'services[0].health.interval_s: expected a number of seconds above 0 and at most 3600, got 0',
      'services[1].health.interval_s: expected a number of seconds above 0 and at most 3600, got 7200',
    ]);
  });

  it('accepts a probe host that is an address or a host name, and refuses brackets, ports and junk', async () => {
    const hosts = ['::1', '127.0.0.1', '10.0.0.7', 'fe80::1', 'localhost', 'db-1.internal.example'];
    const result = await loadContract(writeContract(contract(hosts.map((host, i) => service(`s${i}`, 7001 + i, { health: { kind: i % 2 ? 'tcp' : 'http', host } })))));
    if (!result.ok) throw new Error(formatProblems('contract', result.problems));
    expect(result.contract.services.map((s) => (s.health.kind === 'exec' ? null : s.health.host))).toEqual(hosts);
    const message = 'expected an IP address such as 127.0.0.1 or ::1 (no brackets) or a host name';
    expect(await problemsOf(contract([
      service('a', 7001, { health: { kind: 'http', host: '[::1]' } }),
      service('b', 7002, { health: { kind: 'tcp', host: '127.0.0.1:80' } }),
      service('c', 7003, { health: { kind: 'tcp', host: '' } }),
      service('d', 7004, { health: { kind: 'http', host: 'http://db' } }),
      service('e', 7005, { health: { kind: 'exec', command: 'true', host: '::1' } }),
    ]))).toEqual([
      `services[0].health.host: ${message}, got "[::1]"`,
      `services[1].health.host: ${message}, got "127.0.0.1:80"`,
      `services[2].health.host: ${message}, got ""`,
      `services[3].health.host: ${message}, got "http://db"`,
      'services[4].health.host: unknown field',
    ]);
  });

  it('accepts body and output checks and refuses malformed ones with the field path', async () => {
    const ok = await loadContract(writeContract(contract([
      service('a', 7001, { health: { kind: 'http', expect_body: 'ok', expect_json: { path: 'checks.db.status', equals: 'ok' } } }),
      service('b', 7002, { health: { kind: 'exec', command: 'redis-cli', args: ['-p', '6390', 'ping'], expect_output: 'PONG' } }),
      service('c', 7003, { health: { kind: 'http', expect_json: { path: 'replicas.0.ready', equals: true } } }),
    ])));
    if (!ok.ok) throw new Error(formatProblems('contract', ok.problems));
    expect(ok.contract.services.map((s) => s.health)).toMatchObject([
      { expect_body: 'ok', expect_json: { path: 'checks.db.status', equals: 'ok' } },
      { expect_output: 'PONG' },
      { expect_json: { path: 'replicas.0.ready', equals: true } },
    ]);
    expect(await problemsOf(contract([
      service('a', 7001, { health: { kind: 'exec', command: 'redis-cli', expect_output: '' } }),
      service('b', 7002, { health: { kind: 'http', expect_body: 'x'.repeat(1025) } }),
      service('c', 7003, { health: { kind: 'http', expect_json: { path: '.status', equals: 'ok' } } }),
      service('d', 7004, { health: { kind: 'http', expect_json: { path: 'a..b', equals: { x: 1 } } } }),
      service('e', 7005, { health: { kind: 'http', expect_json: { path: 'status', equal: 'ok' } } }),
      service('f', 7006, { health: { kind: 'tcp', expect_body: 'ok' } }),
      service('g', 7007, { health: { kind: 'exec', command: 'true', expect_output_regex: 'PO+NG' } }),
    ]))).toEqual([
      'services[0].health.expect_output: expected the text the output must contain, got ""',
      `services[1].health.expect_body: expected at most 1024 characters, got "${'x'.repeat(40)}…"`,
      'services[2].health.expect_json.path: expected a dotted path into the JSON body, such as "status" or "checks.db.status", got ".status"',
      'services[3].health.expect_json.path: expected a dotted path into the JSON body, such as "status" or "checks.db.status", got "a..b"',
      'services[3].health.expect_json.equals: expected a string, a number, true, false or null, got an object',
      'services[4].health.expect_json.equals: required',
      'services[4].health.expect_json.equal: unknown field (did you mean "equals"?)',
      'services[5].health.expect_body: unknown field',
      'services[6].health.expect_output_regex: unknown field (did you mean "expect_output"?)',
    ]);
  });

  it('leaves a probe without a host as it was, so its hash does not change', async () => {
    const result = await loadContract(writeContract(contract([service('a', 7001)])));
    if (!result.ok) throw new Error('rejected');
    expect(result.contract.services[0]?.health).toEqual({ kind: 'tcp', timeout_ms: 2000, interval_s: 1 });
  });

  it('refuses a shell line in command', async () => {
    expect(await problemsOf(contract([service('a', 7001, { command: 'node server.ts | tee log.txt' })]))).toEqual([
      'services[0].command: expected a program, not a shell line (no | & ; < > $ or backtick): put its arguments in "args"',
    ]);
  });

  it('never repeats an environment value back, since it may be a secret', async () => {
    const problems = await problemsOf(contract([service('a', 7001, { env: { API_TOKEN: 918273645 } })]));
    expect(problems).toEqual(['services[0].env.API_TOKEN: expected a string (the value is not shown: it may be a secret)']);
    expect(problems.join('\n')).not.toContain('918273645');
  });
});

describe('loadContract: problems between services', () => {
  it('names both services that claim one port', async () => {
    expect(await problemsOf(contract([service('model-router', 7010), service('openclaw', 7040), service('pipecat', 7010)]))).toEqual([
      'services[2].port: port 7010 is used by both model-router (services[0]) and pipecat (services[2])',
    ]);
  });

  it('refuses a duplicate name', async () => {
    expect(await problemsOf(contract([service('pipecat', 7001), service('pipecat', 7002)]))).toEqual([
      'services[1].name: duplicate name: services[0] is also called pipecat',
    ]);
  });

  it('names an unknown depends_on and suggests the closest service', async () => {
    expect(await problemsOf(contract([service('model-router', 7010), service('pipecat', 7030, { depends_on: ['model-routr', 'database'] })]))).toEqual([
      'services[1].depends_on[0]: unknown service "model-routr" (did you mean "model-router"?)',
      'services[1].depends_on[1]: unknown service "database"',
    ]);
  });

  it('refuses a service that depends on itself', async () => {
    expect(await problemsOf(contract([service('pipecat', 7030, { depends_on: ['pipecat'] })]))).toEqual([
      'services[0].depends_on[0]: pipecat depends on itself',
    ]);
  });

  it('names a dependency cycle in full', async () => {
    const services = [
      service('memory-engine', 7020),
      service('model-router', 7010, { depends_on: ['memory-engine', 'pipecat'] }),
      service('pipecat', 7030, { depends_on: ['model-router'] }),
    ];
    expect(await problemsOf(contract(services))).toEqual(['services[1].depends_on: dependency cycle: model-router → pipecat → model-router']);
  });

  it('names every cycle, not just the first', async () => {
    const services = [
      service('a', 7001, { depends_on: ['b'] }),
      service('b', 7002, { depends_on: ['a'] }),
      service('c', 7003, { depends_on: ['e'] }),
      service('d', 7004, { depends_on: ['c'] }),
      service('e', 7005, { depends_on: ['d'] }),
    ];
    expect(await problemsOf(contract(services))).toEqual([
      'services[0].depends_on: dependency cycle: a → b → a',
      'services[2].depends_on: dependency cycle: c → e → d → c',
    ]);
  });
});

describe('loadContract: several problems at once', () => {
  it('reports every problem in the file together, grouped by service, field and cross-service problems alike', async () => {
    const services = [
      service('memory-engine', 7020, { helth: {} }),
      service('model-router', 7010, { depends_on: ['pipecat'] }),
      service('pipecat', '70o1', { depends_on: ['model-router', 'memory-engin'] }),
      service('eva-os', 7020, { command: 'node eva.ts && echo up', health: { kind: 'grpc' } }),
    ];
    const path = writeContract(contract(services, { version: '1.0' }));
    const result = await loadContract(path);
    if (result.ok) throw new Error('expected the contract to be rejected');
    expect(formatProblems('contracts/fleet.json', result.problems)).toBe(
      [
        'contract contracts/fleet.json has 8 problems:',
        '  version: expected a semantic version such as 1.0.0, got "1.0"',
        '  services[0].helth: unknown field (did you mean "health"?)',
        '  services[1].depends_on: dependency cycle: model-router → pipecat → model-router',
        '  services[2].port: expected a number 1–65535, got "70o1"',
        '  services[2].depends_on[1]: unknown service "memory-engin" (did you mean "memory-engine"?)',
        '  services[3].command: expected a program, not a shell line (no | & ; < > $ or backtick): put its arguments in "args"',
        '  services[3].health.kind: expected "http", "tcp" or "exec", got "grpc"',
        '  services[3].port: port 7020 is used by both memory-engine (services[0]) and eva-os (services[3])',
        '',
      ].join('\n'),
    );
  });
});

/** The same value with every object's keys in reverse order, to prove order does not matter. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
  }
  return value;
}

describe('loadContract: the signal fields', () => {
  it('resolves a missing stop_signal to SIGTERM without writing it into the spec (the hash stays what it was)', async () => {
    const without = await loadContract(writeContract(contract([service('web', 7001)])));
    const declared = await loadContract(writeContract(contract([service('web', 7001, { stop_signal: 'SIGTERM' })])));
    if (!without.ok || !declared.ok) throw new Error('expected both contracts to load');
    expect(without.contract.services[0]?.stop_signal).toBe('SIGTERM');
    expect(without.contract.services[0]?.reload_signal).toBeUndefined();
    expect(without.contract.spec.services[0]).not.toHaveProperty('stop_signal');
    expect(declared.contract.hash).not.toBe(without.contract.hash);
  });

  it('takes the signals written in full, and names the spelling meant for one that is not', async () => {
    const ok = await loadContract(writeContract(contract([service('web', 7001, { stop_signal: 'SIGQUIT', reload_signal: 'SIGHUP' })])));
    expect(ok.ok && ok.contract.services[0]).toMatchObject({ stop_signal: 'SIGQUIT', reload_signal: 'SIGHUP' });
    const allowed = 'expected "SIGTERM", "SIGQUIT", "SIGINT", "SIGHUP", "SIGUSR1" or "SIGUSR2"';
    expect(await problemsOf(contract([service('web', 7001, { stop_signal: 'quit', reload_signal: 'SIGSTOP' }), service('db', 7002, { stop_signal: 15 })]))).toEqual([
      `services[0].stop_signal: ${allowed}, got "quit" (did you mean "SIGQUIT"?)`,
      `services[0].reload_signal: SIGSTOP cannot be caught, so it asks a program nothing (evident sends SIGKILL itself once stop_timeout_s has passed): ${allowed}, got "SIGSTOP"`,
      `services[1].stop_signal: expected a signal name: "SIGTERM", "SIGQUIT", "SIGINT", "SIGHUP", "SIGUSR1" or "SIGUSR2"; got 15`,
    ]);
  });
});

describe('loadContract: a service that daemonizes', () => {
  it('resolves pid_file from the contract file\'s folder, and leaves contracts without the fields hashed as before', async () => {
    const path = writeContract(contract([service('web', 7001, { daemonizes: true, pid_file: 'run/web.pid' })]));
    const loaded = await loadContract(path);
    expect(loaded.ok && loaded.contract.services[0]).toMatchObject({ daemonizes: true, pid_file: join(folder, 'run/web.pid') });
    const without = await loadContract(writeContract(contract([service('web', 7001)])));
    expect(without.ok && without.contract.services[0]?.daemonizes).toBe(false);
    expect(without.ok && without.contract.spec.services[0]).not.toHaveProperty('daemonizes');
  });

  it('refuses a pid_file without daemonizes, and daemonizes without a pid_file, naming the field', async () => {
    expect(await problemsOf(contract([
      service('web', 7001, { pid_file: 'web.pid' }),
      service('db', 7002, { daemonizes: true }),
      service('cache', 7003, { daemonizes: false, pid_file: 'cache.pid' }),
      service('queue', 7004, { daemonizes: 'yes', pid_file: '' }),
    ]))).toEqual([
      'services[0].pid_file: read only for a service that forks into the background: add "daemonizes": true, or remove "pid_file"',
      'services[1].pid_file: required when "daemonizes" is true: the file the daemon writes its pid to, such as "run/nginx.pid"',
      'services[2].pid_file: read only for a service that forks into the background: add "daemonizes": true, or remove "pid_file"',
      expect.stringMatching(/^services\[3\]\.daemonizes: /),
      expect.stringMatching(/^services\[3\]\.pid_file: /),
    ]);
  });
});
