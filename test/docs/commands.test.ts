// The runnable blocks of docs/commands.md, run line by line as a reader would type them,
// from a folder holding a copy of the demo fleet moved to other ports: each line must give
// the exit code it states and print what it says. A doc that drifts from the tool fails.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/run-cli.ts';
import { parseDocCommand, runnableLines } from '../helpers/runnable-docs.ts';
import { writeShiftedDemoContract } from '../helpers/shifted-demo-contract.ts';

const page = join(ROOT, 'docs/commands.md');
const lines = runnableLines(readFileSync(page, 'utf8'));

/** The environment a reader's shell has: none of the test run's EVIDENT_* or PYTHONHASHSEED. */
function readerEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: '1' };
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('EVIDENT_') && name !== 'PYTHONHASHSEED') env[name] = value;
  }
  return { ...env, ...extra };
}

describe('docs/commands.md: every runnable line does what it says', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evident-doc-commands-'));
  mkdirSync(join(dir, 'contracts'));
  const shifted = writeShiftedDemoContract(dir);
  copyFileSync(shifted.path, join(dir, 'contracts/boot-contract.json'));
  copyFileSync(join(ROOT, 'contracts/pipeline.phase3.json'), join(dir, 'contracts/pipeline.phase3.json'));
  const variables: Record<string, string> = {};

  const run = (args: string[], env: Record<string, string> = {}) =>
    execa(process.execPath, [BIN, ...args], { cwd: dir, env: readerEnv(env), extendEnv: false, reject: false, timeout: 120_000, stdin: 'ignore', all: true });

  afterAll(async () => {
    await run(['down']); // whatever a failed line left running
    rmSync(dir, { recursive: true, force: true });
  });

  it('the page has runnable lines', () => {
    expect(lines.length).toBeGreaterThanOrEqual(15);
  });

  for (const { line, text } of lines) {
    it(`line ${line}: ${text.replace(/\s+#.*$/, '')}`, async () => {
      const command = parseDocCommand(text, variables);
      const result = await run(command.args, command.env);
      const output = String(result.all);
      expect({ exit: result.exitCode, output }).toMatchObject({ exit: command.exit });
      if (command.prints) expect(output).toContain(command.prints);
      const named = [...output.matchAll(/evident verify (\S+?)\)?$/gm)].at(-1);
      if (named) variables.RUN = named[1]!;
    });
  }
});

describe('a runnable line', () => {
  it('is read with its environment, arguments, exit code and text', () => {
    expect(parseDocCommand(`PYTHONHASHSEED=0 npx evident verify "$RUN" --require-pass  # exit 1: not verified`, { RUN: '/tmp/a b' })).toEqual({
      env: { PYTHONHASHSEED: '0' },
      args: ['verify', '/tmp/a b', '--require-pass'],
      exit: 1,
      prints: 'not verified',
    });
    expect(parseDocCommand('npx evident gates # exit 3')).toEqual({ env: {}, args: ['gates'], exit: 3 });
  });

  it('is refused without an exit code, with a pipe, with another program, or with a variable nothing set', () => {
    expect(() => parseDocCommand('npx evident status')).toThrow(/# exit N/);
    expect(() => parseDocCommand('npx evident status # prints the table')).toThrow(/# exit N/);
    expect(() => parseDocCommand('npx evident status | tee x # exit 0')).toThrow(/one plain command/);
    expect(() => parseDocCommand('node bin/evident.js status # exit 0')).toThrow(/starts with `npx evident`/);
    expect(() => parseDocCommand('npx evident verify "$RUN" # exit 0')).toThrow(/\$RUN is not set/);
  });

  it('is found only in blocks marked runnable, with its line number', () => {
    const page = ['# Page', '', '```sh', 'npx evident up', '```', '', '```sh runnable', 'npx evident status # exit 0', '', 'npx evident gates # exit 1', '```'].join('\n');
    expect(runnableLines(page)).toEqual([
      { line: 8, text: 'npx evident status # exit 0' },
      { line: 10, text: 'npx evident gates # exit 1' },
    ]);
  });
});
