import { base, en, en_GB, Faker } from '@faker-js/faker';
import { syntheticNhsNumber, syntheticUpn } from '../../domain/identifiers.ts';
import type { NewPerson } from '../people/service.ts';

/** Generated households for the demo: seeded, so every fresh start shows the same families. */
export interface DemoHousehold {
  areaCode: string;
  adults: NewPerson[];
  children: NewPerson[];
  /** Index into adults of the parents; adults[1] may be a partner who is not every child's parent. */
  separated: boolean;
  schoolIndex: number[];
}

const CIN_ETHNICITIES = [
  'WBRI',
  'WBRI',
  'WBRI',
  'WOTH',
  'MWBC',
  'MWBA',
  'AIND',
  'APKN',
  'BAFR',
  'BCRB',
  'CHNE',
  'OOTH',
];

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function generateHouseholds(options: {
  seed: number;
  perArea: number;
  areas: readonly { code: string; districts: readonly string[] }[];
  today: Date;
}): DemoHousehold[] {
  const faker = new Faker({ locale: [en_GB, en, base], seed: options.seed });
  const random = () => faker.number.float({ min: 0, max: 1, fractionDigits: 8 });
  const households: DemoHousehold[] = [];
  for (const area of options.areas) {
    for (let h = 0; h < options.perArea; h++) {
      const familyName = faker.person.lastName();
      const district = faker.helpers.arrayElement(area.districts);
      const postcode = `${district} ${faker.number.int({ min: 1, max: 9 })}${faker.string.alpha({ length: 2, casing: 'upper', exclude: ['C', 'I', 'K', 'M', 'O', 'V'] })}`;
      const address = {
        line1: `${faker.number.int({ min: 1, max: 180 })} ${faker.location.street()}`,
        town: area.code === 'northbridge' ? 'Northbridge' : 'Southmere',
        postcode,
        fromDate: isoDate(faker.date.past({ years: 8, refDate: options.today })),
      };
      const ethnicity = faker.helpers.arrayElement(CIN_ETHNICITIES);
      const motherDob = faker.date.birthdate({ min: 22, max: 45, mode: 'age', refDate: options.today });
      const adults: NewPerson[] = [
        {
          kind: 'adult',
          givenName: faker.person.firstName('female'),
          familyName,
          dateOfBirth: isoDate(motherDob),
          sex: 'female',
          ethnicity,
          language: 'English',
          identifiers: [{ scheme: 'nhs', value: syntheticNhsNumber(random) }],
          addresses: [address],
          contactDetails: [{ kind: 'phone', value: `07700 900${faker.string.numeric(3)}` }],
        },
      ];
      const separated = faker.datatype.boolean({ probability: 0.35 });
      adults.push({
        kind: 'adult',
        givenName: faker.person.firstName('male'),
        familyName: separated ? faker.person.lastName() : familyName,
        dateOfBirth: isoDate(faker.date.birthdate({ min: 22, max: 50, mode: 'age', refDate: options.today })),
        sex: 'male',
        ethnicity,
        language: 'English',
        ...(faker.datatype.boolean({ probability: 0.7 })
          ? { identifiers: [{ scheme: 'nhs' as const, value: syntheticNhsNumber(random) }] }
          : {}),
        addresses: separated
          ? [
              { ...address, toDate: isoDate(faker.date.recent({ days: 400, refDate: options.today })) },
              {
                line1: `${faker.number.int({ min: 1, max: 90 })} ${faker.location.street()}`,
                town: 'Northbridge',
                postcode: `${faker.helpers.arrayElement(area.districts)} 2AB`,
              },
            ]
          : [address],
      });
      const childCount = faker.helpers.weightedArrayElement([
        { value: 1, weight: 3 },
        { value: 2, weight: 4 },
        { value: 3, weight: 2 },
        { value: 4, weight: 1 },
      ]);
      const children: NewPerson[] = [];
      const schoolIndex: number[] = [];
      const twins = childCount >= 2 && faker.datatype.boolean({ probability: 0.08 });
      let previousDob: string | undefined;
      for (let c = 0; c < childCount; c++) {
        const dob =
          twins && c === 1 && previousDob
            ? previousDob
            : isoDate(faker.date.birthdate({ min: 0, max: 16, mode: 'age', refDate: options.today }));
        previousDob = dob;
        const sex = faker.helpers.arrayElement(['male', 'female'] as const);
        const age = (options.today.getTime() - new Date(dob).getTime()) / (365.25 * 86400000);
        const identifiers: NewPerson['identifiers'] = [{ scheme: 'nhs', value: syntheticNhsNumber(random) }];
        if (age >= 4) identifiers.push({ scheme: 'upn', value: syntheticUpn(random) });
        children.push({
          kind: 'child',
          givenName: faker.person.firstName(sex),
          familyName,
          dateOfBirth: dob,
          sex,
          ethnicity,
          language: 'English',
          ...(faker.datatype.boolean({ probability: 0.08 })
            ? { disability: 'Autism spectrum condition' }
            : {}),
          identifiers,
          addresses: [address],
        });
        schoolIndex.push(age >= 4 ? faker.number.int({ min: 0, max: 5 }) : -1);
      }
      if (faker.datatype.boolean({ probability: 0.06 })) {
        children.push({
          kind: 'unborn',
          givenName: 'Unborn',
          familyName,
          expectedDate: isoDate(faker.date.soon({ days: 200, refDate: options.today })),
          addresses: [address],
        });
        schoolIndex.push(-1);
      }
      households.push({ areaCode: area.code, adults, children, separated, schoolIndex });
    }
  }
  return households;
}
