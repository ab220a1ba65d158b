/**
 * What a snapshot leaves out because it may be a secret (a snapshot is a file that travels: a CI
 * artifact, an attachment). Environment variables whose names contain, in any case, PASSWORD,
 * PASSWD, SECRET, TOKEN, API_KEY, APIKEY, CREDENTIAL, COOKIE, AUTH or PRIVATE_KEY have their
 * values replaced; `IPDB_REDACT` (a regular expression, matched against names in any case, as the
 * words are) also redacts locals, properties and environment variables. Live sessions redact nothing.
 */

/** The words that make an environment variable's name secret (matched in any case). */
export const SECRET_WORDS = ['PASSWORD', 'PASSWD', 'SECRET', 'TOKEN', 'API_KEY', 'APIKEY', 'CREDENTIAL', 'COOKIE', 'AUTH', 'PRIVATE_KEY'];

/** What a redacted environment variable's value becomes. */
export const REDACTED_VALUE = '<redacted>';

/** The names a snapshot redacts. */
export interface Redaction {
  /** True for a local's or a property's name matching `IPDB_REDACT`. */
  name(name: string): boolean;
  /** False when {@link name} is false for every name (no `IPDB_REDACT`): the encoder asks it nothing. Default true. */
  names?: boolean;
  /** True for an environment variable's name: a secret word, or `IPDB_REDACT`. */
  env(name: string): boolean;
}

/**
 * The redaction of `IPDB_REDACT` (unset or empty: secret words for the environment only). The
 * pattern ignores case (`password` redacts `dbPassword` and `DB_PASSWORD`): a name that only
 * differs in case from one asked for is no less a secret.
 * @returns the redaction, or a one-line error when the pattern is not a regular expression: then
 * no snapshot is written (a user who asked for redaction does not get the secrets written).
 */
export function redactionOf(pattern: string | undefined): { ok: true; redaction: Redaction } | { ok: false; error: string } {
  let re: RegExp | undefined;
  if (pattern) {
    try {
      re = new RegExp(pattern, 'i');
    } catch (e) {
      return { ok: false, error: `IPDB_REDACT is not a regular expression (${(e as Error).message}): no snapshot written` };
    }
  }
  const matches = (name: string): boolean => re !== undefined && re.test(name);
  return {
    ok: true,
    redaction: {
      name: matches,
      names: re !== undefined,
      env: (name) => isSecretName(name) || matches(name),
    },
  };
}

/** True when an environment variable's name holds a secret word (any case). */
export function isSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  return SECRET_WORDS.some((w) => upper.includes(w));
}

/** The environment with secrets' values replaced, and the names replaced (sorted). */
export function redactEnvironment(env: NodeJS.ProcessEnv, redaction: Redaction): { env: Record<string, string>; redacted: string[] } {
  const out: Record<string, string> = {};
  const redacted: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (redaction.env(k)) {
      out[k] = REDACTED_VALUE;
      redacted.push(k);
    } else {
      out[k] = v;
    }
  }
  return { env: out, redacted: redacted.sort() };
}
