import type { Db } from '../../src/db/database.ts';

/** The id of a seeded area (a local-authority area such as `northbridge`), by its code. */
export async function seededAreaId(db: Db, code: string): Promise<string> {
  const row = await db.selectFrom('area').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  return row.id;
}
