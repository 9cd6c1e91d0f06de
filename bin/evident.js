#!/usr/bin/env node
// The `evident` command. Plain JavaScript that any Node can parse: evident needs
// Node >= 22, and a machine that only has an older Node still runs it on the runtime
// pinned in this package's own node_modules (the `node` package from npm).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MIN_MAJOR = 22;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);

if (major >= MIN_MAJOR) {
  const entry = join(root, 'dist', 'cli', 'main.js');
  if (!existsSync(entry)) {
    process.stderr.write(`evident is not built: run \`npm ci\` (or \`npm run build\`) in ${root}\n`);
    process.exit(2);
  }
  // V8's compiled code for evident and its dependencies, kept on disk between runs:
  // every command starts ~20-40 % faster after the first (Node >= 22.1).
  module.enableCompileCache?.();
  await import(pathToFileURL(entry).href);
} else {
  const pinned = join(root, 'node_modules', 'node', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(pinned)) {
    process.stderr.write(
      `evident needs Node >= ${MIN_MAJOR} (this is ${process.version}); run \`npm ci\` in ${root} to install the pinned runtime\n`,
    );
    process.exit(2);
  }
  // Put the pinned runtime first on PATH so services declared as `node` run on it too.
  const pathKey = Object.keys(process.env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  const binDir = join(root, 'node_modules', '.bin');
  const env = { ...process.env, [pathKey]: [binDir, process.env[pathKey] ?? ''].join(process.platform === 'win32' ? ';' : ':') };
  const child = spawn(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env });
  // The child owns the terminal: a Ctrl-C reaches it directly (same process group), so
  // this wrapper ignores SIGINT and only passes on signals sent to it by name.
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', () => {});
  process.on('SIGTERM', forward);
  process.on('SIGHUP', forward);
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    process.exit(code ?? 1);
  });
}
