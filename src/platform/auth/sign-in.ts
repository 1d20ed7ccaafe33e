import { recordAudit } from '../audit.ts';
import type { Deps } from '../deps.ts';
import { SYSTEM_PRINCIPAL } from '../principal.ts';
import { verifyPassword } from './passwords.ts';

export type SignInResult =
  | { ok: true; userId: string; name: string }
  | { ok: false; reason: 'invalid' | 'locked'; lockedUntil?: Date };

/**
 * Checks a password with lockout: after signIn.maxFailedAttempts failures in a row the account is
 * locked for signIn.lockoutMinutes. Every attempt is audited. The caller learns only "invalid" or
 * "locked", never whether the email exists.
 */
export async function signInWithPassword(
  deps: Deps,
  email: string,
  password: string,
  requestId: string,
): Promise<SignInResult> {
  const { db, config } = deps;
  const { maxFailedAttempts, lockoutMinutes } = config.partnership.signIn;
  const now = deps.now();
  const normalised = email.trim().toLowerCase();
  const user = await db
    .selectFrom('app_user')
    .select([
      'id',
      'display_name',
      'agency_id',
      'password_hash',
      'failed_sign_ins',
      'locked_until',
      'disabled_at',
      'is_system',
    ])
    .where('email', '=', normalised)
    .executeTakeFirst();
  const audit = (
    outcome: 'allowed' | 'denied',
    reason: string,
    userId: string | null,
    name: string,
    agencyId: string | null,
  ) =>
    recordAudit(
      db,
      { principal: { ...SYSTEM_PRINCIPAL, userId, name, agencyId, channel: 'web' }, requestId },
      {
        action: 'sign-in',
        outcome,
        reason,
        subjectType: 'user',
        ...(userId ? { subjectId: userId } : {}),
        details: { email: normalised },
      },
    );

  if (!user || user.is_system) {
    await verifyPassword(null, password);
    await audit('denied', 'unknown account', null, 'anonymous', null);
    return { ok: false, reason: 'invalid' };
  }
  if (user.locked_until && user.locked_until > now) {
    await audit('denied', 'account locked', user.id, user.display_name, user.agency_id);
    return { ok: false, reason: 'locked', lockedUntil: user.locked_until };
  }
  const valid = await verifyPassword(user.password_hash, password);
  if (!valid || user.disabled_at) {
    const failures = user.failed_sign_ins + 1;
    const lock = failures >= maxFailedAttempts;
    const lockedUntil = new Date(now.getTime() + lockoutMinutes * 60_000);
    await db
      .updateTable('app_user')
      .set({ failed_sign_ins: lock ? 0 : failures, locked_until: lock ? lockedUntil : null })
      .where('id', '=', user.id)
      .execute();
    await audit(
      'denied',
      user.disabled_at ? 'account disabled' : lock ? 'wrong password; account locked' : 'wrong password',
      user.id,
      user.display_name,
      user.agency_id,
    );
    return lock ? { ok: false, reason: 'locked', lockedUntil } : { ok: false, reason: 'invalid' };
  }
  await db
    .updateTable('app_user')
    .set({ failed_sign_ins: 0, locked_until: null, last_signed_in_at: now })
    .where('id', '=', user.id)
    .execute();
  await audit('allowed', 'password verified', user.id, user.display_name, user.agency_id);
  return { ok: true, userId: user.id, name: user.display_name };
}
