import Type from 'typebox';
import {
  CONCERNS,
  CONTACT_SOURCES,
  DASH_STATUSES,
  EARLY_HELP_RESPONSES,
  OUTCOMES,
  REPORTED_BY,
} from '../vocabulary.ts';

const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const text = (max: number, description?: string) =>
  Type.String({ maxLength: max, ...(description ? { description } : {}) });
const date = (description: string) => Type.String({ format: 'date', description });

const Address = Type.Object(
  {
    line1: text(200),
    line2: Type.Optional(text(200)),
    town: Type.Optional(text(100)),
    postcode: text(10, 'A postcode in the partnership’s areas routes the contact'),
  },
  { additionalProperties: false },
);

const personFields = {
  givenName: text(100),
  familyName: text(100),
  dateOfBirth: Type.Optional(date('YYYY-MM-DD')),
  sex: Type.Optional(literals(['male', 'female', 'other', 'unknown'])),
  nhsNumber: Type.Optional(text(12)),
  address: Type.Optional(Address),
};

const NamedAgency = Type.Object(
  {
    agencyCode: Type.Optional(
      text(100, 'Harbour agency code, when the school or service is a Harbour agency'),
    ),
    name: Type.Optional(text(200)),
  },
  { additionalProperties: false },
);

const childFields = {
  ...personFields,
  unborn: Type.Optional(Type.Boolean()),
  expectedDate: Type.Optional(date('Expected date of birth of an unborn child')),
  upn: Type.Optional(text(13, 'Unique pupil number')),
  school: Type.Optional(NamedAgency),
  health: Type.Optional(NamedAgency),
};

const Consent = Type.Object(
  {
    asked: Type.Boolean(),
    given: Type.Optional(Type.Boolean()),
    reasonSharingWithoutConsent: Type.Optional(text(10_000)),
  },
  { additionalProperties: false },
);

export const DanBody = Type.Object(
  {
    incident: Type.Object(
      {
        policeReference: text(40),
        occurredAt: Type.String({ format: 'date-time' }),
        location: Address,
        circumstances: text(10_000),
        reportedBy: Type.Optional(literals(Object.keys(REPORTED_BY))),
      },
      { additionalProperties: false },
    ),
    victim: Type.Object({ ...personFields, phone: Type.Optional(text(40)) }, { additionalProperties: false }),
    suspects: Type.Array(
      Type.Object(
        {
          ...personFields,
          relationshipToVictim: Type.Optional(text(100)),
          arrested: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      { maxItems: 10, default: [] },
    ),
    children: Type.Array(
      Type.Object(
        {
          ...childFields,
          livesAtAddress: Type.Boolean(),
          present: Type.Boolean(),
          witnessed: Type.Boolean({ description: 'Saw or heard the incident' }),
          injured: Type.Boolean(),
          injuryDetails: Type.Optional(text(10_000)),
          childSaid: Type.Optional(text(10_000, 'What the child said, in their words')),
          wishesAndFeelings: Type.Optional(text(10_000)),
          livedExperience: Type.Optional(text(10_000, 'What life is like for the child in this household')),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 15, description: 'Every child in the household: each gets the notification' },
    ),
    risk: Type.Object(
      {
        dashStatus: literals(Object.keys(DASH_STATUSES)),
        dashReference: Type.Optional(text(60)),
        dashScore: Type.Optional(Type.Integer({ minimum: 0, maximum: 27 })),
        officerRiskGrade: literals(['standard', 'medium', 'high']),
      },
      { additionalProperties: false },
    ),
    consent: Consent,
    earlyHelp: Type.Object(
      { offered: Type.Boolean(), response: Type.Optional(literals(Object.keys(EARLY_HELP_RESPONSES))) },
      { additionalProperties: false },
    ),
    officer: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(text(200)),
          collarNumber: Type.Optional(text(20)),
          phone: Type.Optional(text(40)),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ContactBody = Type.Object(
  {
    sourceCode: literals(Object.keys(CONTACT_SOURCES)),
    referrer: Type.Object(
      {
        name: Type.Optional(text(200)),
        role: Type.Optional(text(200)),
        organisation: Type.Optional(text(200)),
        phone: Type.Optional(text(40)),
        email: Type.Optional(text(320)),
      },
      { additionalProperties: false, default: {} },
    ),
    address: Type.Optional(Address),
    children: Type.Array(Type.Object(childFields, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 15,
    }),
    adults: Type.Array(
      Type.Object(
        { ...personFields, relationshipToChildren: Type.Optional(text(100)) },
        { additionalProperties: false },
      ),
      { maxItems: 10, default: [] },
    ),
    concerns: Type.Array(literals(Object.keys(CONCERNS)), { minItems: 1 }),
    narrative: text(10_000),
    actionsTaken: text(10_000),
    consent: Consent,
    familyKnows: Type.Boolean(),
    incidentRef: Type.Optional(text(40, 'Police reference of the incident this referral is about')),
    incidentDate: Type.Optional(date('Date of the incident, YYYY-MM-DD')),
  },
  { additionalProperties: false },
);

export const IntakeResponse = Type.Object({
  contactId: Type.String({ format: 'uuid' }),
  reference: Type.String(),
  status: Type.String(),
  route: Type.Union([Type.Literal('mash'), Type.Literal('early-help-triage')]),
  people: Type.Array(
    Type.Object({
      role: Type.Union([
        Type.Literal('child'),
        Type.Literal('victim'),
        Type.Literal('suspect'),
        Type.Literal('adult'),
      ]),
      position: Type.Integer(),
      personId: Type.Optional(
        Type.String({
          format: 'uuid',
          description: 'Only when the caller may see the record (a legitimate relationship): docs/access.md',
        }),
      ),
      outcome: Type.Union(
        [Type.Literal('linked'), Type.Literal('new'), Type.Literal('review'), Type.Literal('received')],
        {
          description:
            'How the person was matched, for a caller who may see the record; otherwise "received": submitting never tells the submitter whether Harbour already knew the person',
        },
      ),
    }),
  ),
  rag: Type.Union([
    Type.Literal('red'),
    Type.Literal('amber'),
    Type.Literal('green'),
    Type.Literal('blue'),
    Type.Null(),
  ]),
  receivedAt: Type.String({ format: 'date-time' }),
  screeningDueAt: Type.String({ format: 'date-time' }),
  decisionDueAt: Type.String({ format: 'date-time' }),
  duplicateOf: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  linkKind: Type.Union([Type.Literal('duplicate'), Type.Literal('joined'), Type.Null()]),
});

export const EnquiryItem = Type.Object({
  id: Type.String({ format: 'uuid' }),
  contactId: Type.String({ format: 'uuid' }),
  contactReference: Type.String(),
  area: Type.String(),
  question: Type.String(),
  status: literals(['open', 'responded', 'withdrawn']),
  requestedAt: Type.String({ format: 'date-time' }),
  requestedBy: Type.String(),
  dueAt: Type.String({ format: 'date-time' }),
  overdue: Type.Boolean(),
  respondedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const ContactStatusResponse = Type.Object({
  contactId: Type.String({ format: 'uuid' }),
  reference: Type.String(),
  status: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }),
  decisionDueAt: Type.String({ format: 'date-time' }),
  duplicateOf: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  outcome: Type.Union([
    Type.Object({
      outcome: literals(Object.keys(OUTCOMES)),
      levelOfNeed: Type.String(),
      decidedAt: Type.String({ format: 'date-time' }),
      feedback: Type.String(),
    }),
    Type.Null(),
  ]),
  enquiries: Type.Array(
    Type.Object({
      agency: Type.String(),
      status: Type.String(),
      respondedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      response: Type.Union([Type.String(), Type.Null()], {
        description: 'Shown only to those allowed to see that agency’s response',
      }),
    }),
  ),
});
