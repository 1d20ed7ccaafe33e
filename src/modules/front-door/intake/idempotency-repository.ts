import type { Insertable } from 'kysely';
import { rowWhere } from '../../../db/common-queries.ts';
import type { Trx } from '../../../db/database.ts';
import type { DB } from '../../../db/schema.ts';

/** The answer already given to an agency's key, if any. */
export function findRecord(trx: Trx, agencyId: string, key: string) {
  return rowWhere(trx.selectFrom('idempotency_record').selectAll(), { agency_id: agencyId, key });
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
