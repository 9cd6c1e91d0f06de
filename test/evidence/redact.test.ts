// Redaction: which names are secret and which are identity, the text rules, and payloads.
import { describe, expect, it } from 'vitest';
import { REDACTED, redactEnv, redactText, redactValue } from '../../src/evidence/redact.ts';
import { isIdentityName, isSecretName } from '../../src/evidence/secret-names.ts';

describe('isSecretName', () => {
  it.each(['DB_PASSWORD', 'apiKey', 'API_KEY', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'SESSION_COOKIE', 'PGPASSWORD', 'MYSQL_PWD', 'SENTRY_DSN', 'OPENAI_APIKEY', 'SSH_PRIVATE_KEY', 'client_secret', 'Authorization', 'npm_config__authToken'])(
    '%s looks secret (as before)',
    (name) => expect(isSecretName(name)).toBe(true),
  );
  it.each(['PATH', 'HOME', 'PWD', 'OLDPWD', 'NODE_ENV', 'PORT', 'PYTHONHASHSEED', 'idempotency_key', 'sort_key', 'KEYBOARD_LAYOUT', 'TZ', 'LANG', 'key_id'])('%s does not (as before)', (name) =>
    expect(isSecretName(name)).toBe(false),
  );

  it.each(['GITHUB_TOKEN', 'ACCESS_TOKEN', 'auth_token', 'npm_config__authToken', 'NODE_AUTH_TOKEN', 'TOKEN', 'refreshToken', 'API_TOKENS', 'ACCESSTOKEN'])('%s ends in a token word: secret', (name) =>
    expect(isSecretName(name)).toBe(true),
  );
  it.each(['start_token', 'startToken', 'START_TOKEN', 'process_start_token', 'next_page_token', 'max_tokens', 'token_count', 'tokens_used'])('%s counts or identifies: not secret', (name) =>
    expect(isSecretName(name)).toBe(false),
  );

  it.each(['OPENAI_KEY', 'STRIPE_KEY', 'MY_SERVICE_KEY', 'openaiKey', 'OpenAIKey', 'key', 'API_KEYS', 'SIGNING_KEY', 'x-api-key'])('%s ends in key: secret', (name) =>
    expect(isSecretName(name)).toBe(true),
  );
  it.each(['idempotency_key', 'idempotencyKey', 'sort_key', 'primary_key', 'foreign_key', 'partition_key', 'cache_key', 'cacheKey', 'lookup_key', 'routing_key', 'shard_key', 'public_key', 'SSH_PUBLIC_KEY', 'object_key', 'group_key', 'dedup_key', 'hotkey', 'hot_key', 'key_id', 'KEYBOARD_LAYOUT', 'keyboard'])(
    '%s is a harmless key: not secret',
    (name) => expect(isSecretName(name)).toBe(false),
  );

  it.each(['GH_PAT', 'GITLAB_PAT', 'SLACK_WEBHOOK_URL', 'DISCORD_WEBHOOK', 'webhookUrl', 'TEAMS_WEBHOOKS'])('%s (a PAT or a webhook): secret', (name) => expect(isSecretName(name)).toBe(true));
  it.each(['PATH', 'PATHEXT', 'PAT_EXPIRES_AT', 'SPATIAL_INDEX'])('%s is no PAT: not secret', (name) => expect(isSecretName(name)).toBe(false));
});

describe('isIdentityName', () => {
  it.each([
    'start_token',
    'startToken',
    'pid',
    'ppid',
    'pgid',
    'sid',
    'started_at',
    'start_time',
    'startedAtMs',
    'correlation_id',
    'idempotency_key',
    'key_id',
    'run_id',
    'record_id',
    'hash',
    'prev_hash',
    'head_hash',
    'sha256',
    'manifest_sha256',
  ])('%s is identity, never secret', (name) => {
    expect(isIdentityName(name)).toBe(true);
    expect(isSecretName(name)).toBe(false);
  });
  it.each(['DB_PASSWORD', 'token', 'name', 'pids', 'hash_secret'])('%s is not', (name) => expect(isIdentityName(name)).toBe(false));
});

describe('redactText', () => {
  it('masks NAME=value pairs, secret options, bearer tokens and URL passwords in text', () => {
    const line = 'starting with DB_PASSWORD=hunter2 PORT=7000 --api-key abc123 --port 80 Authorization: Bearer eyJ.x.y url=postgres://app:s3cret@db:5432/x';
    const out = redactText(line);
    for (const secret of ['hunter2', 'abc123', 'eyJ.x.y', 's3cret']) expect(out).not.toContain(secret);
    expect(out).toContain('PORT=7000');
    expect(out).toContain('--port 80');
    expect(out).toContain('postgres://app:');
  });

  it.each([
    'start_token=9f1c2e7a-5b1d:123456 pid=4242 ppid=1',
    'idempotency_key=op-1 sort_key=a key_id=3f2a KEYBOARD_LAYOUT=us',
    'PATH=/usr/bin PWD=/work NODE_ENV=production PORT=7000',
    'max_tokens=512 next_page_token=abc',
  ])('leaves identity and harmless pairs alone: %s', (text) => expect(redactText(text)).toBe(text));
});

describe('redactEnv and redactValue', () => {
  it('replaces the values of secret-looking variables and keeps the rest', () => {
    expect(redactEnv({ PATH: '/bin', DB_PASSWORD: 'hunter2', EMPTY: undefined, OPENAI_KEY: 'k', sort_key: 's' })).toEqual({ PATH: '/bin', DB_PASSWORD: REDACTED, OPENAI_KEY: REDACTED, sort_key: 's' });
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

  it('keeps identity values exactly, without passing them through the text rules', () => {
    const process = { pid: 4242, ppid: 1, pgid: 4242, sid: 4242, start_token: '9f1c2e7a-5b1d:123456', startToken: '9f1c2e7a-5b1d:123456', started_at: '2025-01-02T03:04:05Z', startedAtMs: 1735787045000 };
    expect(redactValue(process)).toEqual(process);
    // Text that the rules would change stays as it is under an identity key, and only there.
    expect(redactValue({ idempotency_key: 'token=abc', correlation_id: 'password=x', note: 'token=abc' })).toEqual({ idempotency_key: 'token=abc', correlation_id: 'password=x', note: `token=${REDACTED}` });
    // A structured value under an identity key is still walked.
    expect(redactValue({ hash: { password: 'x' } })).toEqual({ hash: { password: REDACTED } });
  });

  it('records a Date as its ISO text, as JSON would', () => {
    expect(redactValue({ at: new Date(0) })).toEqual({ at: '1970-01-01T00:00:00.000Z' });
  });
});
