import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { App } from '../../src/app.ts';
import type { ContactInput, DanInput, DecisionInput } from '../../src/modules/front-door/types.ts';
import { cliPrincipal } from '../../src/platform/principal.ts';
import { buildServices } from '../../src/services.ts';
import type { TestDeps } from '../helpers/deps.ts';
import type { Browser } from '../helpers/http.ts';
import { rowsWhere } from '../helpers/rows.ts';

const FAMILIES = [
  'Quillfeather',
  'Ashbourne',
  'Brackenridge',
  'Cotterell',
  'Dunmore',
  'Everingham',
  'Fairweather',
  'Glenister',
  'Hollinshead',
  'Ingleby',
  'Jessop',
  'Kettleborough',
  'Lindqvist',
  'Merriweather',
  'Nettlefold',
  'Oakenshaw',
  'Pendleford',
  'Quarrington',
  'Rushworth',
  'Stainforth',
  'Thistlewood',
  'Underhill',
  'Varley',
  'Wickersham',
];
const GIRLS = ['Poppy', 'Isla', 'Maisie', 'Ffion', 'Zara', 'Edie', 'Hallie', 'Nell'];
const BOYS = ['Ezra', 'Rory', 'Otis', 'Bodhi', 'Arlo', 'Jude', 'Rafferty', 'Teddy'];
let familyCounter = 0;

/** A household nobody else in the test file uses, so identity resolution does not link it to another. */
export function household(index = familyCounter++) {
  const family = `${FAMILIES[index % FAMILIES.length]}${index >= FAMILIES.length ? `-${Math.floor(index / FAMILIES.length)}` : ''}`;
  const day = String((index % 27) + 1).padStart(2, '0');
  return {
    family,
    girl: { givenName: GIRLS[index % GIRLS.length]!, dateOfBirth: `2017-0${(index % 9) + 1}-${day}` },
    boy: { givenName: BOYS[index % BOYS.length]!, dateOfBirth: `2021-0${(index % 9) + 1}-${day}` },
  };
}

/** Synthetic front-door submissions: invented names, Northbridge postcodes (NB*) from the demo partnership. */
export function danBody(
  overrides: Partial<DanInput> = {},
  reference = 'NB/24/000101',
  home = household(),
): DanInput {
  const { family, girl, boy } = home;
  return {
    incident: {
      policeReference: reference,
      occurredAt: '2026-03-02T21:40:00Z',
      location: { line1: '14 Quayside Row', town: 'Northbridge', postcode: 'NB2 7QT' },
      circumstances:
        'Neighbour called police after shouting and breaking glass. Victim had a cut to her hand.',
      reportedBy: 'neighbour',
    },
    victim: { givenName: 'Marnie', familyName: family, dateOfBirth: '1991-05-14', sex: 'female' },
    suspects: [
      {
        givenName: 'Declan',
        familyName: `${family}-Ostrowe`,
        dateOfBirth: '1988-11-02',
        sex: 'male',
        relationshipToVictim: 'partner',
      },
    ],
    children: [
      {
        ...girl,
        familyName: family,
        sex: 'female',
        livesAtAddress: true,
        present: true,
        witnessed: true,
        injured: false,
        childSaid: 'I hid under the bed with my brother.',
        school: { agencyCode: 'school-riverside-primary-school' },
      },
      {
        ...boy,
        familyName: family,
        sex: 'male',
        livesAtAddress: true,
        present: true,
        witnessed: false,
        injured: false,
      },
    ],
    risk: { dashStatus: 'completed', dashScore: 11, officerRiskGrade: 'medium' },
    consent: { asked: true, given: true },
    earlyHelp: { offered: true, response: 'accepted' },
    officer: { name: 'PC Lane', collarNumber: '4471' },
    ...overrides,
  };
}

export function contactBody(overrides: Partial<ContactInput> = {}, home = household()): ContactInput {
  return {
    sourceCode: '2A',
    referrer: {
      name: 'Dana DSL',
      role: 'Designated safeguarding lead',
      organisation: 'Riverside Primary School',
      phone: '01632 960111',
    },
    address: { line1: '3 Lockkeeper Lane', town: 'Northbridge', postcode: 'NB1 4AA' },
    children: [
      { ...home.boy, familyName: home.family, school: { agencyCode: 'school-riverside-primary-school' } },
    ],
    adults: [{ givenName: 'Carys', familyName: home.family, relationshipToChildren: 'mother' }],
    concerns: ['neglect'],
    narrative: 'The child has come to school hungry most days this month and says there is no food at home.',
    actionsTaken: 'Spoke to the child with the class teacher; offered breakfast club.',
    consent: {
      asked: true,
      given: false,
      reasonSharingWithoutConsent: 'Mother declined; the concern for the child’s welfare outweighs it.',
    },
    familyKnows: true,
    ...overrides,
  };
}

export async function apiKeyFor(deps: TestDeps, agencyCode: string): Promise<string> {
  const created = await buildServices(deps).directory.createApiKey(
    { principal: cliPrincipal('test') },
    agencyCode,
    `${agencyCode} test system`,
  );
  return created.key;
}

/** A DAN posted to the API by the system whose key is given, as it would send it. */
export function postDan(app: App, key: string, body: unknown) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/domestic-abuse-notifications',
    headers: { authorization: `Bearer ${key}` },
    payload: body as object,
  });
}

/**
 * One DAN per household, sent by the police's system: each household's contact, and the ids of
 * its girl and boy as identity resolution recorded them.
 */
export async function submitHouseholdDans(
  app: App,
  deps: TestDeps,
  homes: Record<string, ReturnType<typeof household>>,
  referenceStem: string,
) {
  const key = await apiKeyFor(deps, 'police');
  const contactOf: Record<string, string> = {};
  const childOf: Record<string, string> = {};
  const boyOf: Record<string, string> = {};
  for (const [n, [name, home]] of Object.entries(homes).entries()) {
    const dan = await app.inject({
      method: 'POST',
      url: '/api/v1/domestic-abuse-notifications',
      headers: { authorization: `Bearer ${key}` },
      payload: danBody({}, `${referenceStem}${n}`, home),
    });
    if (dan.statusCode !== 201) throw new Error(`DAN for ${name}: ${dan.statusCode} ${dan.body}`);
    contactOf[name] = dan.json().contactId;
    const people = await rowsWhere(deps.db, 'person', { family_name: home.family });
    childOf[name] = people.find((p) => p.given_name === home.girl.givenName)!.id;
    boyOf[name] = people.find((p) => p.given_name === home.boy.givenName)!.id;
  }
  return { contactOf, childOf, boyOf };
}

/**
 * The DAN web form's answers, page by page: the least each page takes to move on, with a test's
 * own values over them where the test is about one.
 */
export const danPages = {
  incident: (policeReference: string, answers: Record<string, string> = {}) => ({
    policeReference,
    'occurredAt-day': '2',
    'occurredAt-month': '3',
    'occurredAt-year': '2026',
    occurredAtTime: '21:40',
    'location.line1': '9 Ferry Lane',
    'location.postcode': 'NB3 2XY',
    circumstances: 'Officers attended after a 999 call.',
    reportedBy: 'victim',
    ...answers,
  }),
  victim: (familyName: string) => ({ givenName: 'Rhian', familyName, sex: 'female' }),
  /** A child of the household, born on `dateOfBirth` (YYYY-MM-DD), as the date fields take it. */
  child: (
    child: { givenName: string; dateOfBirth: string },
    familyName: string,
    answers: Record<string, string>,
  ) => {
    const [year, month, day] = child.dateOfBirth.split('-');
    return {
      givenName: child.givenName,
      familyName,
      'dateOfBirth-day': day!,
      'dateOfBirth-month': month!,
      'dateOfBirth-year': year!,
      livesAtAddress: 'yes',
      present: 'yes',
      injured: 'no',
      ...answers,
    };
  },
  risk: { dashStatus: 'completed', dashScore: '12', officerRiskGrade: 'medium' },
  consent: { 'consent.asked': 'yes', 'consent.given': 'yes', 'earlyHelp.offered': 'no' },
};

/** Opens a question page and sends its answers, as a person would; the form must move on (303). */
export async function answerPage(
  browser: Browser,
  url: string,
  answers: Record<string, string | string[]>,
): Promise<LightMyRequestResponse> {
  await browser.get(url);
  const response = await browser.post(url, answers);
  assert.equal(response.statusCode, 303, `${url}: ${response.body.slice(0, 2000)}`);
  return response;
}

/** The ids of the people a contact names in one role, in the order the contact names them. */
export async function contactPeople(
  deps: Pick<TestDeps, 'db'>,
  contactId: string,
  role: 'child' | 'victim' | 'suspect' | 'adult',
): Promise<string[]> {
  const rows = await deps.db
    .selectFrom('contact_person')
    .select('person_id')
    .where('contact_id', '=', contactId)
    .where('role', '=', role)
    .orderBy('position')
    .execute();
  return rows.map((row) => row.person_id);
}

/** A MASH decision that early help meets the children's needs, at level 2 unless said otherwise. */
export function earlyHelpDecision(
  rationale = 'Needs met by a family support worker.',
  levelOfNeed = '2',
): DecisionInput {
  return { levelOfNeed, outcome: 'early-help', rationale, feedback: 'Early help will contact the family.' };
}
