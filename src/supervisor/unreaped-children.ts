// Defunct children of running services: processes that have exited and wait for their
// parent, a process of a running service, to collect them (wait for them). Evident cannot
// end them (a defunct process is already dead) and never ends a running service's process
// because of them: each goes when its parent waits for it or exits. A service that forks
// helpers and never waits for them piles them up, so `status` and `zombies` show them.
// Pure over a process table.
import type { ProcessInfo } from '../platform/platform.ts';
import { commandLineText } from '../platform/command-line-text.ts';
import { descendantsOf } from './process-tree.ts';

export interface UnreapedChild {
  /** The running service whose process has yet to collect it. */
  service: string;
  pid: number;
  /** The parent that has to wait for it: the service's own process or one below it. */
  ppid: number;
  /** Its command line where the OS still reports one (Linux shows none for a defunct process). */
  command: string | null;
}

export interface RunningRoot {
  service: string;
  pid: number;
}

/** Every defunct process below a running service's own process, in table order per service. */
export function unreapedChildren(table: readonly ProcessInfo[], roots: readonly RunningRoot[]): UnreapedChild[] {
  const found: UnreapedChild[] = [];
  for (const root of roots) {
    for (const p of descendantsOf(root.pid, table)) {
      if (p.state !== 'Z') continue;
      found.push({ service: root.service, pid: p.pid, ppid: p.ppid, command: p.argv.length > 0 ? commandLineText(p.argv) : null });
    }
  }
  return found;
}

/** `reaped when api (pid 812) waits for it or exits`: what it takes for the child to go. */
export function reapedWhen(child: Pick<UnreapedChild, 'service' | 'ppid'>): string {
  return `reaped when ${child.service} (pid ${child.ppid}) waits for it or exits`;
}
