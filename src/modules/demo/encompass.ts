import { base, en, en_GB, Faker } from '@faker-js/faker';
import { transaction } from '../../db/database.ts';
import type { SchoolPhase } from '../../domain/encompass.ts';
import type { AuditContext } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import type { Principal } from '../../platform/principal.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { EncompassService } from '../encompass/service.ts';
import { defineFrontDoorQueues } from '../front-door/clock-jobs.ts';
import type { FrontDoorService } from '../front-door/service.ts';
import { DEMO_AGENCIES } from './partnership.ts';

/**
 * Operation Encompass in the demo partnership (docs/encompass.md): every demo school with a
 * synthetic URN (the 99xxxxx range the DfE does not issue), phase and ages, Riverside Primary's
 * key adult (the demo DSL); with `withStory`, a term calendar for the school year, two
 * unacknowledged notices for Riverside Primary (a DAN naming a child on its roll and a custody
 * episode of another) and one for Northbridge's education safeguarding officer (a home-educated
 * child), all made through the services as police would make them.
 */
export async function seedEncompassDemo(
  services: {
    deps: Deps;
    directory: DirectoryService;
    frontDoor: FrontDoorService;
    encompass: EncompassService;
  },
  context: AuditContext,
  options: { withStory: boolean },
): Promise<number> {
  const { deps, directory, encompass } = services;
  const schools = DEMO_AGENCIES.filter((a) => a.kind === 'school');
  const agencies = new Map(
    (await directory.agenciesByCode(schools.map((s) => s.code))).map((a) => [a.code, a]),
  );
  const areas = new Map((await directory.listAreas()).map((a) => [a.code, a]));
  const dsl = await directory.findUserByEmail('school.dsl@harbour.example');
  await transaction(deps.db, async (trx) => {
    for (const [i, school] of schools.entries()) {
      const agency = agencies.get(school.code);
      const area = areas.get(school.areas[0]!);
      if (!agency || !area) continue;
      const secondary = /High|Academy|College/.test(school.name);
      const infant = /Infant/.test(school.name);
      const phase: SchoolPhase = /College/.test(school.name)
        ? '16-plus'
        : secondary
          ? 'secondary'
          : 'primary';
      await encompass.linkSchool(trx, context, {
        agencyId: agency.id,
        areaId: area.id,
        urn: String(9_900_001 + i),
        phase,
        low: phase === '16-plus' ? 16 : secondary ? 11 : 4,
        high: phase === '16-plus' ? 19 : secondary ? 18 : infant ? 7 : 11,
        postcode: `${area.postcode_districts[0] ?? 'NB1'} ${1 + (i % 9)}AA`,
        keyAdultUserId: school.code === 'school-riverside-primary-school' && dsl ? dsl.id : null,
        deputyUserIds: [],
        contactEmail: `safeguarding@${school.code}.school.example`,
      });
    }
    if (options.withStory) {
      // The school year around today: half terms and holidays between the terms, two INSET days.
      const now = deps.now();
      const y = now.getUTCMonth() >= 7 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
      const terms = [
        [`${y}-09-03`, `${y}-10-23`],
        [`${y}-11-02`, `${y}-12-18`],
        [`${y + 1}-01-05`, `${y + 1}-02-12`],
        [`${y + 1}-02-22`, `${y + 1}-03-26`],
        [`${y + 1}-04-12`, `${y + 1}-05-28`],
        [`${y + 1}-06-07`, `${y + 1}-07-21`],
      ];
      for (const area of areas.values()) {
        for (const [start, end] of terms)
          await trx
            .insertInto('encompass_calendar_day')
            .values({
              area_id: area.id,
              kind: 'term',
              starts_on: start!,
              ends_on: end!,
              note: 'Demonstration term',
              created_by_name: context.principal.name,
            })
            .execute();
        for (const day of [`${y}-11-02`, `${y + 1}-02-22`])
          await trx
            .insertInto('encompass_calendar_day')
            .values({
              area_id: area.id,
              kind: 'inset',
              starts_on: day,
              ends_on: day,
              note: 'Staff training day',
              created_by_name: context.principal.name,
            })
            .execute();
      }
    }
  });
  if (!options.withStory) return 0;
  return seedRiversideNotices(services);
}

async function seedRiversideNotices(services: {
  deps: Deps;
  directory: DirectoryService;
  frontDoor: FrontDoorService;
  encompass: EncompassService;
}): Promise<number> {
  const { deps, directory, frontDoor, encompass } = services;
  const officerUser = await directory.findUserByEmail('police.officer@harbour.example');
  const officer = officerUser ? await directory.principalForUser(officerUser.id) : null;
  const [riverside] = await directory.agenciesByCode(['school-riverside-primary-school']);
  if (!officer || !riverside) return 0;
  await defineFrontDoorQueues(deps);
  if (deps.jobs)
    for (const queue of ['encompass.release', 'encompass.escalate']) await deps.jobs.define(queue);
  // Two children on Riverside Primary's roll, from different households.
  const onRoll = await deps.db
    .selectFrom('access_relationship')
    .innerJoin('person', 'person.id', 'access_relationship.person_id')
    .leftJoin('person_address', (join) =>
      join.onRef('person_address.person_id', '=', 'person.id').on('person_address.to_date', 'is', null),
    )
    .select([
      'person.id',
      'person.given_name',
      'person.family_name',
      'person.date_of_birth',
      'person.sex',
      'person_address.line1',
      'person_address.town',
      'person_address.postcode',
    ])
    .where('access_relationship.agency_id', '=', riverside.id)
    .where('access_relationship.basis', '=', 'school-on-roll')
    .where('person.kind', '=', 'child')
    .orderBy('person.created_at')
    .orderBy('person.id')
    .execute();
  const first = onRoll.find((c) => c.postcode && c.date_of_birth);
  const second = onRoll.find((c) => c.id !== first?.id && c.postcode !== first?.postcode);
  if (!first) return 0;
  const now = deps.now();
  const occurred = new Date(now.getTime() - 5 * 3_600_000);
  await frontDoor.submitDan(
    { principal: officer },
    {
      incident: {
        policeReference: 'NB/DEMO/ENC-2001',
        occurredAt: occurred.toISOString(),
        location: {
          line1: first.line1 ?? '1 Demonstration Street',
          ...(first.town ? { town: first.town } : {}),
          postcode: first.postcode!,
        },
        circumstances:
          'Demonstration record: a neighbour heard shouting and a door slammed; officers found the mother upset and the father had left.',
        reportedBy: 'neighbour',
      },
      victim: { givenName: 'Demo', familyName: `${first.family_name}-Parent`, sex: 'female' },
      suspects: [],
      children: [
        {
          givenName: first.given_name,
          familyName: first.family_name,
          dateOfBirth: first.date_of_birth!,
          ...(first.sex === 'male' || first.sex === 'female' ? { sex: first.sex } : {}),
          livesAtAddress: true,
          present: true,
          witnessed: true,
          injured: false,
          childSaid: 'I put my headphones on and stayed in my room.',
          school: { agencyCode: 'school-riverside-primary-school' },
        },
      ],
      risk: { dashStatus: 'completed', dashScore: 9, officerRiskGrade: 'medium' },
      consent: { asked: true, given: true },
      earlyHelp: { offered: true, response: 'accepted' },
    },
    { idempotencyKey: 'demo-encompass-dan' },
  );
  const educatedAtHome = await seedLocalAuthorityNotice(frontDoor, officer, now);
  if (!second) return 1 + educatedAtHome;
  await encompass.shareEpisode(
    { principal: officer },
    {
      personId: second.id,
      kind: 'custody',
      policeReference: 'NB/DEMO/CUST-3001',
      occurredAt: new Date(now.getTime() - 20 * 3_600_000).toISOString(),
      place: 'Northbridge police station',
      summary:
        'Demonstration record: held for some hours with an appropriate adult, released without charge.',
    },
  );
  return 2 + educatedAtHome;
}

/**
 * A DAN naming a home-educated child (generated, seeded): its notice goes to Northbridge's
 * education safeguarding officer, so the demo officer has one to acknowledge.
 */
async function seedLocalAuthorityNotice(frontDoor: FrontDoorService, officer: Principal, now: Date) {
  const faker = new Faker({ locale: [en_GB, en, base], seed: 1414 });
  const familyName = faker.person.lastName();
  const born = new Date(now.getTime() - 10 * 365.25 * 86_400_000).toISOString().slice(0, 10);
  const inTheNextRoom = {
    livesAtAddress: true,
    present: true,
    witnessed: false,
    injured: false,
    homeEducated: true,
  };
  await frontDoor.submitDan(
    { principal: officer },
    {
      incident: {
        policeReference: 'NB/DEMO/ENC-2002',
        occurredAt: new Date(now.getTime() - 3 * 3_600_000).toISOString(),
        location: {
          line1: `${faker.number.int({ min: 2, max: 90 })} Demonstration Road`,
          postcode: 'NB2 3AA',
        },
        circumstances:
          'Demonstration record: a caller reported a row between the parents; the child, educated at home, was in the next room.',
        reportedBy: 'victim',
      },
      victim: { givenName: faker.person.firstName('female'), familyName, sex: 'female' },
      suspects: [],
      // In the next room: present, neither saw it nor was hurt; not at any school.
      children: [{ ...inTheNextRoom, givenName: faker.person.firstName(), familyName, dateOfBirth: born }],
      risk: { dashStatus: 'completed', dashScore: 6, officerRiskGrade: 'standard' },
      consent: { asked: true, given: true },
      earlyHelp: { offered: false },
    },
    { idempotencyKey: 'demo-encompass-home-educated' },
  );
  return 1;
}
