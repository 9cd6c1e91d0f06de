// Argument parsing with node:util's parseArgs, turned into usage errors that say what
// was wrong and point at --help.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../src/errors/exit-codes.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export const COMMON_OPTIONS = {
  contract: { type: 'string' },
  'state-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** For commands that act on the fleet: where their records go and who they are recorded as. */
export const ACTION_OPTIONS = {
  'artifacts-dir': { type: 'string' },
  actor: { type: 'string' },
  'idempotency-key': { type: 'string' },
} as const satisfies Options;

/**
 * The flags every command accepts, so one alias or script line serves them all
 * (`alias ev='npx evident --state-dir /srv/ev/state --artifacts-dir /srv/ev/artifacts'`);
 * a command that has no use for one (status writes no artifacts) ignores it.
 */
export const GLOBAL_OPTIONS = {
  contract: { type: 'string' },
  'state-dir': { type: 'string' },
  'artifacts-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O, allowPositionals: boolean) {
  try {
    return parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals, strict: true });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(`evident ${command}: ${message}\nrun \`evident ${command} --help\` for usage`);
  }
}
