import { createHash, randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { Config } from '../../config.ts';
import { countWhere } from '../../db/common-queries.ts';
import { type Db, transaction } from '../../db/database.ts';
import { GRANTS } from '../access.ts';
import { ROLES, type Role } from '../roles.ts';

/**
 * A second factor for local passwords: TOTP (RFC 6238) with recovery codes for a lost phone.
 * Accounts signing in through a partner's identity provider rely on that provider's MFA instead.
 */

/** Grants that do not reach case data; a role holding only these needs no second factor by default. */
const NOT_CASE_DATA = new Set([
  'admin:api-keys',
  'audit:verify',
  'report:view',
  'admin:sign-in-limits',
  // Counts of Encompass notices by school and times to acknowledge: no child is named.
  'encompass:report',
]);

/**
 * Every role that reaches case data, and the administrator, who can give anyone such a role.
 * The API's system users never sign in with a password.
 */
export const CASE_DATA_ROLES: readonly Role[] = (Object.keys(ROLES) as Role[]).filter(
  (role) =>
    role !== 'partner_system' &&
    (role === 'system_admin' || Object.keys(GRANTS[role] ?? {}).some((action) => !NOT_CASE_DATA.has(action))),
);

export function mfaRequiredRoles(config: Config): readonly Role[] {
  return config.partnership.signIn.mfa.requiredForRoles ?? (config.demo ? [] : CASE_DATA_ROLES);
}

export function mfaRequiredFor(config: Config, roles: readonly string[]): boolean {
  const required = mfaRequiredRoles(config);
  return roles.some((role) => (required as readonly string[]).includes(role));
}

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(issuer: string, email: string, secret: string): string {
  return generateURI({ issuer, label: email, secret });
}

/** The enrolment QR code as inline SVG, drawn on the server so the page needs no script. */
export function qrCodeSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

const epochOf = (now: Date) => Math.floor(now.getTime() / 1000);

/** One step either side of now allows for a phone clock a little out. */
const TOLERANCE_SECONDS = 30;

export async function checkTotp(secret: string, code: string, now: Date, afterTimeStep?: number) {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const result = await verify({
    secret,
    token,
    epoch: epochOf(now),
    epochTolerance: TOLERANCE_SECONDS,
    ...(afterTimeStep === undefined ? {} : { afterTimeStep }),
  });
  return result.valid ? (result as { timeStep: number }).timeStep : null;
}

export async function hasMfa(db: Db, userId: string): Promise<boolean> {
  return Boolean(
    await db.selectFrom('user_mfa').select('user_id').where('user_id', '=', userId).executeTakeFirst(),
  );
}

/** Checks a code from the app; a code is accepted once (its time step is remembered). */
export async function verifyTotpForUser(db: Db, userId: string, code: string, now: Date): Promise<boolean> {
  return transaction(db, async (trx) => {
    const row = await trx
      .selectFrom('user_mfa')
      .select(['totp_secret', 'last_time_step'])
      .where('user_id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return false;
    const last = row.last_time_step === null ? undefined : Number(row.last_time_step);
    const step = await checkTotp(row.totp_secret, code, now, last);
    if (step === null) return false;
    await trx.updateTable('user_mfa').set({ last_time_step: step }).where('user_id', '=', userId).execute();
    return true;
  });
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 16 characters from a 32-letter alphabet: 80 bits, so a fast hash is enough (as for API keys). */
function newRecoveryCode(): string {
  const chars = Array.from({ length: 16 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

export function hashRecoveryCode(code: string): string {
  const normalised = code.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return createHash('sha256').update(`harbour-recovery:${normalised}`).digest('hex');
}

/** Saves a confirmed enrolment and returns fresh recovery codes, shown once and stored only hashed. */
export async function enrolTotp(
  db: Db,
  userId: string,
  secret: string,
  timeStep: number,
  recoveryCodeCount: number,
  now: Date,
): Promise<string[]> {
  const codes = Array.from({ length: recoveryCodeCount }, newRecoveryCode);
  await transaction(db, async (trx) => {
    await trx.deleteFrom('user_recovery_code').where('user_id', '=', userId).execute();
    await trx
      .insertInto('user_mfa')
      .values({ user_id: userId, totp_secret: secret, last_time_step: timeStep, enrolled_at: now })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({ totp_secret: secret, last_time_step: timeStep, enrolled_at: now }),
      )
      .execute();
    await trx
      .insertInto('user_recovery_code')
      .values(codes.map((code) => ({ user_id: userId, code_hash: hashRecoveryCode(code), created_at: now })))
      .execute();
  });
  return codes;
}

/** Spends a recovery code: true once, false ever after. */
export async function useRecoveryCode(db: Db, userId: string, code: string, now: Date): Promise<boolean> {
  const used = await db
    .updateTable('user_recovery_code')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashRecoveryCode(code))
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return Boolean(used);
}

export function unusedRecoveryCodes(db: Db, userId: string): Promise<number> {
  return countWhere(db.selectFrom('user_recovery_code'), { user_id: userId, used_at: null });
}

/** An administrator's reset for someone who lost both phone and codes: they enrol again next time. */
export async function removeMfa(db: Db, userId: string): Promise<boolean> {
  return transaction(db, async (trx) => {
    await trx.deleteFrom('user_recovery_code').where('user_id', '=', userId).execute();
    const result = await trx.deleteFrom('user_mfa').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}
