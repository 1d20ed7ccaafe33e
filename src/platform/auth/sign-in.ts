import { type AuditEntry, recordAudit } from '../audit.ts';
import type { Deps } from '../deps.ts';
import { SYSTEM_PRINCIPAL } from '../principal.ts';
import { hasMfa, mfaRequiredFor } from './mfa.ts';
import { verifyPassword } from './passwords.ts';
import { recordFailure, recordRefusedAttempt, signInKeys, throttleRules, waitingKeys } from './throttle.ts';

/** What a correct password leads to: straight in, a code from the app, or setting the app up first. */
export type SecondStep = 'none' | 'verify' | 'enrol';

export type SignInResult = { ok: true; userId: string; name: string; secondStep: SecondStep } | { ok: false };

/**
 * The accounts sign-in checks and marks. They belong to the directory, which provides these
 * through its service (the composition root hands them in), so sign-in never touches its table.
 */
export interface SignInAccounts {
  accountForSignIn(email: string): Promise<
    | {
        id: string;
        display_name: string;
        agency_id: string;
        password_hash: string | null;
        disabled_at: Date | string | null;
        is_system: boolean;
        roles: string[];
      }
    | undefined
  >;
  /** Stamps the sign-in; returns the account's email (the throttle's account key). */
  recordSignIn(userId: string, at: Date): Promise<{ email: string }>;
}

/** The account a sign-in step is about, as far as it is known (null: nobody, or not yet). */
export interface SignInAccount {
  id: string;
  display_name: string;
  agency_id: string;
}

/**
 * Audits one step of signing in (password, second factor, identity provider): recorded as done by
 * the account it is about, or 'anonymous' when there is none, over the web, with the account as
 * its subject. Every sign-in audit names its actor the same way, wherever the step is handled.
 */
export function auditSignInStep(
  db: Deps['db'],
  requestId: string,
  account: SignInAccount | null,
  entry: Required<Pick<AuditEntry, 'action' | 'outcome' | 'reason' | 'details'>>,
): Promise<void> {
  return recordAudit(
    db,
    {
      principal: {
        ...SYSTEM_PRINCIPAL,
        userId: account?.id ?? null,
        name: account?.display_name ?? 'anonymous',
        agencyId: account?.agency_id ?? null,
        channel: 'web',
      },
      requestId,
    },
    { ...entry, subjectType: 'user', ...(account ? { subjectId: account.id } : {}) },
  );
}

/**
 * Checks a password against the throttles (decision 0011). Unknown account, wrong password, disabled
 * account and an attempt that must wait all give the caller the same `{ ok: false }` after the same
 * work — one password hash verified, the same database writes — so none can be told from another.
 * Every attempt is audited with the true reason.
 */
export async function signInWithPassword(
  deps: Deps,
  accounts: SignInAccounts,
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
  const user = await accounts.accountForSignIn(normalised);
  const waiting = await waitingKeys(db, keys, now);
  const known = user && !user.is_system ? user : null;
  const audit = (outcome: 'allowed' | 'denied', reason: string) =>
    auditSignInStep(db, requestId, known, {
      action: 'sign-in',
      outcome,
      reason,
      details: { email: normalised, address },
    });

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
  if (secondStep === 'none') await completeSignIn(deps, accounts, known.id);
  await audit(
    'allowed',
    secondStep === 'none' ? 'password verified' : 'password verified; second factor next',
  );
  return { ok: true, userId: known.id, name: known.display_name, secondStep };
}

/** The person is in: the account's failure counter is cleared (the address's is left to expire). */
export async function completeSignIn(deps: Deps, accounts: SignInAccounts, userId: string): Promise<void> {
  const user = await accounts.recordSignIn(userId, deps.now());
  await deps.db
    .deleteFrom('sign_in_throttle')
    .where('kind', '=', 'account')
    .where('key', '=', user.email.toLowerCase())
    .execute();
}
