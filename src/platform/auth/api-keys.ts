import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys are 32 random bytes. Only a SHA-256 of the key is stored: with that much entropy a
 * slow hash adds nothing, and lookups stay one indexed read per request.
 */
const PREFIX = 'hbr_';

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: key.slice(0, PREFIX.length + 6), hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(PREFIX) && value.length > PREFIX.length + 20 && value.length < 200;
}
