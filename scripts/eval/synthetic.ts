/**
 * A seeded synthetic population of children and the noisy records that different agencies would
 * hold about them. Households share a surname and an address, and some contain twins, so the
 * evaluation measures the errors that matter most: linking one child's record to a sibling's.
 * All people are invented (faker, en_GB locale); NHS numbers are in the 999 test range.
 */
import { base, en, en_GB, Faker } from '@faker-js/faker';
import { syntheticNhsNumber, syntheticUpn } from '../../src/domain/identifiers.ts';
import { seededRandom } from '../../src/domain/matching/model.ts';
import type { PersonRecord } from '../../src/domain/matching.ts';

export interface TruePerson {
  id: number;
  household: number;
  twinOf: number | null;
  givenName: string;
  middleName: string | null;
  familyName: string;
  dateOfBirth: string;
  sex: 'male' | 'female';
  postcode: string;
  addressLine: string;
  nhsNumber: string;
  upn: string | null;
}

export interface LabelledRecord {
  personId: number;
  household: number;
  agency: string;
  record: PersonRecord;
}

// Short forms the agencies use; a subset of the matcher's table plus some it does not know, so the
// evaluation is not simply reading back the matcher's own list.
const NICKNAMES: Record<string, string[]> = {
  William: ['Will', 'Billy', 'Liam'],
  Elizabeth: ['Liz', 'Beth', 'Lizzie'],
  Alfred: ['Alfie'],
  Alexander: ['Alex'],
  Alexandra: ['Alex', 'Lexi'],
  Benjamin: ['Ben'],
  Charlotte: ['Lottie', 'Charlie'],
  Christopher: ['Chris'],
  Daniel: ['Dan', 'Danny'],
  Edward: ['Eddie', 'Ted'],
  Isabella: ['Bella', 'Izzy'],
  James: ['Jamie', 'Jim'],
  Jessica: ['Jess'],
  Joseph: ['Joe'],
  Katherine: ['Kate', 'Katie'],
  Margaret: ['Maggie'],
  Matthew: ['Matt'],
  Michael: ['Mike', 'Mikey'],
  Nicholas: ['Nick'],
  Oliver: ['Ollie'],
  Rebecca: ['Becky'],
  Robert: ['Rob', 'Bobby'],
  Samuel: ['Sam'],
  Samantha: ['Sam'],
  Thomas: ['Tom', 'Tommy'],
  Victoria: ['Vicky'],
  Zachary: ['Zach'],
  Jacob: ['Jake'],
  Joshua: ['Josh'],
  Frederick: ['Freddie'],
  Harrison: ['Harry'],
  Theodore: ['Teddy', 'Theo'],
};
const FEMALE_FORMAL = [
  'Elizabeth',
  'Alexandra',
  'Charlotte',
  'Isabella',
  'Jessica',
  'Katherine',
  'Margaret',
  'Rebecca',
  'Samantha',
  'Victoria',
];
const MALE_FORMAL = Object.keys(NICKNAMES).filter((name) => !FEMALE_FORMAL.includes(name));

const AREA = 'LS';
const STREET_TYPES = ['Street', 'Road', 'Avenue', 'Close', 'Lane', 'Grove', 'Crescent', 'Drive', 'Way'];
const ABBREVIATIONS: Record<string, string> = {
  Street: 'St',
  Road: 'Rd',
  Avenue: 'Ave',
  Close: 'Cl',
  Lane: 'Ln',
  Grove: 'Gr',
  Crescent: 'Cres',
  Drive: 'Dr',
};
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

export interface GeneratorOptions {
  people: number;
  records: number;
  seed: number;
  /** Share of households with two or more children that have twins (default 0.12). */
  twinShare?: number;
}

export function generatePopulation(options: GeneratorOptions): {
  people: TruePerson[];
  records: LabelledRecord[];
} {
  const faker = new Faker({ locale: [en_GB, en, base] });
  faker.seed(options.seed);
  const random = seededRandom(options.seed);
  const chance = (p: number) => random() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  const postcode = () =>
    `${AREA}${1 + Math.floor(random() * 28)} ${Math.floor(random() * 10)}${pick([...INWARD_LETTERS])}${pick([...INWARD_LETTERS])}`;
  const address = () => `${1 + Math.floor(random() * 180)} ${faker.person.lastName()} ${pick(STREET_TYPES)}`;
  const firstName = (sex: 'male' | 'female') => {
    // A quarter of children get a name with common short forms, so nicknames are exercised.
    if (chance(0.25)) return pick(sex === 'female' ? FEMALE_FORMAL : MALE_FORMAL);
    const name = faker.person.firstName(sex);
    // Compound given names such as Ella-Mae are common in England.
    return chance(0.06) ? `${name}-${faker.person.firstName(sex)}` : name;
  };
  const birthDate = (from: number, to: number) => {
    const date = faker.date.between({ from: `${from}-01-01T00:00:00Z`, to: `${to}-12-31T00:00:00Z` });
    return date.toISOString().slice(0, 10);
  };

  const people: TruePerson[] = [];
  let household = 0;
  while (people.length < options.people) {
    household++;
    let familyName = faker.person.lastName();
    if (chance(0.08)) familyName = `${familyName}-${faker.person.lastName()}`;
    const home = { postcode: postcode(), addressLine: address() };
    const children = 1 + Math.floor(random() * 3) + (chance(0.15) ? 1 : 0);
    const twins = children >= 2 && chance(options.twinShare ?? 0.12);
    let previousDob: string | null = null;
    for (let i = 0; i < children && people.length < options.people; i++) {
      const sex = chance(0.5) ? 'male' : 'female';
      const isTwin = twins && i === 1;
      let given = firstName(sex);
      // Parents do not give two of their children the same name or two forms of one name.
      const taken = (name: string) =>
        people.some(
          (p) =>
            p.household === household &&
            (p.givenName === name ||
              (NICKNAMES[p.givenName] ?? []).some((n) => (NICKNAMES[name] ?? []).includes(n))),
        );
      while (taken(given)) given = firstName(sex);
      const dateOfBirth: string = isTwin && previousDob ? previousDob : birthDate(2007, 2024);
      const age = 2025 - Number(dateOfBirth.slice(0, 4));
      people.push({
        id: people.length,
        household,
        twinOf: isTwin ? people.length - 1 : null,
        givenName: given,
        middleName: chance(0.3) ? faker.person.firstName(sex) : null,
        familyName,
        dateOfBirth,
        sex,
        postcode: home.postcode,
        addressLine: home.addressLine,
        nhsNumber: syntheticNhsNumber(random),
        upn: age >= 4 ? syntheticUpn(random) : null,
      });
      previousDob = dateOfBirth;
    }
  }

  const typo = (word: string): string => {
    if (word.length < 3) return word;
    const i = 1 + Math.floor(random() * (word.length - 2));
    const kind = random();
    if (kind < 0.35) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    if (kind < 0.65) return word.slice(0, i) + word.slice(i + 1);
    if (kind < 0.85) return word.slice(0, i) + pick([...'aeioulnrst']) + word.slice(i + 1);
    return word.slice(0, i) + word[i] + word.slice(i);
  };
  const dobTypo = (iso: string): string => {
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
    const kind = random();
    if (kind < 0.5 && d <= 12 && d !== m)
      return `${y}-${String(d).padStart(2, '0')}-${String(m).padStart(2, '0')}`;
    if (kind < 0.7) return `${y + (chance(0.5) ? 1 : -1)}-${iso.slice(5)}`;
    // One digit of the day.
    const day = d >= 20 ? d - 10 : d + 10;
    return `${iso.slice(0, 8)}${String(Math.min(day, 28)).padStart(2, '0')}`;
  };

  const agencies = ['police', 'school', 'health', 'council', 'gp'] as const;
  const records: LabelledRecord[] = [];
  for (let r = 0; r < options.records; r++) {
    const person = r < people.length ? people[r]! : pick(people);
    const agency = pick(agencies);
    let given = person.givenName;
    if (chance(0.1) && NICKNAMES[given]) given = pick(NICKNAMES[given]!);
    else if (given.includes('-') && chance(0.3))
      given = chance(0.5) ? given.replace('-', '') : given.split('-')[0]!;
    if (chance(0.04)) given = typo(given);
    if (person.middleName && agency !== 'police' && chance(0.3)) given = `${given} ${person.middleName}`;
    if (chance(0.2)) given = given.toUpperCase();

    let family = person.familyName;
    const otherNames: string[] = [];
    if (family.includes('-') && chance(0.3)) family = pick(family.split('-'));
    if (chance(0.05)) {
      // A changed surname, e.g. after a parent remarries; half the time the agency notes the old one.
      if (chance(0.5)) otherNames.push(family);
      family = faker.person.lastName();
    }
    if (chance(0.03)) family = typo(family);

    let dateOfBirth: string | undefined = person.dateOfBirth;
    if (chance(0.06)) dateOfBirth = dobTypo(dateOfBirth);
    if (chance(agency === 'police' ? 0.05 : 0.01)) dateOfBirth = undefined;

    let postcodeValue: string | undefined = person.postcode;
    let addressLine: string | undefined = person.addressLine;
    if (chance(0.12)) {
      postcodeValue = postcode();
      addressLine = address();
    } else if (chance(0.1)) {
      for (const [full, short] of Object.entries(ABBREVIATIONS))
        addressLine = addressLine.replace(full, short);
    }
    if (chance(0.03))
      postcodeValue = postcodeValue.replace(/\d(?=[A-Z]{2}$)/, (d) => String((Number(d) + 1) % 10));
    if (chance(0.08)) postcodeValue = undefined;
    if (chance(0.1)) addressLine = undefined;
    if (postcodeValue && chance(0.3)) postcodeValue = postcodeValue.toLowerCase().replace(' ', '');

    const nhsShare = { police: 0.15, school: 0.1, health: 0.95, council: 0.6, gp: 0.98 }[agency];
    let nhsNumber: string | undefined = chance(nhsShare) ? person.nhsNumber : undefined;
    if (nhsNumber && chance(0.01)) nhsNumber = typo(nhsNumber);
    if (nhsNumber && chance(0.002)) {
      // A sibling's number keyed against the child: the worst identifier error.
      const sibling = people.find((p) => p.household === person.household && p.id !== person.id);
      if (sibling) nhsNumber = sibling.nhsNumber;
    }
    const upn = agency === 'school' && person.upn && chance(0.95) ? person.upn : undefined;
    const sexValue = chance(0.1) ? undefined : person.sex;

    records.push({
      personId: person.id,
      household: person.household,
      agency,
      record: {
        givenName: given,
        familyName: family,
        ...(otherNames.length > 0 ? { otherNames } : {}),
        ...(dateOfBirth ? { dateOfBirth } : {}),
        ...(sexValue ? { sex: sexValue } : {}),
        ...(postcodeValue ? { postcode: postcodeValue } : {}),
        ...(addressLine ? { addressLine } : {}),
        ...(nhsNumber ? { nhsNumber } : {}),
        ...(upn ? { upn } : {}),
      },
    });
  }
  return { people, records };
}
