import Type, { type Static } from 'typebox';
import { RISK_LEVELS } from '../../domain/instruments/bands.ts';
import { SEXES } from '../../domain/sexes.ts';
import { IsoDate, oneOf, Text } from '../../platform/http/schemas/atoms.ts';
import { CONCERNS, CONTACT_SOURCES, DASH_STATUSES, EARLY_HELP_RESPONSES, REPORTED_BY } from './vocabulary.ts';

/**
 * The shapes of what the front door takes in, defined once: the API validates request bodies
 * against them, and the input types the forms, validation and intake use are derived from them.
 */

export const Address = Type.Object(
  {
    line1: Text(200),
    line2: Type.Optional(Text(200)),
    town: Type.Optional(Text(100)),
    postcode: Text(10, 'A postcode in the partnership’s areas routes the contact'),
  },
  { additionalProperties: false },
);

const personFields = {
  givenName: Text(100),
  familyName: Text(100),
  dateOfBirth: Type.Optional(IsoDate('YYYY-MM-DD')),
  sex: Type.Optional(oneOf(SEXES)),
  nhsNumber: Type.Optional(Text(12)),
  address: Type.Optional(Address),
};

export const NamedAgency = Type.Object(
  {
    agencyCode: Type.Optional(
      Text(100, 'Harbour agency code, when the school or service is a Harbour agency'),
    ),
    name: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);

const childFields = {
  ...personFields,
  unborn: Type.Optional(Type.Boolean()),
  expectedDate: Type.Optional(IsoDate('Expected date of birth of an unborn child')),
  upn: Type.Optional(Text(13, 'Unique pupil number')),
  school: Type.Optional(NamedAgency),
  health: Type.Optional(NamedAgency),
};

export const Consent = Type.Object(
  {
    asked: Type.Boolean(),
    given: Type.Optional(Type.Boolean()),
    reasonSharingWithoutConsent: Type.Optional(Text(10_000)),
  },
  { additionalProperties: false },
);

export const PersonDetails = Type.Object(personFields, { additionalProperties: false });
export const Child = Type.Object(childFields, { additionalProperties: false });

/** One section per child on a DAN (FINDINGS F6): the child is not lost in an adult crime report. */
export const DanChild = Type.Object(
  {
    ...childFields,
    livesAtAddress: Type.Boolean(),
    present: Type.Boolean(),
    witnessed: Type.Boolean({ description: 'Saw or heard the incident' }),
    injured: Type.Boolean(),
    injuryDetails: Type.Optional(Text(10_000)),
    childSaid: Type.Optional(Text(10_000, 'What the child said, in their words')),
    wishesAndFeelings: Type.Optional(Text(10_000)),
    livedExperience: Type.Optional(Text(10_000, 'What life is like for the child in this household')),
    homeEducated: Type.Optional(
      Type.Boolean({
        description: 'Educated at home: the Operation Encompass notice goes to the local authority',
      }),
    ),
  },
  { additionalProperties: false },
);

export const DanBody = Type.Object(
  {
    incident: Type.Object(
      {
        policeReference: Text(40),
        occurredAt: Type.String({ format: 'date-time' }),
        location: Address,
        circumstances: Text(10_000),
        reportedBy: Type.Optional(oneOf(REPORTED_BY)),
      },
      { additionalProperties: false },
    ),
    victim: Type.Object({ ...personFields, phone: Type.Optional(Text(40)) }, { additionalProperties: false }),
    suspects: Type.Array(
      Type.Object(
        {
          ...personFields,
          relationshipToVictim: Type.Optional(Text(100)),
          arrested: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      { maxItems: 10, default: [] },
    ),
    children: Type.Array(DanChild, {
      minItems: 1,
      maxItems: 15,
      description: 'Every child in the household: each gets the notification',
    }),
    risk: Type.Object(
      {
        dashStatus: oneOf(DASH_STATUSES),
        dashReference: Type.Optional(Text(60)),
        dashScore: Type.Optional(Type.Integer({ minimum: 0, maximum: 27 })),
        officerRiskGrade: oneOf(RISK_LEVELS),
        /** Required when the grade is below the DASH score's band: shown to the screener (F4). */
        gradeReason: Type.Optional(Text(1000)),
      },
      { additionalProperties: false },
    ),
    consent: Consent,
    earlyHelp: Type.Object(
      { offered: Type.Boolean(), response: Type.Optional(oneOf(EARLY_HELP_RESPONSES)) },
      { additionalProperties: false },
    ),
    officer: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Text(200)),
          collarNumber: Type.Optional(Text(20)),
          phone: Type.Optional(Text(40)),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ContactBody = Type.Object(
  {
    sourceCode: oneOf(CONTACT_SOURCES),
    referrer: Type.Object(
      {
        name: Type.Optional(Text(200)),
        role: Type.Optional(Text(200)),
        organisation: Type.Optional(Text(200)),
        phone: Type.Optional(Text(40)),
        email: Type.Optional(Text(320)),
      },
      { additionalProperties: false, default: {} },
    ),
    address: Type.Optional(Address),
    children: Type.Array(Child, {
      minItems: 1,
      maxItems: 15,
    }),
    adults: Type.Array(
      Type.Object(
        { ...personFields, relationshipToChildren: Type.Optional(Text(100)) },
        { additionalProperties: false },
      ),
      { maxItems: 10, default: [] },
    ),
    concerns: Type.Array(oneOf(CONCERNS), { minItems: 1 }),
    narrative: Text(10_000),
    actionsTaken: Text(10_000),
    consent: Consent,
    familyKnows: Type.Boolean(),
    incidentRef: Type.Optional(Text(40, 'Police reference of the incident this referral is about')),
    incidentDate: Type.Optional(IsoDate('Date of the incident, YYYY-MM-DD')),
  },
  { additionalProperties: false },
);

export type AddressInput = Static<typeof Address>;
export type PersonDetailsInput = Static<typeof PersonDetails>;
/** An agency named in a form (a child's school or GP): by code when it is a Harbour agency. */
export type NamedAgency = Static<typeof NamedAgency>;
export type ChildInput = Static<typeof Child>;
export type DanChildInput = Static<typeof DanChild>;
export type ConsentInput = Static<typeof Consent>;
export type DanInput = Static<typeof DanBody>;
export type ContactInput = Static<typeof ContactBody>;
