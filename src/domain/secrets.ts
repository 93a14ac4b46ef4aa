// The one list of secret values a run keeps out of evidence, prompts and reports: secret-looking environment
// values plus the credentials it was handed directly (a model key, a GitHub token).

/** Env var names whose values are treated as secrets: *TOKEN*, *KEY*, *SECRET*, *PASS*, *DSN*, *AUTH* (not AUTHOR), ... */
const SECRET_NAME = /TOKEN|KEY|SECRET|PASS(?!THRU|THROUGH)|PWD$|DSN|AUTH(?!OR)|CREDENTIAL|PRIVATE|COOKIE|SESSION|(?:^|_)PAT$/i;
/** URL-valued env vars are secret only when they carry credentials (postgres://user:pass@host). */
const URL_NAME = /(?:URL|URI|ENDPOINT|CONNECTION|CONN_?STR(?:ING)?)$/i;
const URL_WITH_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/[^\s/@]+@/i;
/** Names that look secret but hold nothing secret. */
const NOT_SECRET_NAME = /^(?:SSH_AUTH_SOCK|GPG_AGENT_INFO|XAUTHORITY|KEYMAP|PWD|OLDPWD)$/;
/** Values shorter than this are not redacted literally (they would blank out ordinary words and numbers). */
export const MIN_LITERAL_LENGTH = 6;
const BORING_VALUES = new Set(['true', 'false', 'undefined', 'null', 'none', 'changeme', 'enabled', 'disabled']);

/** True when an env var of this name (and value) holds a secret. */
export function isSecretEnv(name: string, value: string): boolean {
  if (NOT_SECRET_NAME.test(name)) return false;
  if (SECRET_NAME.test(name)) return true;
  return URL_NAME.test(name) && URL_WITH_CREDENTIALS.test(value.trim());
}

/** The values of environment variables whose names look like secrets (e.g. MY_SERVICE_TOKEN, DB_PASS, SENTRY_DSN). */
export function secretValuesFromEnv(env: Record<string, string | undefined>): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value || !isSecretEnv(name, value)) continue;
    const trimmed = value.trim();
    if (trimmed.length < MIN_LITERAL_LENGTH || BORING_VALUES.has(trimmed.toLowerCase())) continue;
    values.push(trimmed);
  }
  return values;
}

/** Every secret a run knows: the environment's secret-looking values and the credentials given to it (unset ones skipped). */
export function runSecrets(env: Record<string, string | undefined>, ...credentials: (string | undefined)[]): string[] {
  return [...secretValuesFromEnv(env), ...credentials.filter((value): value is string => Boolean(value))];
}
