// The evident command line: dispatches to one command module. Headless commands never
// load Ink or React; only `console` on a terminal does, lazily.
import { evidentVersion } from './evident-version.ts';
import { EXIT, UsageError } from '../src/errors/exit-codes.ts';

const COMMANDS: Record<string, { summary: string; load: () => Promise<(argv: string[]) => Promise<number>> }> = {
  console: { summary: 'the live console: fleet table, process trees, logs, keys', load: async () => (await import('./commands/console.ts')).consoleCommand },
  up: { summary: 'start the fleet and wait until every service is healthy', load: async () => (await import('./commands/up.ts')).upCommand },
  down: { summary: 'stop the fleet, whole process trees, then check for leftovers', load: async () => (await import('./commands/down.ts')).downCommand },
  reload: { summary: "send one service its contract's reload_signal (nginx: SIGHUP), once", load: async () => (await import('./commands/reload.ts')).reloadCommand },
  supervise: { summary: '(started by up and the console) keeps the fleet supervised in the background', load: async () => (await import('./commands/supervise.ts')).superviseCommand },
  status: { summary: 'one reading of every service (pid, state, health, CPU, RSS)', load: async () => (await import('./commands/status.ts')).statusCommand },
  verify: { summary: 'check a run folder: hashes, signature, journal chain, recomputed verdict', load: async () => (await import('./commands/verify.ts')).verifyCommand },
  contract: { summary: 'check the contract against its locked version, or approve a new one', load: async () => (await import('./commands/contract.ts')).contractCommand },
  pipeline: { summary: 'check the pipeline against its locked version, or approve a new one', load: async () => (await import('./commands/pipeline.ts')).pipelineCommand },
  state: { summary: 'show the state view, or rebuild it from the journals', load: async () => (await import('./commands/state.ts')).stateCommand },
  preflight: { summary: 'check the prerequisites (the pipeline\'s first gate) and record them', load: async () => (argv) => import('./commands/gate.ts').then((m) => m.gateCommand(['preflight', ...argv], 'preflight')) },
  gate: { summary: 'run one gate of the pipeline (or --detach it, or --abort it)', load: async () => (await import('./commands/gate.ts')).gateCommand },
  'gate-guard': { summary: '(started by gate runners) closes a run whose runner died, stopping the fleet', load: async () => (await import('./commands/gate-guard.ts')).gateGuardCommand },
  gates: { summary: 'every gate of the pipeline and its state', load: async () => (await import('./commands/gates.ts')).gatesCommand },
  watch: { summary: "follow a Gate 2 soak run: the on-call view, or a line a minute with --plain", load: async () => (await import('./commands/watch.ts')).watchCommand },
  blocker: { summary: 'document why a gate failed (root cause, fix), so it may run again', load: async () => (await import('./commands/blocker.ts')).blockerCommand },
  log: { summary: 'the execution log: gate status table and every run, failure, blocker and fix', load: async () => (await import('./commands/log.ts')).logCommand },
  signoff: { summary: 'sign off a gate\'s passing run: you reviewed its evidence and accept it', load: async () => (await import('./commands/signoff.ts')).signoffCommand },
  zombies: { summary: 'find (and --reap) processes and listeners left behind', load: async () => (await import('./commands/zombies.ts')).zombiesCommand },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: evident <command> [options]

evident supervises a fleet of local services declared in a boot contract and shows them
live; every command takes --help.

commands:
${lines.join('\n')}

Without a command, evident opens the console.

global: --version, --help
environment: EVIDENT_CONTRACT, EVIDENT_PIPELINE (default contract and pipeline paths),
             EVIDENT_STATE_DIR, EVIDENT_ARTIFACTS_DIR, NO_COLOR
exit codes: 0 ok, 1 a check failed, 2 usage or input error, 3 blocked`;
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    console.log(usage());
    return EXIT.ok;
  }
  if (first === '--version' || first === '-v') {
    console.log(evidentVersion());
    return EXIT.ok;
  }
  const name = first === undefined || first.startsWith('-') ? 'console' : first;
  const args = name === first ? rest : argv;
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`evident: unknown command "${name}"\n\n${usage()}`);
  return (await command.load())(args);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exitCode = error.exitCode;
  } else {
    console.error(`evident: internal error: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = EXIT.checkFailed;
  }
}
