// The fixed allowlist of tools openclaw's worker runs, each plain JavaScript over its
// input. Nothing here reaches a shell, the network or the file system.
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

export const SLEEP_CAP_MS = 2000;

export class ToolInputError extends Error {}

type Tool = (input: unknown) => unknown;

export const TOOLS: Readonly<Record<string, Tool>> = {
  sha256: (input) => ({ sha256: createHash('sha256').update(text(input)).digest('hex') }),
  word_count: (input) => {
    const value = text(input);
    return {
      words: value.split(/\s+/).filter((w) => w !== '').length,
      lines: value === '' ? 0 : value.split('\n').length,
      chars: [...value].length,
    };
  },
  sort_lines: (input) => ({ text: text(input).split('\n').sort((a, b) => a.localeCompare(b)).join('\n') }),
  sleep: async (input) => {
    const asked = typeof input === 'string' && /^\d+$/.test(input.trim()) ? Number(input) : input;
    if (typeof asked !== 'number' || !Number.isFinite(asked) || asked < 0) {
      throw new ToolInputError(`input: expected a number of milliseconds ≥ 0, got ${JSON.stringify(input)}`);
    }
    const ms = Math.min(Math.round(asked), SLEEP_CAP_MS);
    const started = performance.now();
    await delay(ms);
    return { asked_ms: asked, slept_ms: Math.round(performance.now() - started), capped: asked > SLEEP_CAP_MS };
  },
};

function text(input: unknown): string {
  if (typeof input !== 'string') throw new ToolInputError(`input: expected a string, got ${input === undefined ? 'nothing' : typeof input}`);
  if (input.length > 100_000) throw new ToolInputError(`input: expected at most 100000 characters, got ${input.length}`);
  return input;
}

/** Known answers every tool must give before the worker says it is ready. */
export async function selfTest(): Promise<void> {
  const expect = async (tool: string, input: unknown, want: unknown): Promise<void> => {
    const got = await TOOLS[tool]?.(input);
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      throw new Error(`self-test: ${tool}(${JSON.stringify(input)}) gave ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    }
  };
  await expect('sha256', 'abc', { sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' });
  await expect('word_count', 'one two\nthree', { words: 3, lines: 2, chars: 13 });
  await expect('sort_lines', 'pear\napple\nfig', { text: 'apple\nfig\npear' });
  const slept = (await TOOLS['sleep']?.(5)) as { slept_ms: number } | undefined;
  if (slept === undefined || slept.slept_ms < 4) throw new Error(`self-test: sleep(5) slept ${slept?.slept_ms ?? '?'} ms`);
}
