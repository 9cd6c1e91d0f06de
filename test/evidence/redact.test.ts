import { describe, expect, it } from 'vitest';
import { isSecretName, REDACTED, redactEnv, redactText, redactValue } from '../../src/evidence/redact.ts';

describe('isSecretName', () => {
  it.each(['DB_PASSWORD', 'apiKey', 'API_KEY', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'SESSION_COOKIE', 'PGPASSWORD', 'MYSQL_PWD', 'SENTRY_DSN', 'OPENAI_APIKEY', 'SSH_PRIVATE_KEY', 'client_secret', 'Authorization', 'npm_config__authToken'])(
    '%s looks secret',
    (name) => expect(isSecretName(name)).toBe(true),
  );
  it.each(['PATH', 'HOME', 'PWD', 'OLDPWD', 'NODE_ENV', 'PORT', 'PYTHONHASHSEED', 'idempotency_key', 'sort_key', 'KEYBOARD_LAYOUT', 'TZ', 'LANG'])('%s does not', (name) =>
    expect(isSecretName(name)).toBe(false),
  );
});

describe('redaction', () => {
  it('replaces the values of secret-looking variables and keeps the rest', () => {
    expect(redactEnv({ PATH: '/bin', DB_PASSWORD: 'hunter2', EMPTY: undefined })).toEqual({ PATH: '/bin', DB_PASSWORD: REDACTED });
  });

  it('masks NAME=value pairs, secret options, bearer tokens and URL passwords in text', () => {
    const line = 'starting with DB_PASSWORD=hunter2 PORT=7000 --api-key abc123 --port 80 Authorization: Bearer eyJ.x.y url=postgres://app:s3cret@db:5432/x';
    const out = redactText(line);
    for (const secret of ['hunter2', 'abc123', 'eyJ.x.y', 's3cret']) expect(out).not.toContain(secret);
    expect(out).toContain('PORT=7000');
    expect(out).toContain('--port 80');
    expect(out).toContain('postgres://app:');
  });

  it('walks a payload: secret keys replaced whole, strings masked, other values kept', () => {
    const payload = { env: { TOKEN: 'abc', PORT: '7000' }, command: 'node a.ts --password=pw1', count: 3, nested: [{ apiKey: 'k' }], idempotency_key: 'op-1' };
    expect(redactValue(payload)).toEqual({
      env: { TOKEN: REDACTED, PORT: '7000' },
      command: `node a.ts --password=${REDACTED}`,
      count: 3,
      nested: [{ apiKey: REDACTED }],
      idempotency_key: 'op-1',
    });
  });

  it('records a Date as its ISO text, as JSON would', () => {
    expect(redactValue({ at: new Date(0) })).toEqual({ at: '1970-01-01T00:00:00.000Z' });
  });
});
