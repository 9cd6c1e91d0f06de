// What a service's contract says evident does when it ends without being asked to:
// `restart`, as systemd's Restart=, RestartSec= and StartLimitBurst=/IntervalSec= in one
// object. No zod defaults (a contract that does not name it keeps its hash); the loader
// resolves an absent field to RESTART_NEVER and absent members to RESTART_DEFAULTS.
import { z } from 'zod';
import { expected, seconds, wholeNumber } from './schema-fields.ts';

export const RESTART_POLICIES = ['no', 'on-failure', 'always'] as const;

export type RestartPolicyName = (typeof RESTART_POLICIES)[number];

export const restartSchema = z
  .object({
    policy: z
      .enum(RESTART_POLICIES, { error: expected('expected "no", "on-failure" or "always"') })
      .describe('"on-failure": restart after a non-zero exit, a signal or an exit no one saw; "always": after any exit evident did not ask for; "no": never.'),
    delay_s: seconds(3600)
      .optional()
      .describe('The wait before the first restart, in seconds (default 1); it doubles with each restart in the window, up to max_delay_s.'),
    max_delay_s: seconds(3600)
      .optional()
      .describe('The longest wait between restarts, in seconds (default 30).'),
    limit: wholeNumber(1, 1000)
      .optional()
      .describe('At most this many restarts within window_s (default 5); one more crash and the service is left failed, saying so.'),
    window_s: seconds(86_400)
      .optional()
      .describe('The window the limit counts restarts in, in seconds (default 300).'),
  })
  .strict()
  .describe('What evident does when the service ends without being asked to (default: nothing, "no").');

export interface RestartPolicy {
  policy: RestartPolicyName;
  delay_s: number;
  max_delay_s: number;
  limit: number;
  window_s: number;
}

export const RESTART_DEFAULTS: Omit<RestartPolicy, 'policy'> = { delay_s: 1, max_delay_s: 30, limit: 5, window_s: 300 };

export function resolveRestart(spec: z.infer<typeof restartSchema> | undefined): RestartPolicy {
  return {
    policy: spec?.policy ?? 'no',
    delay_s: spec?.delay_s ?? RESTART_DEFAULTS.delay_s,
    max_delay_s: Math.max(spec?.max_delay_s ?? RESTART_DEFAULTS.max_delay_s, spec?.delay_s ?? RESTART_DEFAULTS.delay_s),
    limit: spec?.limit ?? RESTART_DEFAULTS.limit,
    window_s: spec?.window_s ?? RESTART_DEFAULTS.window_s,
  };
}
