import { createHash } from 'node:crypto';
import type { Db, Trx } from '../../../db/database.ts';
import { transaction } from '../../../db/database.ts';
import { canonicalJson } from '../../../platform/audit.ts';
import { ConflictError } from '../../../platform/errors.ts';
import type { Principal } from '../../../platform/principal.ts';
import { findRecord, insertRecord } from './idempotency-repository.ts';

export function requestHash(endpoint: string, body: unknown): string {
  return createHash('sha256').update(endpoint).update('\n').update(canonicalJson(body)).digest('hex');
}

class ConcurrentDuplicate extends Error {}

export interface Idempotent<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/**
 * Runs `work` once per (agency, key): a retry with the same key and body gets the first answer
 * and writes nothing; the same key with a different body is a conflict. The key is stored in the
 * same transaction as the work, so a crash leaves neither. A concurrent twin loses on the
 * primary key, rolls back and is answered from the winner's record.
 */
export async function idempotent<T extends { areaId: string }>(
  db: Db,
  principal: Principal,
  endpoint: string,
  key: string | undefined,
  body: unknown,
  work: (trx: Trx) => Promise<T>,
  status = 201,
): Promise<Idempotent<T>> {
  const agencyId = principal.agencyId;
  if (!key || !agencyId) return { status, body: await transaction(db, work), replayed: false };
  const hash = requestHash(endpoint, body);
  for (let attempt = 0; ; attempt++) {
    try {
      return await transaction(db, async (trx) => {
        const existing = await findRecord(trx, agencyId, key);
        if (existing) {
          if (existing.endpoint !== endpoint || existing.request_hash !== hash) {
            throw new ConflictError(
              'This Idempotency-Key was used for a different request. Use a new key for a new submission.',
              { code: 'idempotency-key-reused' },
            );
          }
          const stored = existing.response as unknown;
          return {
            status: existing.status_code,
            body: (typeof stored === 'string' ? JSON.parse(stored) : stored) as T,
            replayed: true,
          };
        }
        const result = await work(trx);
        const inserted = await insertRecord(trx, {
          agency_id: agencyId,
          key,
          area_id: result.areaId,
          endpoint,
          request_hash: hash,
          status_code: status,
          response: JSON.stringify(result),
        });
        if (!inserted) throw new ConcurrentDuplicate();
        return { status, body: result, replayed: false };
      });
    } catch (error) {
      if (error instanceof ConcurrentDuplicate && attempt < 2) continue;
      throw error;
    }
  }
}
