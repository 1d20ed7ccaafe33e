import { transaction } from '../../db/database.ts';
import type { AuditContext } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import type { FlagsService } from '../flags/service.ts';

/**
 * The demo's health story (issue 15), with NHS numbers the README lists: a child on a
 * child-protection plan, the mother discussed at MARAC, the father known with nothing to flag.
 * The numbers are synthetic (the 999 range is never issued) and pass the modulus-11 check.
 */
export const DEMO_NHS_NUMBERS = {
  cpPlanChild: '9990012342',
  maracMother: '9990012350',
  knownNoFlags: '9990012369',
  notKnown: '9990012377',
} as const;

export async function seedHealthDemo(
  services: { deps: Deps; flags: FlagsService },
  context: AuditContext,
): Promise<void> {
  const { deps, flags } = services;
  // The demo partnership's reference rows are known by their codes.
  const byCode = (table: 'area' | 'agency', code: string) =>
    deps.db.selectFrom(table).select('id').where('code', '=', code).executeTakeFirstOrThrow();
  const area = await byCode('area', 'northbridge');
  const child = await deps.db
    .selectFrom('person')
    .select(['id'])
    .where('area_id', '=', area.id)
    .where('kind', '=', 'child')
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  if (!child) return;
  const parents = await deps.db
    .selectFrom('person_relationship')
    .innerJoin('person', 'person.id', 'person_relationship.related_person_id')
    .select(['person.id', 'person.sex'])
    .where('person_relationship.person_id', '=', child.id)
    .where('person_relationship.kind', '=', 'parent')
    .orderBy('person.id')
    .execute();
  const mother = parents.find((p) => p.sex === 'female') ?? parents[0];
  const father = parents.find((p) => p.id !== mother?.id);
  const csc = await byCode('agency', 'northbridge-csc');
  const idva = await byCode('agency', 'idva-service');
  await transaction(deps.db, async (trx) => {
    const setNhs = async (personId: string, nhs: string) => {
      await trx.updateTable('person').set({ nhs_number: nhs }).where('id', '=', personId).execute();
      await trx
        .updateTable('person_identifier')
        .set({ value: nhs })
        .where('person_id', '=', personId)
        .where('scheme', '=', 'nhs')
        .execute();
    };
    await setNhs(child.id, DEMO_NHS_NUMBERS.cpPlanChild);
    if (mother) await setNhs(mother.id, DEMO_NHS_NUMBERS.maracMother);
    if (father) await setNhs(father.id, DEMO_NHS_NUMBERS.knownNoFlags);
    const today = deps.now().toISOString().slice(0, 10);
    await flags.raise(trx, context, {
      personId: child.id,
      type: 'child-protection-plan',
      start: today,
      contact: 'Northbridge MASH duty line 01632 960000 (synthetic)',
      owningAgencyId: csc.id,
    });
    if (mother)
      await flags.raise(trx, context, {
        personId: mother.id,
        type: 'marac',
        start: today,
        contact: 'Harbourshire MARAC coordinator 01632 960111 (synthetic)',
        owningAgencyId: idva.id,
      });
  });
}
