// openclaw's worker: a child process (fork) that runs the allowlisted tools. It lives only
// as long as its parent: when the IPC channel closes (parent stopped, crashed or was
// killed) it exits by itself, so stopping openclaw never leaves it behind.
import { logError, logInfo, setLogName } from './lib/log.ts';
import { shutdownSignals } from './lib/shutdown-signals.ts';
import type { ResultMessage, RunMessage, WorkerMessage } from './openclaw/protocol.ts';
import { TOOLS, ToolInputError, selfTest } from './openclaw/tools.ts';

setLogName('openclaw-worker');

if (process.send === undefined) {
  logError('openclaw-worker must be started by openclaw (fork with an IPC channel), not by hand');
  process.exit(2);
}

function post(message: WorkerMessage): void {
  if (process.connected) process.send?.(message);
}

process.on('disconnect', () => process.exit(0));
// The parent may have let go while this module was still loading, before the listener above.
if (!process.connected) process.exit(0);
// A stop signal sent to the whole group reaches us too: leave at once, there is nothing to save.
for (const signal of shutdownSignals()) process.on(signal, () => process.exit(0));

process.on('message', (raw: unknown) => {
  const message = raw as RunMessage;
  if (message?.type !== 'run') return;
  void run(message).then(post);
});

async function run(message: RunMessage): Promise<ResultMessage> {
  const started = performance.now();
  const ms = (): number => Math.round((performance.now() - started) * 10) / 10;
  const tool = Object.hasOwn(TOOLS, message.tool) ? TOOLS[message.tool] : undefined;
  if (tool === undefined) {
    return { type: 'result', id: message.id, ok: false, error: 'unknown_tool', message: `no tool named ${JSON.stringify(message.tool)}`, ms: ms() };
  }
  try {
    return { type: 'result', id: message.id, ok: true, output: await tool(message.input), ms: ms() };
  } catch (error) {
    const bad = error instanceof ToolInputError;
    if (!bad) logError(`tool ${message.tool} failed`, error);
    const text = error instanceof Error ? error.message : String(error);
    return { type: 'result', id: message.id, ok: false, error: bad ? 'bad_input' : 'tool_failed', message: text, ms: ms() };
  }
}

const started = performance.now();
await selfTest();
const selftestMs = Math.round(performance.now() - started);
logInfo(`ready (pid ${process.pid}, parent ${process.ppid}, self-test ${selftestMs} ms)`);
post({ type: 'ready', tools: Object.keys(TOOLS), selftest_ms: selftestMs });
