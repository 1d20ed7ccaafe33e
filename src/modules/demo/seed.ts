import type { Insertable } from 'kysely';
import { type Trx, transaction } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import type { Deps } from '../../platform/deps.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { EncompassService } from '../encompass/service.ts';
import type { FlagsService } from '../flags/service.ts';
import { seedFrontDoorDemo } from '../front-door/demo.ts';
import type { FrontDoorService } from '../front-door/service.ts';
import { seedMaracDemo } from '../marac/demo.ts';
import type { MaracService } from '../marac/service.ts';
import type { NotificationsService } from '../notifications/service.ts';
import type { NewPerson, PeopleService } from '../people/service.ts';
import { seedStrategyDiscussionDemo } from '../strategy-discussions/demo.ts';
import type { StrategyDiscussionService } from '../strategy-discussions/service.ts';
import { seedEncompassDemo } from './encompass.ts';
import { generateHouseholds } from './families.ts';
import { seedHealthDemo } from './health.ts';
import { type DemoChild, seedNotificationsDemo } from './notifications.ts';
import { DEMO_AGENCIES, DEMO_AREAS, DEMO_PASSWORD, DEMO_TEAMS, DEMO_USERS } from './partnership.ts';

export interface SeedResult {
  seeded: boolean;
  people: number;
  users: number;
}

/** The reference tables the seed fills, each keyed by a code the later rows refer to. */
type ReferenceTable = 'area' | 'agency' | 'team' | 'app_user';

/**
 * Inserts one row per item, in order, and maps each item's key (its code, or a user's email) to
 * the new row's id, which the rows inserted after it refer to.
 */
async function insertEach<K extends ReferenceTable, T extends Record<F, string>, F extends keyof T>(
  trx: Trx,
  table: K,
  items: readonly T[],
  key: F,
  row: (item: T) => Insertable<DB[K]>,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const item of items) {
    const inserted = await trx.insertInto(table).values(row(item)).returning('id').executeTakeFirstOrThrow();
    ids.set(item[key], inserted.id);
  }
  return ids;
}

/** True when the database holds no partnership yet (first start). */
export async function isEmpty(deps: Deps): Promise<boolean> {
  const row = await deps.db.selectFrom('area').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/**
 * Seeds the fictional demo partnership in one transaction: all of it or none.
 * Refuses to run on a database that already has a partnership.
 */
/** The services the demo seed works through, built by the composition root. */
export interface DemoServices {
  deps: Deps;
  directory: DirectoryService;
  people: PeopleService;
  frontDoor: FrontDoorService;
  strategyDiscussions?: StrategyDiscussionService;
  /** MARAC: last week's meeting with open actions and next week's agenda (not in the small tests seed). */
  marac?: MaracService;
  /** Flags for the demo's health story (issue 15); the seed skips it when absent. */
  flags?: FlagsService;
  /** Operation Encompass: the schools directory, a term calendar and two notices (docs/encompass.md). */
  encompass?: EncompassService;
  /** The outbox, for the demo's agency channels and inbox messages; the seed skips them when absent. */
  notifications?: Pick<NotificationsService, 'enqueue' | 'configureAgency'>;
}

export async function seedDemo(
  services: DemoServices,
  context: AuditContext,
  options: {
    seed?: number;
    householdsPerArea?: number;
    frontDoorContacts?: number;
    inboxMessages?: boolean;
  } = {},
): Promise<SeedResult> {
  const { deps, people } = services;
  if (!(await isEmpty(deps))) return { seeded: false, people: 0, users: 0 };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const households = generateHouseholds({
    seed: options.seed ?? 20261126,
    perArea: options.householdsPerArea ?? 30,
    areas: DEMO_AREAS,
    today: deps.now(),
  });
  const result = await transaction(deps.db, async (trx) => {
    const areaIds = await insertEach(trx, 'area', DEMO_AREAS, 'code', (area) => ({
      code: area.code,
      name: area.name,
      postcode_districts: [...area.districts],
    }));
    const agencyIds = await insertEach(trx, 'agency', DEMO_AGENCIES, 'code', (agency) => ({
      code: agency.code,
      name: agency.name,
      kind: agency.kind,
      ofsted_urn: null,
    }));
    await trx
      .insertInto('agency_area')
      .values(
        DEMO_AGENCIES.flatMap((agency) =>
          agency.areas.map((a) => ({ agency_id: agencyIds.get(agency.code)!, area_id: areaIds.get(a)! })),
        ),
      )
      .execute();
    const teamIds = await insertEach(trx, 'team', DEMO_TEAMS, 'code', (team) => ({
      code: team.code,
      name: team.name,
      agency_id: agencyIds.get(team.agency)!,
      area_id: team.area ? areaIds.get(team.area)! : null,
    }));
    const userIds = await insertEach(trx, 'app_user', DEMO_USERS, 'email', (user) => ({
      email: user.email,
      display_name: user.name,
      agency_id: agencyIds.get(user.agency)!,
      team_id: user.team ? teamIds.get(user.team)! : null,
      roles: user.roles,
      password_hash: passwordHash,
    }));

    const schoolsByArea = new Map<string, string[]>();
    for (const agency of DEMO_AGENCIES.filter((a) => a.kind === 'school')) {
      const list = schoolsByArea.get(agency.areas[0]!) ?? [];
      list.push(agencyIds.get(agency.code)!);
      schoolsByArea.set(agency.areas[0]!, list);
    }
    const gpByArea = new Map([
      ['northbridge', agencyIds.get('gp-riverside')!],
      ['southmere', agencyIds.get('gp-old-mill')!],
    ]);
    const healthVisiting = agencyIds.get('community-health')!;

    let count = 0;
    const demoChildren: DemoChild[] = [];
    for (const household of households) {
      const areaId = areaIds.get(household.areaCode)!;
      // The demo records read as if each area's children's services had entered them.
      const recorder = {
        ...context,
        principal: { ...context.principal, agencyId: agencyIds.get(`${household.areaCode}-csc`)! },
      };
      const adultIds: string[] = [];
      for (const adult of household.adults) {
        const created = await people.insertPerson(trx, recorder, {
          ...adult,
          areaId,
          relationships: [{ agencyId: gpByArea.get(household.areaCode)!, basis: 'registered-gp' }],
        });
        adultIds.push(created.id);
        count++;
      }
      const childIds: string[] = [];
      for (const [index, child] of household.children.entries()) {
        const school = household.schoolIndex[index]!;
        const links: NonNullable<NewPerson['relationships']> = [
          { agencyId: gpByArea.get(household.areaCode)!, basis: 'registered-gp' },
        ];
        if (school >= 0)
          links.push({ agencyId: schoolsByArea.get(household.areaCode)![school]!, basis: 'school-on-roll' });
        else links.push({ agencyId: healthVisiting, basis: 'health-visitor' });
        const created = await people.insertPerson(trx, recorder, { ...child, areaId, relationships: links });
        childIds.push(created.id);
        demoChildren.push({
          id: created.id,
          name: `${child.givenName} ${child.familyName}`,
          areaId,
          schoolAgencyId: school >= 0 ? schoolsByArea.get(household.areaCode)![school]! : null,
          parentIds: adultIds,
        });
        count++;
      }
      const [mother, father] = adultIds as [string, string];
      await people.addRelationship(trx, recorder, {
        personId: mother,
        relatedPersonId: father,
        kind: household.separated ? 'ex-partner' : 'partner',
        areaId,
      });
      await people.addRelationship(trx, recorder, {
        personId: father,
        relatedPersonId: mother,
        kind: household.separated ? 'ex-partner' : 'partner',
        areaId,
      });
      for (const childId of childIds) {
        for (const parent of [mother, father]) {
          await people.addRelationship(trx, recorder, {
            personId: childId,
            relatedPersonId: parent,
            kind: 'parent',
            areaId,
          });
          await people.addRelationship(trx, recorder, {
            personId: parent,
            relatedPersonId: childId,
            kind: 'child',
            areaId,
          });
        }
        for (const sibling of childIds) {
          if (sibling !== childId)
            await people.addRelationship(trx, recorder, {
              personId: childId,
              relatedPersonId: sibling,
              kind: 'sibling',
              areaId,
            });
        }
      }
    }
    // Agency channels and a few unread messages (the small tests seed leaves them out, as it does contacts).
    if (services.notifications && (options.inboxMessages ?? (options.householdsPerArea ?? 30) >= 10))
      await seedNotificationsDemo(trx, services.notifications, context, {
        now: deps.now(),
        agencyIds,
        socialWorkerId: userIds.get('social.worker@harbour.example')!,
        children: demoChildren.filter((c) => !c.name.startsWith('Unborn ')),
      });
    await recordAudit(trx, context, {
      action: 'demo.seed',
      details: { people: count, users: DEMO_USERS.length },
    });
    return { seeded: true, people: count, users: DEMO_USERS.length };
  });
  // A few notifications in the front-door queue; the small partnership tests seed starts with none.
  const perArea = options.householdsPerArea ?? 30;
  // Schools with URNs and key adults always; the term calendar and two notices in the full demo.
  if (services.encompass)
    await seedEncompassDemo({ ...services, encompass: services.encompass }, context, {
      withStory: perArea >= 10,
    });
  await seedFrontDoorDemo(services, options.frontDoorContacts ?? (perArea >= 10 ? 4 : 0));
  // A strategy discussion with open actions (the small tests seed leaves it out, as it does contacts).
  if (services.strategyDiscussions && perArea >= 10)
    await seedStrategyDiscussionDemo({ ...services, strategyDiscussions: services.strategyDiscussions });
  if (services.marac && perArea >= 10) await seedMaracDemo({ ...services, marac: services.marac });
  // The ED nurse's story: a CP-plan child and a MARAC-flagged mother (not in the small tests seed).
  if (services.flags && perArea >= 10) await seedHealthDemo({ deps, flags: services.flags }, context);
  return result;
}
