// The Windows sampler's native code, checked as far as a Linux machine can: it compiles
// as C# 5 (what Windows PowerShell 5.1's Add-Type compiles), and the structures it reads
// from Windows have the x64 layout the Win32 and NT headers give (offsets in the comments
// are those of the documented structures). Needs mono's mcs and mono (.ci/install-csharp
// installs them in CI); skipped, saying so, where they are missing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLER_CSHARP } from '../../src/platform/windows-sampler-csharp.ts';

const has = (program: string) => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
const missing = ['mcs', 'mono'].filter((program) => !has(program));
const dir = mkdtempSync(join(tmpdir(), 'evident-csharp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROBE = String.raw`
using System; using System.Reflection; using System.Runtime.InteropServices;
public static class Probe {
  public static void Main() {
    foreach (var name in new[] { "SYSTEM_PROCESS_INFORMATION", "STARTUPINFO", "STARTUPINFOEX", "PROCESS_INFORMATION", "SECURITY_ATTRIBUTES" }) {
      var t = typeof(Evident.Native).GetNestedType(name, BindingFlags.NonPublic);
      Console.Write(name + " size=" + Marshal.SizeOf(t));
      foreach (var f in t.GetFields()) Console.Write(" " + f.Name + "=" + Marshal.OffsetOf(t, f.Name));
      Console.WriteLine();
    }
    // Through the sampler's own writer: UTF-8 whatever the locale (CI runs with none).
    Console.Out.Flush();
    Evident.Native.Send(Evident.Native.Quote("a\"b\\c\nd\u0001 Zoë 日本"));
  }
}`;

function compile(out: string, sources: string[], extra: string[] = []) {
  return spawnSync('mcs', ['-langversion:5', '-warnaserror+', '-nowarn:414,169,649', `-out:${out}`, ...extra, ...sources], { encoding: 'utf8' });
}

describe.skipIf(missing.length > 0)(`the sampler's C#${missing.length > 0 ? ` (skipped: ${missing.join(' and ')} not installed)` : ''}`, () => {
  const source = join(dir, 'sampler.cs');
  writeFileSync(source, SAMPLER_CSHARP);

  it('compiles as C# 5, warnings as errors', () => {
    const result = compile(join(dir, 'sampler.dll'), [source], ['-target:library']);
    expect(result.stdout + result.stderr).not.toMatch(/error/);
    expect(result.status).toBe(0);
  });

  it('reads Windows structures at their documented x64 offsets, and writes JSON strings', () => {
    const probe = join(dir, 'probe.cs');
    writeFileSync(probe, PROBE);
    const built = compile(join(dir, 'probe.exe'), [probe, source]);
    expect(built.status, built.stdout + built.stderr).toBe(0);
    // No locale, as in CI: Console would write ASCII; the sampler's writer must not.
    const run = spawnSync('mono', [join(dir, 'probe.exe')], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(run.status, run.stderr).toBe(0);
    const [processInfo, startup, startupEx, processInformation, security, quoted] = run.stdout.trim().split('\n');
    // SYSTEM_PROCESS_INFORMATION (winternl.h / ntexapi.h): CreateTime 0x20, UserTime 0x28,
    // KernelTime 0x30, UniqueProcessId 0x50, InheritedFromUniqueProcessId 0x58, WorkingSetSize 0x90.
    expect(processInfo).toContain('CreateTime=32 UserTime=40 KernelTime=48');
    expect(processInfo).toContain('UniqueProcessId=80 InheritedFromUniqueProcessId=88');
    expect(processInfo).toContain('WorkingSetSize=144');
    // STARTUPINFOW is 104 bytes on x64, STARTUPINFOEXW 112; PROCESS_INFORMATION 24; SECURITY_ATTRIBUTES 24.
    expect(startup).toMatch(/^STARTUPINFO size=104 .* dwFlags=60 .* hStdInput=80 hStdOutput=88 hStdError=96$/);
    expect(startupEx).toBe('STARTUPINFOEX size=112 StartupInfo=0 lpAttributeList=104');
    expect(processInformation).toBe('PROCESS_INFORMATION size=24 hProcess=0 hThread=8 dwProcessId=16 dwThreadId=20');
    expect(security).toBe('SECURITY_ATTRIBUTES size=24 nLength=0 lpSecurityDescriptor=8 bInheritHandle=16');
    expect(JSON.parse(quoted ?? '')).toBe('a"b\\c\nd\u0001 Zoë 日本');
  });
});
