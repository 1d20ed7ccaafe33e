import type { Db } from '../../db/database.ts';
import { assertAllowed } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type FieldError, ValidationError } from '../../platform/errors.ts';
import type { Principal } from '../../platform/principal.ts';
import type { PeopleService } from '../people/service.ts';
import { CRITERIA, type Referral } from './schemas.ts';

export type ReferralFormValues = Record<string, string | string[]>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const one = (v: string | string[] | undefined) => ((Array.isArray(v) ? v[0] : v) ?? '').trim();
const many = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v : v ? [v] : []).filter((x) => x.trim());

/**
 * What the referral page offers, started from a person's record ("Refer to MARAC" on the
 * cumulative-risk panel): from a child, the adults linked to them as possible victims and
 * perpetrators and the household's children; from an adult, that adult as the victim.
 */
export async function referralForm(
  db: Db,
  people: PeopleService,
  context: AuditContext,
  principal: Principal,
  values: ReferralFormValues,
) {
  const personId = one(values.person) || one(values.victimPersonId);
  if (!UUID.test(personId)) return { adults: [], children: [], person: null };
  const { person } = await people.accessFacts(personId);
  assertAllowed(
    principal,
    'marac:refer',
    { areaId: person.area_id },
    { type: 'marac-referral', personIds: [personId] },
  );
  const adults =
    person.kind === 'adult'
      ? [{ id: person.id }]
      : (await people.linkedAdults(person.id)).map((a) => ({ id: a.id }));
  const childIds =
    person.kind === 'adult'
      ? await people.linkedChildren([person.id])
      : await people.linkedChildren(adults.map((a) => a.id));
  const named = new Map(
    (await people.personNames([...adults.map((a) => a.id), ...childIds])).map((p) => [p.id, p]),
  );
  await recordAudit(db, context, {
    action: 'marac.referral.start',
    subjectType: 'person',
    subjectId: personId,
    personIds: [...named.keys()],
    areaId: person.area_id,
  });
  return {
    person: { id: person.id, kind: person.kind },
    adults: adults.map((a) => named.get(a.id)).filter((p) => p !== undefined),
    children: childIds.map((id) => named.get(id)).filter((p) => p !== undefined),
  };
}

/** The form's fields as the API's request shape; a malformed field is refused by name. */
export function referralFromForm(body: ReferralFormValues): Referral {
  const errors: FieldError[] = [];
  const victimPersonId = one(body.victimPersonId);
  if (!UUID.test(victimPersonId)) errors.push({ field: 'victimPersonId', message: 'Choose the victim' });
  const criterion = one(body.criterion);
  if (!(CRITERIA as readonly string[]).includes(criterion))
    errors.push({ field: 'criterion', message: 'Choose the criterion the referral meets' });
  const consent = one(body.consent);
  if (consent !== 'given' && consent !== 'not-given')
    errors.push({ field: 'consent', message: 'Say whether the victim consented to the referral' });
  const score = one(body.dashScore);
  if (score && !/^\d{1,2}$/.test(score))
    errors.push({ field: 'dashScore', message: 'Enter the DASH score as a number' });
  const ids = (name: string) => many(body[name]).filter((id) => UUID.test(id));
  if (errors.length) throw new ValidationError(errors);
  const diversity = many(body.diversity);
  const text = (name: string) => (one(body[name]) ? { [name]: one(body[name]).slice(0, 2000) } : {});
  return {
    forum: one(body.forum) === 'panel' ? 'panel' : 'marac',
    victimPersonId,
    perpetratorPersonIds: ids('perpetratorPersonIds').filter((id) => id !== victimPersonId),
    childPersonIds: ids('childPersonIds'),
    criterion: criterion as Referral['criterion'],
    consent: consent as Referral['consent'],
    ...(score ? { dashScore: Number(score) } : {}),
    ...(UUID.test(one(body.riskAssessmentId)) ? { riskAssessmentId: one(body.riskAssessmentId) } : {}),
    ...text('judgementReason'),
    ...text('sharingReason'),
    ...text('dashReference'),
    diversity: {
      bme: diversity.includes('bme'),
      lgbt: diversity.includes('lgbt'),
      disability: diversity.includes('disability'),
    },
  };
}
