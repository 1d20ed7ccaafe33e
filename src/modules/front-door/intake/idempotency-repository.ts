import type { Insertable } from 'kysely';
import type { Trx } from '../../../db/database.ts';
import type { DB } from '../../../db/schema.ts';

/** The answer already given to an agency's key, if any. */
export function findRecord(trx: Trx, agencyId: string, key: string) {
  return trx
    .selectFrom('idempotency_record')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .where('key', '=', key)
    .executeTakeFirst();
}

/** Keeps the answer; undefined when another request with the same key got there first. */
export function insertRecord(trx: Trx, row: Insertable<DB['idempotency_record']>) {
  return trx
    .insertInto('idempotency_record')
    .values(row)
    .onConflict((oc) => oc.columns(['agency_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
}
