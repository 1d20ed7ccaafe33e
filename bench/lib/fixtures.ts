/**
 * What the operations are run with, drawn from the generated partnership with a seeded stream:
 * families for DANs (mostly people Harbour already knows, some new), agencies' noisy records of
 * known people for matching, names as practitioners type them for search.
 */
import { base, en, en_GB, Faker } from '@faker-js/faker';
import { sql } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import type { DanInput } from '../../src/modules/front-door/types.ts';
import type { NewPerson } from '../../src/modules/people/service.ts';
import { typo } from '../../src/modules/synthetic/noise.ts';
import { Random } from '../../src/modules/synthetic/random.ts';

interface KnownPerson {
  id: string;
  area_id: string;
  kind: 'child' | 'unborn' | 'adult';
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  expected_date: string | null;
  sex: 'male' | 'female' | 'other' | 'unknown' | null;
  nhs_number: string | null;
  line1: string | null;
  town: string | null;
  postcode: string | null;
}

export interface Family {
  areaId: string;
  children: KnownPerson[];
  parents: KnownPerson[];
}

async function people(db: Db, ids: readonly string[]): Promise<KnownPerson[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<KnownPerson>`
    select p.id, p.area_id, p.kind, p.given_name, p.family_name, p.date_of_birth, p.expected_date, p.sex,
           p.nhs_number, a.line1, a.town, a.postcode
    from person p
    left join lateral (
      select line1, town, postcode from person_address
      where person_id = p.id order by to_date desc nulls first limit 1
    ) a on true
    where p.id = any(${[...ids]}::uuid[])`.execute(db);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((p): p is KnownPerson => p !== undefined);
}

/** A random child (with parents) per draw, found through the primary key from a random point. */
export async function sampleFamilies(db: Db, count: number, random: Random): Promise<Family[]> {
  const families: Family[] = [];
  const seen = new Set<string>();
  for (let attempt = 0; families.length < count && attempt < count * 10; attempt++) {
    const from = random.uuid();
    const { rows } = await sql<{ id: string }>`
      select id from person where kind = 'child' and merged_into_id is null and id >= ${from}::uuid
      order by id limit 1`.execute(db);
    const childId = rows[0]?.id;
    if (!childId || seen.has(childId)) continue;
    const related = await db
      .selectFrom('person_relationship')
      .select(['related_person_id', 'kind'])
      .where('person_id', '=', childId)
      .where('kind', 'in', ['parent', 'sibling'])
      .execute();
    const parentIds = related.filter((r) => r.kind === 'parent').map((r) => r.related_person_id);
    if (parentIds.length === 0) continue;
    const siblingIds = related.filter((r) => r.kind === 'sibling').map((r) => r.related_person_id);
    const children = await people(db, [childId, ...siblingIds]);
    for (const c of children) seen.add(c.id);
    families.push({ areaId: children[0]!.area_id, children, parents: await people(db, parentIds) });
  }
  return families;
}

/** An agency's record of a known person: sometimes a slip in a name, often no NHS number. */
export function matchInput(person: KnownPerson, random: Random): NewPerson {
  const input: NewPerson = {
    kind: person.kind,
    givenName: random.chance(0.15) ? typo(random, person.given_name) : person.given_name.split(' ')[0]!,
    familyName: random.chance(0.1) ? typo(random, person.family_name) : person.family_name,
  };
  if (person.date_of_birth) input.dateOfBirth = person.date_of_birth;
  if (person.expected_date) input.expectedDate = person.expected_date;
  if (person.sex) input.sex = person.sex;
  if (person.nhs_number && random.chance(0.5))
    input.identifiers = [{ scheme: 'nhs', value: person.nhs_number }];
  if (person.postcode && person.line1)
    input.addresses = [
      { line1: person.line1, postcode: person.postcode, ...(person.town ? { town: person.town } : {}) },
    ];
  return input;
}

/** What a practitioner types into the search box: a given name and a surname. */
export function searchName(person: KnownPerson): string {
  return `${person.given_name.split(' ')[0]} ${person.family_name}`;
}

const GRADES = ['standard', 'standard', 'standard', 'medium', 'medium', 'high'] as const;

export class DanFactory {
  readonly #families: Family[];
  readonly #random: Random;
  readonly #faker: Faker;
  readonly #runId: string;
  readonly #districts: string[];
  #count = 0;

  constructor(families: Family[], seed: number, districts: string[]) {
    this.#families = families;
    this.#random = new Random(seed);
    this.#faker = new Faker({ locale: [en_GB, en, base], seed });
    this.#runId = `${Date.now().toString(36)}${process.pid.toString(36)}`.toUpperCase();
    this.#districts = districts;
  }

  /**
   * The next DAN: by default three in four about a known household (a repeat incident), one in
   * four a new family; `knownShare` 0 makes every one a new family (a new open contact).
   */
  next(knownShare = 0.75): DanInput {
    const r = this.#random;
    this.#count++;
    const reference = `BENCH/${this.#runId}/${this.#count}`;
    const occurredAt = new Date(Date.now() - r.int(1, 20) * 3_600_000).toISOString();
    const grade = r.pick(GRADES);
    const family = r.chance(knownShare) ? r.pick(this.#families) : null;
    const known = family ? this.#known(family) : this.#invented();
    return {
      incident: {
        policeReference: reference,
        occurredAt,
        location: known.location,
        circumstances:
          'Neighbour called police after hearing shouting and breaking glass; officers attended.',
        reportedBy: r.pick(['victim', 'neighbour', 'family-member'] as const),
      },
      victim: known.victim,
      suspects: known.suspects,
      children: known.children.map((c) => ({
        ...c,
        livesAtAddress: true,
        present: r.chance(0.5),
        witnessed: r.chance(0.4),
        injured: false,
      })),
      risk: {
        dashStatus: 'completed',
        dashScore: grade === 'high' ? 15 : grade === 'medium' ? 9 : 3,
        officerRiskGrade: grade,
      },
      consent: r.chance(0.7)
        ? { asked: true, given: true }
        : {
            asked: true,
            given: false,
            reasonSharingWithoutConsent: 'Children at risk of significant harm in the household',
          },
      earlyHelp: { offered: true, response: 'considering' },
      officer: { name: 'PC Bench', collarNumber: String(r.int(1000, 9999)) },
    };
  }

  #known(family: Family) {
    const mother = family.parents.find((p) => p.sex === 'female') ?? family.parents[0]!;
    const other = family.parents.find((p) => p !== mother);
    const details = (p: KnownPerson) => ({
      givenName: p.given_name,
      familyName: p.family_name,
      ...(p.date_of_birth ? { dateOfBirth: p.date_of_birth } : {}),
      ...(p.sex ? { sex: p.sex } : {}),
      ...(p.nhs_number && this.#random.chance(0.3) ? { nhsNumber: p.nhs_number } : {}),
    });
    const home = family.children[0]!;
    return {
      location: {
        line1: home.line1 ?? '1 High Street',
        ...(home.town ? { town: home.town } : {}),
        postcode: home.postcode!,
      },
      victim: details(mother),
      suspects: other ? [{ ...details(other), relationshipToVictim: 'partner' }] : [],
      children: family.children.map((c) =>
        c.kind === 'unborn'
          ? {
              givenName: c.given_name,
              familyName: c.family_name,
              unborn: true,
              expectedDate: c.expected_date!,
            }
          : details(c),
      ),
    };
  }

  #invented() {
    const f = this.#faker;
    const r = this.#random;
    const family = f.person.lastName();
    const year = new Date().getUTCFullYear();
    const dob = (minAge: number, maxAge: number) =>
      `${year - r.int(minAge, maxAge)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
    const district = r.pick(this.#districts);
    return {
      location: {
        line1: `${r.int(1, 200)} ${f.location.street()}`,
        postcode: `${district} ${r.int(1, 9)}AB`,
      },
      victim: {
        givenName: f.person.firstName('female'),
        familyName: family,
        dateOfBirth: dob(22, 45),
        sex: 'female' as const,
      },
      suspects: [
        {
          givenName: f.person.firstName('male'),
          familyName: f.person.lastName(),
          dateOfBirth: dob(22, 50),
          sex: 'male' as const,
        },
      ],
      children: Array.from({ length: r.int(1, 3) }, () => {
        const sex = r.chance(0.5) ? ('female' as const) : ('male' as const);
        return { givenName: f.person.firstName(sex), familyName: family, dateOfBirth: dob(1, 15), sex };
      }),
    };
  }
}
