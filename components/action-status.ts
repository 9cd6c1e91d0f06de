// The footer's status line: what the last operator action is doing or how it ended.
// Controller calls run concurrently; an error stays on screen until a newer action
// starts, and a success only replaces the status of its own action.

export type ActionStatus =
  | { kind: 'idle' }
  | { kind: 'pending'; id: number; label: string }
  | { kind: 'done'; id: number; label: string }
  | { kind: 'failed'; id: number; label: string; message: string }
  | { kind: 'notice'; message: string };

export type ActionStatusEvent =
  | { type: 'begin'; id: number; label: string }
  | { type: 'succeed'; id: number; label: string }
  | { type: 'fail'; id: number; label: string; message: string }
  | { type: 'notice'; message: string };

export const IDLE: ActionStatus = { kind: 'idle' };

export function actionStatusReducer(status: ActionStatus, event: ActionStatusEvent): ActionStatus {
  switch (event.type) {
    case 'begin':
      return { kind: 'pending', id: event.id, label: event.label };
    case 'succeed':
      // Only the action on screen may say it is done; an older success must not hide a newer action or error.
      return status.kind === 'pending' && status.id === event.id ? { kind: 'done', id: event.id, label: event.label } : status;
    case 'fail':
      return { kind: 'failed', id: event.id, label: event.label, message: event.message };
    case 'notice':
      return { kind: 'notice', message: event.message };
    default: {
      const unknown: never = event;
      throw new Error(`unknown status event: ${JSON.stringify(unknown)}`);
    }
  }
}

/** The status as one line of text; empty when idle. */
export function describeStatus(status: ActionStatus): string {
  switch (status.kind) {
    case 'idle':
      return '';
    case 'pending':
      return `${status.label}…`;
    case 'done':
      return `${status.label}: done`;
    case 'failed':
      return `${status.label} failed: ${status.message}`;
    case 'notice':
      return status.message;
    default: {
      const unknown: never = status;
      throw new Error(`unknown status: ${JSON.stringify(unknown)}`);
    }
  }
}
