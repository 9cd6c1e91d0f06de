// Who an operator action is recorded as: `--actor NAME` when given, else the OS user.
import { userInfo } from 'node:os';

export function currentActor(flag: string | undefined, env = process.env): string {
  if (flag !== undefined && flag.trim() !== '') return flag.trim();
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (a container's arbitrary uid): fall back to what the shell says.
    return env.USER ?? env.USERNAME ?? `uid ${process.getuid?.() ?? '?'}`;
  }
}
