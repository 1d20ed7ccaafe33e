import { type Db, transaction } from '../../db/database.ts';
import {
  afterFailure,
  isWaiting,
  type ThrottleRule,
  type ThrottleState,
} from '../../domain/sign-in-throttle.ts';
import type { SignInSettings } from './settings.ts';

/**
 * Failure counters by account (the email as typed, whether or not an account has it) and by network
 * address, in the database so that every instance counts the same attempts (decision 0011).
 */
export type ThrottleKind = 'account' | 'address';
export interface ThrottleKey {
  kind: ThrottleKind;
  key: string;
}

export function throttleRules(settings: SignInSettings): Record<ThrottleKind, ThrottleRule> {
  const shared = {
    firstDelaySeconds: settings.firstDelaySeconds,
    maxDelaySeconds: settings.lockoutMinutes * 60,
    forgetAfterSeconds: settings.forgetAfterMinutes * 60,
  };
  return {
    account: { ...shared, freeFailures: settings.maxFailedAttempts },
    address: { ...shared, freeFailures: settings.addressMaxFailedAttempts },
  };
}

export function signInKeys(email: string, address: string): ThrottleKey[] {
  return [
    { kind: 'account', key: email.trim().toLowerCase() },
    { kind: 'address', key: address },
  ];
}

function toState(row: {
  failures: number;
  last_failure_at: Date;
  blocked_until: Date | null;
}): ThrottleState {
  return { failures: row.failures, lastFailureAt: row.last_failure_at, blockedUntil: row.blocked_until };
}

/** The keys that must wait before another attempt, if any. */
export async function waitingKeys(db: Db, keys: ThrottleKey[], now: Date): Promise<ThrottleKey[]> {
  const waiting: ThrottleKey[] = [];
  for (const key of keys) {
    const row = await db
      .selectFrom('sign_in_throttle')
      .select(['failures', 'last_failure_at', 'blocked_until'])
      .where('kind', '=', key.kind)
      .where('key', '=', key.key)
      .executeTakeFirst();
    if (row && isWaiting(toState(row), now)) waiting.push(key);
  }
  return waiting;
}

/** Counts one failure against each key; the row is locked so concurrent instances add up. */
export async function recordFailure(
  db: Db,
  rules: Record<ThrottleKind, ThrottleRule>,
  keys: ThrottleKey[],
  now: Date,
): Promise<void> {
  await transaction(db, async (trx) => {
    for (const key of keys) {
      await trx
        .insertInto('sign_in_throttle')
        .values({
          kind: key.kind,
          key: key.key,
          failures: 0,
          first_failure_at: now,
          last_failure_at: now,
          last_attempt_at: now,
          blocked_until: null,
        })
        .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
        .execute();
      const row = await trx
        .selectFrom('sign_in_throttle')
        .select(['failures', 'last_failure_at', 'blocked_until', 'first_failure_at'])
        .where('kind', '=', key.kind)
        .where('key', '=', key.key)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const fresh = row.failures === 0 ? null : toState(row);
      const next = afterFailure(rules[key.kind], fresh, now);
      await trx
        .updateTable('sign_in_throttle')
        .set({
          failures: next.failures,
          first_failure_at: next.failures === 1 ? now : row.first_failure_at,
          last_failure_at: now,
          last_attempt_at: now,
          blocked_until: next.blockedUntil,
        })
        .where('kind', '=', key.kind)
        .where('key', '=', key.key)
        .execute();
    }
  });
}

/** A refused attempt while waiting: noted (much the same database work as a failure) but not counted. */
export async function recordRefusedAttempt(db: Db, keys: ThrottleKey[], now: Date): Promise<void> {
  await transaction(db, async (trx) => {
    for (const key of keys) {
      await trx
        .selectFrom('sign_in_throttle')
        .select('failures')
        .where('kind', '=', key.kind)
        .where('key', '=', key.key)
        .forUpdate()
        .executeTakeFirst();
      await trx
        .updateTable('sign_in_throttle')
        .set({ last_attempt_at: now })
        .where('kind', '=', key.kind)
        .where('key', '=', key.key)
        .execute();
    }
  });
}

export async function clearThrottle(db: Db, key: ThrottleKey): Promise<boolean> {
  const result = await db
    .deleteFrom('sign_in_throttle')
    .where('kind', '=', key.kind)
    .where('key', '=', key.key)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface ThrottleRow {
  kind: ThrottleKind;
  key: string;
  failures: number;
  firstFailureAt: Date;
  lastFailureAt: Date;
  blockedUntil: Date | null;
  waiting: boolean;
}

/** Counters still remembered (failed within the forget period), those that make people wait first. */
export async function listThrottles(
  db: Db,
  settings: SignInSettings,
  now: Date,
  limit: number,
  offset: number,
): Promise<{ rows: ThrottleRow[]; total: number }> {
  const since = new Date(now.getTime() - settings.forgetAfterMinutes * 60_000);
  const base = db.selectFrom('sign_in_throttle').where('last_failure_at', '>', since);
  const total = Number(
    (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const rows = await base
    .selectAll()
    .orderBy((eb) => eb.case().when('blocked_until', '>', now).then(0).else(1).end())
    .orderBy('last_failure_at', 'desc')
    .orderBy('key')
    .limit(limit)
    .offset(offset)
    .execute();
  return {
    total,
    rows: rows.map((r) => ({
      kind: r.kind,
      key: r.key,
      failures: r.failures,
      firstFailureAt: r.first_failure_at,
      lastFailureAt: r.last_failure_at,
      blockedUntil: r.blocked_until,
      waiting: isWaiting(toState(r), now),
    })),
  };
}
