// Every command accepts the flags docs/commands.md says every command takes, so one alias
// serves them all: none of them is an "Unknown option" anywhere.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

const COMMANDS = ['console', 'up', 'down', 'status', 'zombies', 'verify', 'contract', 'pipeline', 'state', 'preflight', 'gate', 'gates', 'watch', 'blocker', 'signoff', 'log', 'reload'];
const GLOBAL = ['--contract', 'c.json', '--state-dir', 's', '--artifacts-dir', 'a', '--json'];

describe('the global flags', () => {
  it('are accepted by every command', async () => {
    const top = await runCli(['--help']);
    for (const command of COMMANDS) expect(top.stdout, command).toMatch(new RegExp(`^  ${command} `, 'm'));
    for (const command of COMMANDS) {
      const result = await runCli([command, ...GLOBAL, '--help']);
      expect(result.stderr, command).not.toContain('Unknown option');
      expect(result.exitCode, `${command}: ${result.stderr}`).toBe(0);
      expect(result.stdout, command).toContain(`usage: evident ${command}`);
    }
  });

  it('still refuses a flag no command has', async () => {
    const result = await runCli(['status', '--artifact-dir', 'a']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Unknown option '--artifact-dir'");
  });
});
