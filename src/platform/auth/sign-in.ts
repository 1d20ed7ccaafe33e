import { recordAudit } from '../audit.ts';
import type { Deps } from '../deps.ts';
import { SYSTEM_PRINCIPAL } from '../principal.ts';
import { hasMfa, mfaRequiredFor } from './mfa.ts';
import { verifyPassword } from './passwords.ts';
import { recordFailure, recordRefusedAttempt, signInKeys, throttleRules, waitingKeys } from './throttle.ts';

/** What a correct password leads to: straight in, a code from the app, or setting the app up first. */
export type SecondStep = 'none' | 'verify' | 'enrol';

export type SignInResult = { ok: true; userId: string; name: string; secondStep: SecondStep } | { ok: false };

/**
 * Checks a password against the throttles (decision 0011). Unknown account, wrong password, disabled
 * account and an attempt that must wait all give the caller the same `{ ok: false }` after the same
 * work — one password hash verified, the same database writes — so none can be told from another.
 * Every attempt is audited with the true reason.
 */
export async function signInWithPassword(
  deps: Deps,
  email: string,
  password: string,
  address: string,
  requestId: string,
): Promise<SignInResult> {
  const { db, config } = deps;
  const settings = config.partnership.signIn;
  const now = deps.now();
  const normalised = email.trim().toLowerCase();
  const keys = signInKeys(normalised, address);
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'display_name', 'agency_id', 'password_hash', 'disabled_at', 'is_system', 'roles'])
    .where('email', '=', normalised)
    .executeTakeFirst();
  const waiting = await waitingKeys(db, keys, now);
  const known = user && !user.is_system ? user : null;
  const audit = (outcome: 'allowed' | 'denied', reason: string) =>
    recordAudit(
      db,
      {
        principal: {
          ...SYSTEM_PRINCIPAL,
          userId: known?.id ?? null,
          name: known?.display_name ?? 'anonymous',
          agencyId: known?.agency_id ?? null,
          channel: 'web',
        },
        requestId,
      },
      {
        action: 'sign-in',
        outcome,
        reason,
        subjectType: 'user',
        ...(known ? { subjectId: known.id } : {}),
        details: { email: normalised, address },
      },
    );

  if (waiting.length > 0) {
    await verifyPassword(null, password);
    await recordRefusedAttempt(db, keys, now);
    await audit(
      'denied',
      `throttled: too many recent failures for this ${waiting.map((k) => k.kind).join(' and ')}`,
    );
    return { ok: false };
  }
  const valid = await verifyPassword(known?.password_hash ?? null, password);
  if (!known || !valid || known.disabled_at) {
    await recordFailure(db, throttleRules(settings), keys, now);
    await audit(
      'denied',
      !known ? 'unknown account' : known.disabled_at && valid ? 'account disabled' : 'wrong password',
    );
    return { ok: false };
  }
  const enrolled = await hasMfa(db, known.id);
  const secondStep: SecondStep = enrolled ? 'verify' : mfaRequiredFor(config, known.roles) ? 'enrol' : 'none';
  if (secondStep === 'none') await completeSignIn(deps, known.id);
  await audit(
    'allowed',
    secondStep === 'none' ? 'password verified' : 'password verified; second factor next',
  );
  return { ok: true, userId: known.id, name: known.display_name, secondStep };
}

/** The person is in: the account's failure counter is cleared (the address's is left to expire). */
export async function completeSignIn(deps: Deps, userId: string): Promise<void> {
  const now = deps.now();
  const user = await deps.db
    .updateTable('app_user')
    .set({ last_signed_in_at: now })
    .where('id', '=', userId)
    .returning('email')
    .executeTakeFirstOrThrow();
  await deps.db
    .deleteFrom('sign_in_throttle')
    .where('kind', '=', 'account')
    .where('key', '=', user.email.toLowerCase())
    .execute();
}
