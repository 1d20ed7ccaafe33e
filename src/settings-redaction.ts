/** Shown in place of a secret that is set; an unset (empty) secret is shown as it is. */
export const REDACTED = '[set]';

/**
 * Keys whose values are secrets wherever they appear in the partnership settings: the SMTP
 * password, the GOV.UK Notify API key, sign-in providers' client secrets, and every value of a
 * `secrets` map (webhook signing secrets by agency). `clientSecretEnv` names a variable and is not
 * a secret. Matching by name keeps a secret added later under such a key out of `harbour settings`.
 */
const SECRET_KEY = /(password|secret|apikey|token|privatekey)$/i;
const SECRET_MAP = /secrets$/i;

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return value === '' ? '' : REDACTED;
  if (value === undefined || value === null) return value;
  return REDACTED;
}

/** A copy of the settings with every secret replaced by "[set]" (or left empty when unset). */
export function redactSettings<T>(settings: T): T {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, inner]) => {
        if (SECRET_MAP.test(key) && inner && typeof inner === 'object' && !Array.isArray(inner))
          return [key, Object.fromEntries(Object.keys(inner).map((k) => [k, REDACTED]))];
        if (SECRET_KEY.test(key)) return [key, redactValue(inner)];
        return [key, walk(inner)];
      }),
    );
  };
  return walk(settings) as T;
}
