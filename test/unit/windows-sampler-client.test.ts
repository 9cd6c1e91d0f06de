// The Windows sampler's client against a real process that speaks its protocol
// (test/fixtures/sampler-double.ts): timeouts, restarts with backoff, events, UTF-8 and
// garbage. A sampler that cannot answer is always an error, never an empty answer.
import { afterEach, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { SamplerClient, SamplerUnavailable } from '../../src/platform/windows-sampler-client.ts';
import { until } from '../helpers/wait.ts';

const DOUBLE = resolve(import.meta.dirname, '../fixtures/sampler-double.ts');
const clients: SamplerClient[] = [];

function client(options: ConstructorParameters<typeof SamplerClient>[1] = {}): SamplerClient {
  const made = new SamplerClient({ command: process.execPath, args: [DOUBLE] }, options);
  clients.push(made);
  return made;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterEach(() => {
  for (const made of clients.splice(0)) made.close();
});

describe('SamplerClient', () => {
  it('answers requests in any order, each with its own reply', async () => {
    const sampler = client();
    const [late, echo] = await Promise.all([sampler.request('late', { ms: 100 }), sampler.request('echo', { value: { pids: [4, 8] } })]);
    expect(late).toBe('late');
    expect(echo).toEqual({ pids: [4, 8] });
  });

  it("rejects with the sampler's own error when it could not answer", async () => {
    await expect(client().request('fail')).rejects.toThrow('the Windows sampler could not answer "fail": Get-Thing: access denied');
  });

  it('a request past its timeout fails, the stuck sampler is killed, and a new one answers after the backoff', async () => {
    const sampler = client({ timeoutMs: 300, firstBackoffMs: 200 });
    const stuck = (await sampler.request('pid')) as number;
    const never = sampler.request('never');
    const inFlight = sampler.request('late', { ms: 60_000 }, 60_000);
    await expect(never).rejects.toThrow(SamplerUnavailable);
    await expect(never).rejects.toThrow('did not answer "never" within 300 ms');
    // Everything in flight failed with it.
    await expect(inFlight).rejects.toThrow('did not answer "never"');
    await until(() => !alive(stuck), 'the stuck sampler to be killed');
    // Until the backoff has passed, a request fails at once and says when the next try is.
    await expect(sampler.request('echo', { value: 1 })).rejects.toThrow(/started again in \d+ ms/);
    let answer: unknown = null;
    await until(async () => {
      answer = await sampler.request('echo', { value: 'back' }).catch(() => null);
      return answer !== null;
    }, 'a new sampler to answer');
    expect(answer).toBe('back');
    expect(sampler.pid).not.toBe(stuck);
  });

  it('a sampler that exits fails what is in flight, with its exit and its last stderr lines, and backs off doubling', async () => {
    const sampler = client({ firstBackoffMs: 100, maxBackoffMs: 400 });
    const exit = sampler.request('exit', { code: 3 });
    await expect(exit).rejects.toThrow(/exited \(code 3\) \(it wrote: about to exit\)/);
    const waits: number[] = [];
    for (let failure = 0; failure < 3; failure++) {
      // Wait out the backoff, then make the new sampler exit too.
      let started = false;
      await until(async () => {
        const attempt = sampler.request('exit', { code: 4 });
        const error = (await attempt.catch((e: Error) => e)) as Error;
        const wait = /started again in (\d+) ms/.exec(error.message);
        if (wait) waits.push(Number(wait[1]));
        started = !wait;
        return started;
      }, 'the sampler to be started again', 10_000, 10);
    }
    // Each failure waited longer, up to the ceiling (the first figure of each wait is the largest seen).
    expect(Math.max(...waits)).toBeLessThanOrEqual(400);
    expect(Math.max(...waits)).toBeGreaterThan(100);
  });

  it('a command that cannot be started fails at once, never hangs', async () => {
    const sampler = new SamplerClient({ command: '/nonexistent/powershell.exe', args: [] }, { firstBackoffMs: 50 });
    clients.push(sampler);
    await expect(sampler.request('table')).rejects.toThrow(/could not be started: spawn \/nonexistent\/powershell.exe ENOENT/);
    await expect(sampler.request('table')).rejects.toThrow(SamplerUnavailable);
  });

  it('delivers event lines to every subscriber until it unsubscribes', async () => {
    const sampler = client();
    const seen: unknown[] = [];
    const other: unknown[] = [];
    const unsubscribe = sampler.onEvent((event) => seen.push(event));
    sampler.onEvent((event) => other.push(event));
    expect(await sampler.request('event', { pid: 4120 })).toBe(true);
    expect(seen).toEqual([{ event: 'exit', pid: 4120, created: '133790000000000000', code: 0 }]);
    unsubscribe();
    await sampler.request('event', { pid: 4188 });
    expect(seen).toHaveLength(1);
    expect(other).toHaveLength(2);
  });

  it('keeps UTF-8 whole when a reply arrives cut inside a character', async () => {
    const text = 'C:\\Users\\Zoë\\日本\\app.exe --name "Zoë"';
    expect(await client().request('split', { text })).toBe(text);
  });

  it('counts lines that are neither a reply nor an event, and goes on', async () => {
    const sampler = client();
    expect(await sampler.request('garbage')).toBe('after garbage');
    expect(sampler.garbledLines).toBe(2);
  });

  it('writes its preamble (the native code) before any request, and gives a starting sampler longer to answer', async () => {
    const sampler = client({ preamble: [JSON.stringify('namespace Evident { }')], timeoutMs: 100, startupTimeoutMs: 30_000 });
    // Before its first answer a sampler compiles its code: the first request waits longer than timeoutMs.
    expect(await sampler.request('late', { ms: 400 })).toBe('late');
    expect(await sampler.request('preamble')).toEqual(['namespace Evident { }']);
    await expect(sampler.request('late', { ms: 5000 })).rejects.toThrow('did not answer "late" within 100 ms');
  });

  it('close() ends the sampler, and later requests fail', async () => {
    const sampler = client();
    const pid = (await sampler.request('pid')) as number;
    sampler.close();
    await until(() => !alive(pid), 'the sampler to end');
    await expect(sampler.request('echo', { value: 1 })).rejects.toThrow('the Windows sampler was closed');
  });
});
