// The contract's own secrets masked by value: which env entries count, and the masking.
import { describe, expect, it } from 'vitest';
import { maskKnownValues, secretValuesOf } from '../../src/redaction/known-values.ts';
import { REDACTED } from '../../src/redaction/redact.ts';

describe('secretValuesOf', () => {
  it('takes the values of secret names only, of 4 characters or more, longest first, once each', () => {
    const values = secretValuesOf({ DB_PASSWORD: 'hunter2', API_TOKEN: 'hunter2-long', PORT: '7000', LOG_LEVEL: 'debug', GH_PAT: 'abc', SECRET_COPY: 'hunter2' });
    expect(values).toEqual(['hunter2-long', 'hunter2']);
  });
});

describe('maskKnownValues', () => {
  it('replaces every occurrence, a value holding another masked whole', () => {
    const values = secretValuesOf({ DB_PASSWORD: 'hunter2', API_TOKEN: 'hunter2-long' });
    expect(maskKnownValues('as hunter2-long then hunter2, hunter2.', values)).toBe(`as ${REDACTED} then ${REDACTED}, ${REDACTED}.`);
    expect(maskKnownValues('nothing here', values)).toBe('nothing here');
  });
});
