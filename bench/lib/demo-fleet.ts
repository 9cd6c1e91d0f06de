// The demo fleet for benchmarks: the real contract moved to ports of the benchmark's
// own (never the 70xx of a running demo fleet, never the 27xxx of the tests), a temp
// state folder, the real `evident` command, and a teardown that proves nothing is left.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { Contract } from '../../src/contract/contract.ts';
import { loadContract } from '../../src/contract/load-contract.ts';
import { commandLine, killQuietly, onInterrupt, openPorts, pidsWithEnvPrefix, waitUntil } from './processes.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/evident.js');
/** The Node running the benchmark (the pinned Node 24): evident and the services run on it. */
export const NODE = process.execPath;

/** The environment for everything a benchmark starts: `node` on PATH is this Node. */
export function benchEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.EVIDENT_STATE_DIR;
  delete env.EVIDENT_CONTRACT;
  delete env.NODE_ENV;
  env.PATH = [dirname(NODE), join(ROOT, 'node_modules/.bin'), process.env.PATH ?? ''].join(delimiter);
  return env;
}

export interface BenchContract {
  path: string;
  ports: number[];
  contract: Contract;
}

/**
 * Writes the demo contract with every 70xx port moved by `shift` (URLs in the env too)
 * and absolute working directories; `edit` may change the parsed JSON before it is written.
 */
export async function writeBenchContract(dir: string, shift: number, fileName = 'contract.json', edit?: (json: ContractJson) => void): Promise<BenchContract> {
  const text = readFileSync(join(ROOT, 'contracts/boot-contract.json'), 'utf8');
  const json = JSON.parse(text.replace(/\b(70[0-5]\d)\b/g, (port) => String(Number(port) + shift))) as ContractJson;
  delete json.$schema;
  for (const service of json.services) service.cwd = resolve(ROOT, 'contracts', service.cwd);
  edit?.(json);
  const path = join(dir, fileName);
  writeFileSync(path, JSON.stringify(json, null, 2));
  const loaded = await loadContract(path);
  if (!loaded.ok) throw new Error(`bench contract invalid: ${JSON.stringify(loaded.problems)}`);
  return { path, ports: loaded.contract.services.map((s) => s.port), contract: loaded.contract };
}

export interface ContractJson {
  $schema?: string;
  services: { name: string; cwd: string; port: number; health: Record<string, unknown>; [key: string]: unknown }[];
  [key: string]: unknown;
}

export interface CommandResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** From spawn to the process's exit. */
  wallMs: number;
}

/** Runs a command to its end, timing it from spawn to exit. */
export function runTimed(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? benchEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let exitedAt = 0;
    let exitCode: number | null = null;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      exitedAt = performance.now();
      exitCode = code;
    });
    child.once('close', () => {
      clearTimeout(timer);
      resolvePromise({ exitCode, stdout, stderr, wallMs: (exitedAt || performance.now()) - started });
    });
  });
}

/** `node bin/evident.js <args>`, as a user runs it. */
export function runEvident(args: string[], timeoutMs = 120_000): Promise<CommandResult> {
  return runTimed(NODE, [BIN, ...args], { timeoutMs });
}

/** A temp folder for one benchmark, with the shifted contract and a state folder in it. */
export class BenchFleet {
  readonly dir: string;
  readonly stateDir: string;
  readonly contract: BenchContract;
  private readonly removeInterrupt: () => void;

  private constructor(dir: string, contract: BenchContract) {
    this.dir = dir;
    this.stateDir = join(dir, 'state');
    this.contract = contract;
    this.removeInterrupt = onInterrupt(() => this.teardown());
  }

  static async create(name: string, shift: number): Promise<BenchFleet> {
    const dir = mkdtempSync(join(tmpdir(), `evident-bench-${name}-`));
    const contract = await writeBenchContract(dir, shift);
    const busy = await openPorts(contract.ports);
    if (busy.length > 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`ports ${busy.join(', ')} are already in use: another benchmark or program holds them`);
    }
    return new BenchFleet(dir, contract);
  }

  get ports(): number[] {
    return this.contract.ports;
  }

  /** `--contract … --state-dir …` for the evident command. */
  get args(): string[] {
    return ['--contract', this.contract.path, '--state-dir', this.stateDir];
  }

  async up(): Promise<{ totalMs: number; wallMs: number; pids: number[] }> {
    const result = await runEvident(['up', '--json', ...this.args]);
    const parsed = parseJson<{ ok: boolean; total_ms: number; services: { pid: number | null }[] }>(result.stdout);
    if (result.exitCode !== 0 || !parsed?.ok) throw new Error(`evident up failed (exit ${result.exitCode}): ${result.stdout}${result.stderr}`);
    return { totalMs: parsed.total_ms, wallMs: result.wallMs, pids: parsed.services.map((s) => s.pid).filter((p): p is number => p !== null) };
  }

  async down(): Promise<{ totalMs: number; wallMs: number; ok: boolean; raw: string }> {
    const result = await runEvident(['down', '--json', ...this.args]);
    const parsed = parseJson<{ ok: boolean; total_ms: number }>(result.stdout);
    if (!parsed) throw new Error(`evident down failed (exit ${result.exitCode}): ${result.stdout}${result.stderr}`);
    return { totalMs: parsed.total_ms, wallMs: result.wallMs, ok: parsed.ok && result.exitCode === 0, raw: result.stdout };
  }

  /** Processes started under this benchmark's temp folder still alive (services carry it in EVIDENT_STATE_DIR). */
  ours(): number[] {
    return pidsWithEnvPrefix('EVIDENT_STATE_DIR', this.dir);
  }

  /**
   * Stops everything: `evident down`, then checks that no port is open and no process of
   * ours is left; anything left (proven ours by its environment) is killed and reported.
   * Returns what it had to kill, so a caller can say so.
   */
  async ensureDown(): Promise<string[]> {
    const problems: string[] = [];
    try {
      const down = await this.down();
      if (!down.ok) problems.push(`evident down reported leftovers: ${down.raw.trim()}`);
    } catch (error) {
      problems.push((error as Error).message);
    }
    const clean = await waitUntil(async () => this.ours().length === 0 && (await openPorts(this.ports)).length === 0, 5000, 50);
    if (!clean) {
      for (const pid of this.ours()) {
        problems.push(`left behind: pid ${pid} ${commandLine(pid)} (killed)`);
        killQuietly(pid);
      }
      const open = await openPorts(this.ports);
      if (open.length > 0) problems.push(`ports still open: ${open.join(', ')}`);
    }
    return problems;
  }

  /** ensureDown, then the temp folder goes. Safe to call twice. */
  async teardown(): Promise<void> {
    this.removeInterrupt();
    const problems = await this.ensureDown();
    for (const p of problems) console.log(`  cleanup: ${p}`);
    const verified = this.ours().length === 0 && (await openPorts(this.ports)).length === 0;
    console.log(`  cleanup: ${verified ? 'verified: no process of this benchmark alive, ports ' + portRange(this.ports) + ' closed' : 'WARNING: something is still running'}`);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function portRange(ports: readonly number[]): string {
  const sorted = [...ports].sort((a, b) => a - b);
  return `${sorted[0]}–${sorted.at(-1)}`;
}

export function parseJson<T>(text: string): T | null {
  const line = text
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (!line) return null;
  try {
    return JSON.parse(line) as T;
  } catch {
    return null;
  }
}

/** True when this module's file is the one `node` was asked to run. */
export function isMain(meta: ImportMeta): boolean {
  return process.argv[1] !== undefined && resolve(process.argv[1]) === meta.filename;
}

export function quickFlag(): boolean {
  return process.argv.includes('--quick');
}
