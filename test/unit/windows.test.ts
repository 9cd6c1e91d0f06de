// Windows platform, checked from Linux: what it would execute and how it reads the
// sampler's rows (the sampler itself needs Windows).
import { describe, expect, it } from 'vitest';
import { RELOAD_REFUSAL, createWindowsPlatform, forceKillCommand, killProcessCommand, launchPayload, withDescendants } from '../../src/platform/windows.ts';
import { SAMPLER_PREAMBLE, SAMPLER_SCRIPT, samplerCommand } from '../../src/platform/windows-sampler-script.ts';
import { SAMPLER_CSHARP } from '../../src/platform/windows-sampler-csharp.ts';
import { SamplerUnavailable } from '../../src/platform/windows-sampler-client.ts';
import { processInfo } from './process-info.ts';
import { splitWindowsCommandLine } from '../../src/platform/windows-command-line.ts';
import { windowsTools } from '../../src/platform/windows-system-paths.ts';

describe('killProcessCommand', () => {
  it('is taskkill of one process, forced, never /T (which follows reused parent pids)', () => {
    expect(killProcessCommand(1234)).toEqual({ command: windowsTools().taskkill, args: ['/PID', '1234', '/F'] });
  });
});

describe('forceKillCommand', () => {
  it('is taskkill of the whole tree, forced', () => {
    expect(forceKillCommand(1234)).toEqual({ command: windowsTools().taskkill, args: ['/PID', '1234', '/T', '/F'] });
    expect(forceKillCommand(1234).command).toMatch(/^[A-Z]:\\.*\\System32\\taskkill\.exe$/);
  });
});

describe('samplerCommand', () => {
  const planned = samplerCommand();

  it('runs PowerShell without a profile and without prompts', () => {
    expect(planned.command).toBe(windowsTools().powershell);
    expect(planned.command).toMatch(/^[A-Z]:\\.*\\System32\\WindowsPowerShell\\v1\.0\\powershell\.exe$/);
    expect(planned.args).toContain('-NoProfile');
    expect(planned.args).toContain('-NonInteractive');
  });

  it('passes the script as -EncodedCommand: base64 of UTF-16LE that decodes back to the script', () => {
    const at = planned.args.indexOf('-EncodedCommand');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(at).toBe(planned.args.length - 2);
    const encoded = planned.args[at + 1] ?? '';
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const bytes = Buffer.from(encoded, 'base64');
    // UTF-16LE: ASCII characters are followed by a zero byte.
    expect(bytes[1]).toBe(0);
    expect(bytes.toString('utf16le')).toBe(SAMPLER_SCRIPT);
  });

  it('the loop reads its native code first, then answers every op of the protocol through it', () => {
    expect(SAMPLER_SCRIPT).toMatch(/Add-Type -TypeDefinition \(\$reader\.ReadLine\(\) \| ConvertFrom-Json\)/);
    for (const op of ['table', 'cmdlines', 'listeners', 'launch', 'job', 'terminate', 'break', 'watch']) expect(SAMPLER_SCRIPT).toContain(`'${op}' {`);
    // UTF-8 streams of its own (it has no console), and one failing request never ends the loop.
    expect(SAMPLER_SCRIPT).toContain('New-Object System.Text.UTF8Encoding $false');
    expect(SAMPLER_SCRIPT).not.toContain('[Console]::In');
    expect(SAMPLER_SCRIPT).toMatch(/catch \{[\s\S]*"ok":false/);
    // No WMI, no cmdlets that walk it.
    expect(SAMPLER_SCRIPT).not.toMatch(/CimInstance|Get-NetTCPConnection|Get-Process/);
    expect(JSON.parse(SAMPLER_PREAMBLE)).toBe(SAMPLER_CSHARP);
  });

  it('fits a Windows command line (at most 32767 characters): the native code travels on stdin', () => {
    expect([planned.command, ...planned.args].join(' ').length).toBeLessThan(32_767);
  });

  it('the native code calls the APIs the design names, with their documented constants', () => {
    for (const call of ['NtQuerySystemInformation', 'NtQueryInformationProcess', 'GetExtendedTcpTable', 'CreateProcessW', 'AssignProcessToJobObject', 'QueryInformationJobObject', 'TerminateJobObject', 'ResumeThread', 'RegisterWaitForSingleObject', 'AttachConsole', 'GenerateConsoleCtrlEvent']) {
      expect(SAMPLER_CSHARP).toContain(call);
    }
    expect(SAMPLER_CSHARP).toContain('SystemProcessInformation = 5');
    expect(SAMPLER_CSHARP).toContain('ProcessCommandLineInformation = 60');
    expect(SAMPLER_CSHARP).toContain('TCP_TABLE_OWNER_PID_LISTENER = 3');
    expect(SAMPLER_CSHARP).toContain('CREATE_SUSPENDED = 0x4, CREATE_NEW_PROCESS_GROUP = 0x200');
    expect(SAMPLER_CSHARP).toContain('CREATE_BREAKAWAY_FROM_JOB = 0x01000000, CREATE_NO_WINDOW = 0x08000000');
    expect(SAMPLER_CSHARP).toContain('PROC_THREAD_ATTRIBUTE_HANDLE_LIST = new IntPtr(0x20002)');
    expect(SAMPLER_CSHARP).toContain('CTRL_BREAK_EVENT = 1');
    // Never DETACHED_PROCESS for a service: it would have no console for CTRL_BREAK to reach.
    expect(SAMPLER_CSHARP).not.toContain('DETACHED_PROCESS');
    // Jobs keep their default limits: no breakaway for members, not killed when the sampler closes.
    expect(SAMPLER_CSHARP).not.toContain('SetInformationJobObject');
  });
});

describe('splitWindowsCommandLine (CommandLineToArgvW rules)', () => {
  it('splits on spaces and tabs, collapsing runs of them', () => {
    expect(splitWindowsCommandLine('node.exe  server.js\t--port\t \t7000 ')).toEqual(['node.exe', 'server.js', '--port', '7000']);
    expect(splitWindowsCommandLine('')).toEqual([]);
    expect(splitWindowsCommandLine('   ')).toEqual([]);
  });

  it('groups a quoted string, spaces and tabs included, and drops the quotes', () => {
    expect(splitWindowsCommandLine('"C:\\Program Files\\nodejs\\node.exe" "my app.js" "a\tb"')).toEqual([
      'C:\\Program Files\\nodejs\\node.exe',
      'my app.js',
      'a\tb',
    ]);
    expect(splitWindowsCommandLine('"abc" d e')).toEqual(['abc', 'd', 'e']);
  });

  it('joins a quoted part embedded in an argument', () => {
    expect(splitWindowsCommandLine('a\\\\b d"e f"g h')).toEqual(['a\\\\b', 'de fg', 'h']);
    expect(splitWindowsCommandLine('--name="hello world"')).toEqual(['--name=hello world']);
  });

  it('reads \\" as a literal quote', () => {
    expect(splitWindowsCommandLine('"hello\\"there"')).toEqual(['hello"there']);
    expect(splitWindowsCommandLine('a\\"b c')).toEqual(['a"b', 'c']);
  });

  it('reads \\\\\\" (odd backslashes) as a backslash per pair plus a literal quote', () => {
    expect(splitWindowsCommandLine('a\\\\\\"b c d')).toEqual(['a\\"b', 'c', 'd']);
  });

  it('reads \\\\" (even backslashes) as a backslash per pair plus a quote that groups', () => {
    expect(splitWindowsCommandLine('a\\\\\\\\"b c" d e')).toEqual(['a\\\\b c', 'd', 'e']);
    expect(splitWindowsCommandLine('"C:\\dir\\\\" next')).toEqual(['C:\\dir\\', 'next']);
  });

  it('keeps backslashes that are not before a quote, trailing ones included', () => {
    expect(splitWindowsCommandLine('C:\\dir\\ D:\\x\\\\')).toEqual(['C:\\dir\\', 'D:\\x\\\\']);
    expect(splitWindowsCommandLine('\\\\server\\share\\file.txt')).toEqual(['\\\\server\\share\\file.txt']);
  });

  it('keeps an empty quoted argument', () => {
    expect(splitWindowsCommandLine('app.exe "" b')).toEqual(['app.exe', '', 'b']);
    expect(splitWindowsCommandLine('app.exe ""')).toEqual(['app.exe', '']);
  });

  it('ends an unterminated quote at the end of the line', () => {
    expect(splitWindowsCommandLine('app.exe "open ended')).toEqual(['app.exe', 'open ended']);
  });
});

describe('launchPayload', () => {
  it('sends the job, the resolved program, one command line, the folder, the environment and the log', () => {
    const payload = launchPayload(
      {
        command: 'node',
        args: ['server.js', '--name', 'my app'],
        cwd: 'C:\\fleet',
        env: { PATH: 'C:\\nodejs', EVIDENT_FLEET: '3f0a', UNSET: undefined },
        output: { fd: 3, logPath: 'C:\\state\\logs\\web.log' },
        container: 'Local\\evident-3f0a-web',
      },
      'C:\\nodejs\\node.exe',
    );
    expect(payload).toEqual({
      job: 'Local\\evident-3f0a-web',
      application: 'C:\\nodejs\\node.exe',
      commandLine: 'node server.js --name "my app"',
      cwd: 'C:\\fleet',
      env: { PATH: 'C:\\nodejs', EVIDENT_FLEET: '3f0a' },
      log: 'C:\\state\\logs\\web.log',
    });
  });

  it('refuses to start a service with no job to put it in', () => {
    expect(() => launchPayload({ command: 'node', args: [], cwd: 'C:\\', env: {}, output: { fd: 3, logPath: 'x.log' }, container: null }, 'C:\\node.exe')).toThrow(/no job object/);
  });
});

describe('withDescendants', () => {
  it('follows children created after their parent, and not an older process on a reused parent pid', () => {
    const table = [
      processInfo(500, 1, { startedAtMs: 2000 }),
      processInfo(501, 500, { startedAtMs: 1000 }),
      processInfo(502, 500, { startedAtMs: 2500 }),
      processInfo(503, 502, { startedAtMs: 2600 }),
    ];
    expect(withDescendants(table, [500]).map((p) => p.pid)).toEqual([500, 502, 503]);
    expect(withDescendants(table, [999])).toEqual([]);
  });
});

describe('a sampler that cannot run (here: no powershell.exe)', () => {
  it('makes every question fail, saying why, never answer empty', async () => {
    const platform = createWindowsPlatform();
    try {
      await expect(platform.listProcesses()).rejects.toThrow(SamplerUnavailable);
      await expect(platform.listeners([7000])).rejects.toThrow(/the Windows sampler/);
      await expect(platform.cgroups.members('Local\\evident-3f0a-web')).rejects.toThrow(/the Windows sampler/);
    } finally {
      platform.close();
    }
  });

  it('records a stop request it could not send, so the stop does not wait for it', async () => {
    const platform = createWindowsPlatform();
    try {
      const delivery = await platform.requestStop(processInfo(4120, 1, { pgid: null, sid: null }), []);
      expect(delivery.group).toBeNull();
      expect(delivery.undelivered).toHaveLength(1);
      expect(delivery.undelivered[0]?.reason).toMatch(/^CTRL_BREAK could not be sent to pid 4120: the Windows sampler/);
    } finally {
      platform.close();
    }
  });

  it('fails a start with the reason, as a LaunchError', async () => {
    const platform = createWindowsPlatform();
    try {
      const request = { command: process.execPath, args: [], cwd: process.cwd(), env: process.env, output: { fd: 1, logPath: '/dev/null' }, container: 'Local\\evident-3f0a-web' };
      await expect(platform.launchService(request)).rejects.toThrow(/the Windows sampler/);
      await expect(platform.launchService({ ...request, command: '/nonexistent/app.exe' })).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      platform.close();
    }
  });
});

describe('signals on Windows', () => {
  it('refuses a reload, saying why, and sends nothing', async () => {
    const platform = createWindowsPlatform();
    expect(platform.reloadRefusal).toBe(RELOAD_REFUSAL);
    expect(RELOAD_REFUSAL).toMatch(/Windows has no SIGHUP/);
    await expect(platform.sendSignal(processInfo(4242, 1, { pgid: null, sid: null }), 'SIGHUP')).rejects.toThrow(/restart it instead/);
    platform.close();
  });
});
