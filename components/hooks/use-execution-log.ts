// The execution log's text, read when the log overlay opens (and again each time it
// reopens), never while it is closed.
import { useEffect, useState } from 'react';
import type { GateController } from '../../gates/desk/gate-controller.ts';
import { errorMessage } from '../format.ts';

export type ExecutionLogText = { state: 'closed' } | { state: 'reading' } | { state: 'read'; text: string } | { state: 'failed'; message: string };

export function useExecutionLog(gates: GateController, open: boolean): ExecutionLogText {
  const [log, setLog] = useState<ExecutionLogText>({ state: 'closed' });
  useEffect(() => {
    if (!open) {
      setLog({ state: 'closed' });
      return;
    }
    let current = true;
    setLog({ state: 'reading' });
    gates.executionLog().then(
      (text) => current && setLog({ state: 'read', text }),
      (error: unknown) => current && setLog({ state: 'failed', message: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
  }, [gates, open]);
  return log;
}
