// Redaction: which names are secret and which are identity, the text rules (names,
// options, JSON pairs, token shapes, URLs, key blocks), payloads and argv lists, and
// linear time on inputs built to make a backtracking pattern quadratic.
import { resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactEnv, redactText, redactValue } from '../../src/redaction/redact.ts';
import { isIdentityName, isSecretName } from '../../src/redaction/secret-names.ts';
import { ADVERSARIAL } from '../fixtures/redact-inputs.ts';

const TIMER = resolve(import.meta.dirname, '../fixtures/redact-timer.ts');

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
    ['DB_PASSWORD=hunter2 PORT=7000', `DB_PASSWORD=${REDACTED} PORT=7000`],
    ['password: hunter2, user: bob', `password: ${REDACTED}, user: bob`],
    ['API_KEY = "two words" next', `API_KEY = "${REDACTED}" next`],
    ['OPENAI_KEY=abc GH_PAT=def SLACK_WEBHOOK_URL=ghi', `OPENAI_KEY=${REDACTED} GH_PAT=${REDACTED} SLACK_WEBHOOK_URL=${REDACTED}`],
    // A name that is not secret leaves the search right after its separator.
    ['settings: password=hunter2', `settings: password=${REDACTED}`],
    ['--env=DB_PASSWORD=hunter2', `--env=DB_PASSWORD=${REDACTED}`],
    ['Authorization: Basic dXNlcjpwYXNz', `Authorization: ${REDACTED}`],
  ])('NAME=value: %s', (text, expected) => expect(redactText(text)).toBe(expected));

  it.each([
    'start_token=9f1c2e7a-5b1d:123456 pid=4242 ppid=1',
    'idempotency_key=op-1 sort_key=a key_id=3f2a KEYBOARD_LAYOUT=us',
    'PATH=/usr/bin PWD=/work NODE_ENV=production PORT=7000',
    'max_tokens=512 next_page_token=abc',
  ])('leaves identity and harmless pairs alone: %s', (text) => expect(redactText(text)).toBe(text));

  it.each([
    ['node a.ts --password hunter2 --port 80', `node a.ts --password ${REDACTED} --port 80`],
    ['node a.ts --password=hunter2', `node a.ts --password=${REDACTED}`],
    ['app --token "two words" -v', `app --token "${REDACTED}" -v`],
    ['app -password hunter2', `app -password ${REDACTED}`],
    // An option after a secret one is not its value.
    ['docker login --password-stdin --username bob', 'docker login --password-stdin --username bob'],
    ['app --port 80 --start-token 9f1c:1', 'app --port 80 --start-token 9f1c:1'],
  ])('options: %s', (text, expected) => expect(redactText(text)).toBe(expected));

  it.each([
    ['log {"password":"hunter2","user":"bob"} end', `log {"password":"${REDACTED}","user":"bob"} end`],
    ['{"password" : "hunter2", "user" : "bob"}', `{"password" : "${REDACTED}", "user" : "bob"}`],
    ["{'api_key': 'abc', 'user': 'bob'}", `{'api_key': '${REDACTED}', 'user': 'bob'}`],
    ['{"password":"a\\"b","n":1}', `{"password":"${REDACTED}","n":1}`],
    ['{"pin_password": 1234, "count": 5}', `{"pin_password": "${REDACTED}", "count": 5}`],
    ['{"start_token":"9f1c:123","pid":42,"hash":"ab12"}', '{"start_token":"9f1c:123","pid":42,"hash":"ab12"}'],
    // Cut off: masked to the end of the line, the next line kept.
    ['{"password":"hunter2\nnext line', `{"password":"${REDACTED}\nnext line`],
    // JSON logged inside a JSON string, its quotes escaped; the outer JSON stays valid.
    [String.raw`{"body":"{\"password\":\"hunter2\",\"user\":\"bob\"}"}`, String.raw`{"body":"{\"password\":\"${REDACTED}\",\"user\":\"bob\"}"}`],
    [String.raw`{"body":"{\"pin_password\":1234}"}`, String.raw`{"body":"{\"pin_password\":\"${REDACTED}\"}"}`],
  ])('"name": value pairs: %s', (text, expected) => expect(redactText(text)).toBe(expected));

  it.each([
    ['GitHub classic', `ghp_${'a1B2'.repeat(9)}`],
    ['GitHub OAuth', `gho_${'a1B2'.repeat(9)}`],
    ['GitHub app', `ghs_${'a1B2'.repeat(9)}`],
    ['GitHub user', `ghu_${'a1B2'.repeat(9)}`],
    ['GitHub fine-grained', `github_pat_11ABCDEFG0_${'x9Y8'.repeat(15)}`],
    ['Slack bot', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'],
    ['Slack user', 'xoxp-123456789012-123456789012-123456789012-0123456789abcdef0123456789abcdef'],
    ['AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['OpenAI', `sk-proj-${'Ab3dEf6h'.repeat(6)}`],
    ['Anthropic', `sk-ant-api03-${'Ab3dEf6h'.repeat(10)}`],
    ['Stripe secret', `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`],
    ['Stripe restricted', `rk_live_${'51H8xYz2eZvKYlo2C0aB1cDe'}`],
    ['JWT', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'],
  ])('a %s token is masked wherever it stands', (_kind, token) => {
    expect(redactText(`using ${token} now`)).toBe(`using ${REDACTED} now`);
    expect(redactText(`note="${token}"`)).toBe(`note="${REDACTED}"`);
  });

  it.each([
    ['a SHA-256', 'a3f1'.repeat(16)],
    ['a ULID', '01JB3Z8Q4K7M2N5P6R9S0T1V2W'],
    ['a start token', '9f1c2e7a-5b1d-4c3e-8a7f-0d2b6e4f1a3c:123456'],
    ['a short ghp_', 'ghp_short'],
    ['a short sk-', 'sk-live-test'],
    ['a word ending in sk-', `disk-${'a'.repeat(40)}`],
    ['an AKIA prefix of something longer', `AKIA${'A'.repeat(20)}`],
    ['one base64url segment', 'eyJhbGciOiJIUzI1NiJ9'],
    ['a base64 blob', 'dGhpcyBpcyBub3QgYSBzZWNyZXQsIGp1c3QgZGF0YQ=='],
  ])('%s is left alone (no entropy guessing)', (_kind, value) => expect(redactText(`value ${value} end`)).toBe(`value ${value} end`));

  it('masks the path of Slack and Discord webhook URLs', () => {
    expect(redactText('posting to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX now')).toBe(`posting to https://hooks.slack.com/services/${REDACTED} now`);
    expect(redactText('https://discord.com/api/webhooks/123456789/abcDEF-ghi_jkl')).toBe(`https://discord.com/api/webhooks/${REDACTED}`);
    expect(redactText('https://hooks.example.com/services/T0/B0')).toBe('https://hooks.example.com/services/T0/B0');
  });

  it.each([
    ['postgres://app:s3cret@db:5432/x', `postgres://app:${REDACTED}@db:5432/x`],
    ['redis://:s3cret@cache:6379', `redis://:${REDACTED}@cache:6379`],
    ['http://admin:p@ss@127.0.0.1:7000/healthz', `http://admin:${REDACTED}@127.0.0.1:7000/healthz`],
    ['http://127.0.0.1:7000/healthz?user=a:b', 'http://127.0.0.1:7000/healthz?user=a:b'],
    ['https://bob@example.com/x', 'https://bob@example.com/x'],
  ])('URL passwords: %s', (text, expected) => expect(redactText(text)).toBe(expected));

  it('masks a PEM private key block whole, and a cut-off one to the end', () => {
    const block = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0\n-----END RSA PRIVATE KEY-----';
    expect(redactText(`key follows\n${block}\nafter`)).toBe(`key follows\n${REDACTED}\nafter`);
    expect(redactText(`ssh_key: ${block.replace('RSA', 'OPENSSH')}`)).toBe(`ssh_key: ${REDACTED}`);
    expect(redactText('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nAQEFAASC')).toBe(REDACTED);
    const certificate = '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE\n-----END CERTIFICATE-----';
    expect(redactText(certificate)).toBe(certificate);
  });

  it('masks Bearer and Basic credentials outside a pair', () => {
    expect(redactText('curl -H "X: Bearer abc.def" x')).toBe(`curl -H "X: Bearer ${REDACTED}" x`);
    expect(redactText('sent Basic dXNlcjpwYXNz')).toBe(`sent Basic ${REDACTED}`);
    expect(redactText('a basic setup, a bearer bond')).toBe('a basic setup, a bearer bond');
  });

  it('gives the same text when run again on what it wrote', () => {
    const text = `a DB_PASSWORD=x {"password":"y"} --token z postgres://u:p@h ghp_${'a'.repeat(36)} -----BEGIN PRIVATE KEY-----\nk\n-----END PRIVATE KEY-----`;
    const once = redactText(text);
    expect(redactText(once)).toBe(once);
  });
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

  it('redacts the argument after a secret option in an argv list', () => {
    expect(redactValue(['node', 'a.ts', '--password', 'hunter2'])).toEqual(['node', 'a.ts', '--password', REDACTED]);
    expect(redactValue({ argv: ['app', '-api-key', 'k1', '--port', '80', '--token=t1', 'plain', '--secret'] })).toEqual({ argv: ['app', '-api-key', REDACTED, '--port', '80', `--token=${REDACTED}`, 'plain', '--secret'] });
    expect(redactValue(['--start-token', '9f1c:1', '--sort-key', 'name'])).toEqual(['--start-token', '9f1c:1', '--sort-key', 'name']);
    expect(redactValue(['--pin-password', 1234, '--count', 3])).toEqual(['--pin-password', REDACTED, '--count', 3]);
  });

  it('records a Date as its ISO text, as JSON would', () => {
    expect(redactValue({ at: new Date(0) })).toEqual({ at: '1970-01-01T00:00:00.000Z' });
  });
});

// The issue asks for this bound: 5 MB in under a second, on inputs that took a quadratic
// pattern minutes. Linear code takes a few hundred milliseconds at worst (bench/redact.ts
// prints the figures); the best of up to 3 attempts keeps a noisy moment from failing it
// (the timer stops at the first attempt under the bound). Each input is timed in a process
// of its own, killed after 30 s, so a pattern gone quadratic fails this test instead of
// hanging the runner.
describe('redactText in linear time', () => {
  const SIZE = 5 * 2 ** 20;
  const BOUND_MS = 1000;
  it.each(ADVERSARIAL.map((input) => [input.name, input.about]))('5 MB of %s (%s) in under a second', async (name) => {
    const result = await execa(process.execPath, [TIMER, name, String(SIZE), '3', String(BOUND_MS)], { reject: false, timeout: 30_000 });
    expect(result.timedOut, `${name} still running after 30 s`).toBe(false);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const { best_ms: bestMs } = JSON.parse(String(result.stdout)) as { best_ms: number };
    expect(bestMs).toBeLessThan(BOUND_MS);
  });
});
