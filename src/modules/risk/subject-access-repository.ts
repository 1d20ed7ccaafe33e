import { sql } from 'kysely';
import { rowsWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';

/** Risk assessments that name these records as victim, child or perpetrator, and the child's summaries. */
export async function subjectAccessAssessments(conn: Db | Trx, personIds: readonly string[]) {
  if (personIds.length === 0) return { assessments: [], summaries: [] };
  const ids = [...personIds];
  const [assessments, summaries] = await Promise.all([
    conn
      .selectFrom('risk_assessment')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('victim_person_id', 'in', ids),
          sql<boolean>`child_person_ids && ${ids}::uuid[]`,
          sql<boolean>`perpetrator_person_ids && ${ids}::uuid[]`,
        ]),
      )
      .orderBy('assessed_at')
      .execute(),
    rowsWhere(
      conn.selectFrom('risk_summary').select(['id', 'child_person_id', 'level', 'created_at']),
      {
        child_person_id: ids,
      },
      'created_at',
    ),
  ]);
  return { assessments, summaries };
}
