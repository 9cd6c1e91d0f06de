// The messages openclaw and its worker exchange over the fork() IPC channel.

export interface RunMessage {
  type: 'run';
  id: number;
  tool: string;
  input: unknown;
}

export interface ReadyMessage {
  type: 'ready';
  tools: string[];
  selftest_ms: number;
}

export type ResultMessage =
  | { type: 'result'; id: number; ok: true; output: unknown; ms: number }
  | { type: 'result'; id: number; ok: false; error: 'unknown_tool' | 'bad_input' | 'tool_failed'; message: string; ms: number };

export type WorkerMessage = ReadyMessage | ResultMessage;
