// Field types shared by the declarations (boot contract, pipelines), with messages that
// quote back what the operator wrote.
import { z } from 'zod';
import { describeValue } from './describe-value.ts';

/**
 * An error message that quotes back what the operator wrote. A missing field returns
 * undefined so the generic map in schema-problems.ts says "required" instead.
 */
export function expected(what: string) {
  return (issue: { readonly input?: unknown }) =>
    issue.input === undefined ? undefined : `${what}, got ${describeValue(issue.input)}`;
}

export function wholeNumber(min: number, max: number) {
  const inRange = expected(`expected a number ${min}–${max}`);
  return z
    .number({ error: inRange })
    .int({ error: expected(`expected a whole number ${min}–${max}`) })
    .min(min, { error: inRange })
    .max(max, { error: inRange });
}

export function seconds(max: number) {
  const inRange = expected(`expected a number of seconds above 0 and at most ${max}`);
  return z.number({ error: inRange }).positive({ error: inRange }).max(max, { error: inRange });
}

export const semanticVersion = z.string().regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/, {
  error: expected('expected a semantic version such as 1.0.0'),
});
