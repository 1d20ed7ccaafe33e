import type { Insertable, Updateable } from 'kysely';
import { updateWhere } from '../../../db/common-queries.ts';
import type { Trx } from '../../../db/database.ts';
import type { DB } from '../../../db/schema.ts';

export function insertDecision(trx: Trx, row: Insertable<DB['decision']>) {
  return trx.insertInto('decision').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function updateDecision(trx: Trx, id: string, changes: Updateable<DB['decision']>) {
  await updateWhere(trx.updateTable('decision').set(changes), { id });
}
