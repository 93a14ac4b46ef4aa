// The one list of secret values a run keeps out of evidence, prompts and reports: secret-looking environment
// values plus the credentials it was handed directly (a model key, a GitHub token).

/** Env var names whose values are treated as secrets. */
const SECRET_NAME = /(?:^|_)(?:KEY|PAT|CREDENTIALS?)$|APIKEY|_KEY_|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE/i;
/** Values shorter than this are not redacted literally (they would blank out ordinary words and numbers). */
export const MIN_LITERAL_LENGTH = 6;
const BORING_VALUES = new Set(['true', 'false', 'undefined', 'null', 'none', 'changeme']);

/** The values of environment variables whose names look like secrets (e.g. MY_SERVICE_TOKEN, DB_PASSWORD). */
export function secretValuesFromEnv(env: Record<string, string | undefined>): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value || !SECRET_NAME.test(name)) continue;
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
