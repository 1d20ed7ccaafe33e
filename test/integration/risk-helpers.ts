import type { App } from '../../src/app.ts';
import { getInstrument } from '../../src/domain/instruments/index.ts';
import type { RelationshipBasis } from '../../src/platform/access.ts';
import { cliPrincipal, type Principal } from '../../src/platform/principal.ts';
import { buildServices } from '../../src/services.ts';
import { seededAgencyId, type TestDeps } from '../helpers/deps.ts';

/** Answers to every question of an instrument: "yes" to the first `yes` questions, "no" to the rest. */
export function dashAnswers(instrumentId: string, version: string, yes: number) {
  const instrument = getInstrument(instrumentId, version)!;
  return Object.fromEntries(
    instrument.questions.map((q, i) => [q.id, { value: i < yes ? 'yes' : 'no' }]),
  ) as Record<string, { value: 'yes' | 'no' }>;
}

export async function apiKeyFor(deps: TestDeps, agencyCode: string): Promise<string> {
  const created = await buildServices(deps).directory.createApiKey(
    { principal: cliPrincipal('test') },
    agencyCode,
    `test ${agencyCode}`,
  );
  return created.key;
}

export async function principalFor(deps: TestDeps, email: string): Promise<Principal> {
  const directory = buildServices(deps).directory;
  const user = await directory.findUserByEmail(email);
  return (await directory.principalForUser(user!.id))!;
}

export function api(app: App, key: string) {
  const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, body: unknown) => call('POST', url, body),
  };
}

/** A demo household in an area: mother, father and their children (from the seeded relationships). */
export async function household(deps: TestDeps, areaCode = 'northbridge', index = 0) {
  const children = await deps.db
    .selectFrom('person')
    .innerJoin('area', 'area.id', 'person.area_id')
    .select(['person.id', 'person.area_id', 'person.date_of_birth'])
    .where('area.code', '=', areaCode)
    .where('person.kind', '=', 'child')
    .where('person.date_of_birth', 'is not', null)
    .orderBy('person.id')
    .execute();
  const child = children[index]!;
  const parents = await deps.db
    .selectFrom('person_relationship')
    .select('related_person_id')
    .where('person_id', '=', child.id)
    .where('kind', '=', 'parent')
    .orderBy('related_person_id')
    .execute();
  const siblings = await deps.db
    .selectFrom('person_relationship')
    .select('related_person_id')
    .where('person_id', '=', child.id)
    .where('kind', '=', 'sibling')
    .execute();
  return {
    childId: child.id,
    areaId: child.area_id,
    dateOfBirth: child.date_of_birth!,
    parentIds: parents.map((p) => p.related_person_id),
    siblingIds: siblings.map((s) => s.related_person_id),
  };
}

/** Records an agency's standing relationship with a person, as the MASH would grant it. */
export async function grantAccess(
  deps: TestDeps,
  grant: { personId: string; agencyId: string; areaId: string; basis: RelationshipBasis },
) {
  await deps.db
    .insertInto('access_relationship')
    .values({
      person_id: grant.personId,
      agency_id: grant.agencyId,
      area_id: grant.areaId,
      basis: grant.basis,
      granted_by_name: 'Test setup',
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Puts the household's child on the school's roll: the school's standing relationship with them. */
export async function putOnSchoolRoll(
  deps: TestDeps,
  family: { childId: string; areaId: string },
  schoolAgencyId?: string,
) {
  const agencyId = schoolAgencyId ?? (await seededAgencyId(deps, 'school-riverside-primary-school'));
  await grantAccess(deps, {
    personId: family.childId,
    agencyId,
    areaId: family.areaId,
    basis: 'school-on-roll',
  });
}
