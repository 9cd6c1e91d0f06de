// The Windows sampler: one powershell.exe, started once, that answers every question
// evident asks of Windows over stdin/stdout (the protocol: windows-sampler-client.ts).
// Its script is a small loop; the work is done by native code (windows-sampler-csharp.ts)
// it reads as its first line of input and compiles once with Add-Type — the command line
// holds only the loop (-EncodedCommand: base64 of UTF-16LE, and a command line is at most
// 32767 characters), and nothing is written to disk for another process to replace.
// Input and output are UTF-8 streams of their own: the sampler has no console (it is
// started detached), so Console.InputEncoding cannot be set and is not relied on.
import type { PlannedCommand } from './platform.ts';
import { SAMPLER_CSHARP } from './windows-sampler-csharp.ts';
import { windowsTools } from './windows-system-paths.ts';

export const SAMPLER_SCRIPT = String.raw`
$ErrorActionPreference = 'Stop'
$utf8 = New-Object System.Text.UTF8Encoding $false
$reader = New-Object System.IO.StreamReader([Console]::OpenStandardInput(), $utf8)
# The first line is the native code, one JSON string: compiled once, before any request.
Add-Type -TypeDefinition ($reader.ReadLine() | ConvertFrom-Json) -Language CSharp
while ($true) {
  $line = $reader.ReadLine()
  if ($null -eq $line) { break }
  $id = 0
  try {
    $req = $line | ConvertFrom-Json
    $id = [long]$req.id
    $data = switch ($req.op) {
      'table' { [Evident.Native]::Table() }
      'cmdlines' { [Evident.Native]::CommandLines([int[]]@($req.pids)) }
      'listeners' { [Evident.Native]::Listeners([int[]]@($req.ports)) }
      'launch' {
        $environment = [string[]]@($req.env.PSObject.Properties | ForEach-Object { $_.Name + '=' + $_.Value })
        [Evident.Native]::Launch([string]$req.job, [string]$req.application, [string]$req.commandLine, [string]$req.cwd, $environment, [string]$req.log)
      }
      'job' { [Evident.Native]::JobMembers([string]$req.job) }
      'terminate' { [Evident.Native]::Terminate([string]$req.job) }
      'break' { [Evident.Native]::Break([int]$req.pid) }
      'watch' { [Evident.Native]::Watch([int]$req.pid, [string]$req.created) }
      default { throw "unknown request $($req.op)" }
    }
    [Evident.Native]::Send('{"id":' + $id + ',"ok":true,"data":' + $data + '}')
  } catch {
    $e = $_.Exception
    while ($null -ne $e.InnerException) { $e = $e.InnerException }
    [Evident.Native]::Send('{"id":' + $id + ',"ok":false,"error":' + [Evident.Native]::Quote($e.Message) + '}')
  }
}
`;

/** What the client writes first: the native code as one JSON line. */
export const SAMPLER_PREAMBLE = JSON.stringify(SAMPLER_CSHARP);

/** PowerShell by its absolute path, without profile or prompts, the loop in -EncodedCommand. */
export function samplerCommand(): PlannedCommand {
  const encoded = Buffer.from(SAMPLER_SCRIPT, 'utf16le').toString('base64');
  return {
    command: windowsTools().powershell,
    args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encoded],
  };
}
