// A soak run followed from its folder while the soak view is open: the follower is loaded
// on first use (a console that never opens the view does not carry it), polled every ~2 s — at once again while it catches up
// on a late attach — and stopped when the view closes or unmounts. The follower itself is
// kept for its folder, so reopening the view does not re-read two days of minutes.
import { useEffect, useRef, useState } from 'react';
import type { SoakRunFollower, SoakRunSnapshot } from '../../gates/soak/soak-run-follower.ts';

export interface SoakRunReading {
  /** Null until the follower has read the folder once. */
  snapshot: SoakRunSnapshot | null;
  /** When it was read: elapsed and remaining times count to it. */
  now: number;
}

export const SOAK_POLL_MS = 2000;
/** Between two batches of minute files while catching up: enough for a frame and the keys. */
const CATCH_UP_MS = 30;

let followerModule: Promise<typeof import('../../gates/soak/soak-run-follower.ts')> | null = null;

export function useSoakRun(dir: string | null, active: boolean, everyMs = SOAK_POLL_MS): SoakRunReading {
  const follower = useRef<SoakRunFollower | null>(null);
  const [reading, setReading] = useState<SoakRunReading>({ snapshot: null, now: Date.now() });

  useEffect(() => {
    if (dir === null || !active) return;
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    const tick = (current: SoakRunFollower): void => {
      if (stopped) return;
      current.poll();
      setReading({ snapshot: current.snapshot, now: Date.now() });
      timer = setTimeout(() => tick(current), current.snapshot.behind ? CATCH_UP_MS : everyMs);
    };
    if (follower.current?.dir !== dir) {
      follower.current = null;
      setReading({ snapshot: null, now: Date.now() });
    }
    followerModule ??= import('../../gates/soak/soak-run-follower.ts');
    followerModule.then(
      ({ SoakRunFollower }) => {
        if (stopped) return;
        follower.current ??= new SoakRunFollower(dir);
        tick(follower.current);
      },
      (error: unknown) => {
        followerModule = null;
        if (!stopped) setReading({ snapshot: failed(dir, error), now: Date.now() });
      },
    );
    return () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
    };
  }, [dir, active, everyMs]);

  // A reading of another folder (the run changed while the view was closed) is not shown.
  return reading.snapshot === null || reading.snapshot.dir === dir ? reading : { snapshot: null, now: reading.now };
}

function failed(dir: string, error: unknown): SoakRunSnapshot {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return { dir, error: `the soak view could not be loaded: ${message}`, problem: null, run: null, points: [], criteria: [], firstBreach: null, missing: [], behind: false, end: null, version: 0 };
}
