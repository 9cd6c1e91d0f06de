// Which names mark a value as secret (DB_PASSWORD, apiKey, GITHUB_TOKEN, GH_PAT) and which
// carry identity or evidence-integrity values that must stay readable whatever words they
// hold (start_token, idempotency_key, prev_hash). Names are read as words: split on
// anything but letters and digits, and on case changes (`startedAtMs` is started, at, ms).

/**
 * Identity and integrity fields. A reviewer needs their exact values: a PID with its start
 * token tells a reused PID from the same process, ids tie records to runs and operations,
 * hashes chain the evidence. None is a secret, so none is redacted, even where a word in
 * it (token, key) would otherwise say so. Written as snake_case words; matched ignoring
 * case and separators, so `startToken` and `START_TOKEN` are `start_token`.
 */
const IDENTITY_NAMES = [
  // A process: its id, parent, group and session, and what proves it is the same process.
  'pid',
  'ppid',
  'pgid',
  'sid',
  'start_token',
  'boot_id',
  'started_at',
  'start_time',
  'started_at_ms',
  // Records and the operations and runs they belong to.
  'record_id',
  'run_id',
  'correlation_id',
  'idempotency_key',
  // The signing key's id (the public key's fingerprint), not the key.
  'key_id',
  // Evidence integrity.
  'hash',
  'prev_hash',
  'head_hash',
  'sha256',
  'manifest_sha256',
  'config_hash',
  'contract_hash',
];
const IDENTITY = new Set(IDENTITY_NAMES.map(squash));

// The shell's working directories, not passwords (`pwd` alone marks MYSQL_PWD secret).
const HARMLESS = new Set(['pwd', 'oldpwd']);

// Whole words that mark a name secret wherever they stand in it.
const SECRET_WORDS = new Set([
  'secret',
  'secrets',
  'password',
  'passwords',
  'passwd',
  'pwd',
  'passphrase',
  'apikey',
  'apikeys',
  'credential',
  'credentials',
  'auth',
  'authorization',
  'bearer',
  'jwt',
  'cookie',
  'cookies',
  'session',
  'private',
  'privatekey',
  'dsn',
  'salt',
  'sas',
  'pem',
  // A webhook URL is its own credential: whoever holds it can post.
  'webhook',
  'webhooks',
]);

// A name ending in `token` is secret (GITHUB_TOKEN, auth_token, NPM_TOKEN) unless the word
// before says it counts or pages rather than authenticates.
const HARMLESS_BEFORE_TOKEN = new Set(['start', 'page', 'continuation', 'cancellation', 'max', 'min', 'num', 'total', 'input', 'output', 'prompt', 'completion', 'cached', 'reasoning']);

// A name ending in `key` is secret (OPENAI_KEY, STRIPE_KEY) unless the word before makes it
// a key into data, the public half of a pair, or a keyboard key.
const HARMLESS_BEFORE_KEY = new Set([
  // Keys into data.
  'idempotency',
  'dedup',
  'dedupe',
  'sort',
  'primary',
  'foreign',
  'partition',
  'shard',
  'routing',
  'cache',
  'lookup',
  'object',
  'group',
  'composite',
  'unique',
  'index',
  'hash',
  'range',
  'row',
  'map',
  'record',
  'message',
  'event',
  'order',
  'join',
  'translation',
  'i18n',
  // The public half of a key pair.
  'public',
  'pub',
  'verify',
  // Keyboard keys.
  'hot',
  'hotkey',
  'shortcut',
]);

// `key` after one of these words marks a secret even when more words follow: AWS_ACCESS_KEY_ID.
const KEY_OWNERS = new Set(['api', 'access', 'secret', 'private', 'signing', 'encryption', 'master', 'client', 'license', 'account', 'ssh', 'gpg', 'aws', 'service', 'app', 'admin', 'root', 'deploy', 'storage', 'db', 'hmac', 'tls', 'ssl']);

// Words run together without a separator: PGPASSWORD, OPENAI_APIKEY, ACCESSTOKEN.
const RUN_TOGETHER = /passw|secret|apikey|accesskey|accesstoken|authtoken|apitoken|privatekey|credential|webhook/;

/**
 * Every secret name holds one of these (isSecretName answers false at once for the others),
 * so a text scanner may look for names only where one stands.
 */
export const SECRET_NAME_HINT = /pass|pwd|secret|token|key|cred|auth|cookie|session|priv|dsn|salt|bearer|jwt|sas|pem|pat|webhook/i;

// Names repeat (the same keys in every record, the same variable on every line), and
// splitting one into words costs about a microsecond: answers are remembered, for names
// of a sensible length and up to a count, so that arbitrary input cannot grow the map
// without end.
const answers = new Map<string, boolean>();
const MAX_ANSWERS = 4096;
const MAX_REMEMBERED_NAME = 128;

/** True for names like `DB_PASSWORD`, `apiKey`, `GITHUB_TOKEN`, `OPENAI_KEY`, `GH_PAT`, `SLACK_WEBHOOK_URL`. */
export function isSecretName(name: string): boolean {
  if (!SECRET_NAME_HINT.test(name)) return false;
  if (name.length > MAX_REMEMBERED_NAME) return secretByWords(nameWords(name));
  let answer = answers.get(name);
  if (answer === undefined) {
    if (answers.size >= MAX_ANSWERS) answers.clear();
    answer = secretByWords(nameWords(name));
    answers.set(name, answer);
  }
  return answer;
}

function secretByWords(words: readonly string[]): boolean {
  const joined = words.join('');
  if (IDENTITY.has(joined) || HARMLESS.has(joined)) return false;
  if (words.some((w) => SECRET_WORDS.has(w) || RUN_TOGETHER.test(w))) return true;
  const last = words.at(-1);
  const beforeLast = words.at(-2) ?? '';
  if ((last === 'token' || last === 'tokens') && !HARMLESS_BEFORE_TOKEN.has(beforeLast)) return true;
  if ((last === 'key' || last === 'keys') && !HARMLESS_BEFORE_KEY.has(beforeLast)) return true;
  // A personal access token: GH_PAT, GITLAB_PAT.
  if (last === 'pat') return true;
  return words.some((w, i) => (w === 'key' || w === 'keys') && i > 0 && KEY_OWNERS.has(words[i - 1] ?? ''));
}

/** True for identity and integrity fields (`start_token`, `pid`, `hash`…): their values are kept as they are. */
export function isIdentityName(name: string): boolean {
  return IDENTITY.has(squash(name));
}

/** `npm_config__authToken` → npm, config, auth, token; `OpenAIKey` → open, ai, key. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** Lower case without separators: `startToken`, `START_TOKEN` and `start-token` are one name. */
function squash(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}
