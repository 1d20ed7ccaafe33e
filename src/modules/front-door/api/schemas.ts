import Type from 'typebox';
import { RAG_RATINGS } from '../../../domain/clock.ts';
import { IsoDateTime, Nullable, NullableString, oneOf, Uuid } from '../../../platform/http/schemas/atoms.ts';
import {
  ENQUIRY_STATUSES,
  MATCH_OUTCOME_LABELS,
  OUTCOMES,
  ROLE_LABELS,
  ROUTE_LABELS,
} from '../vocabulary.ts';

/** The front-door API's responses. */

export const IntakeResponse = Type.Object({
  contactId: Uuid(),
  reference: Type.String(),
  status: Type.String(),
  route: oneOf(ROUTE_LABELS),
  people: Type.Array(
    Type.Object({
      role: oneOf(ROLE_LABELS),
      position: Type.Integer(),
      personId: Type.Optional(
        Uuid('Only when the caller may see the record (a legitimate relationship): docs/access.md'),
      ),
      outcome: Type.Union([oneOf(MATCH_OUTCOME_LABELS), Type.Literal('received')], {
        description:
          'How the person was matched, for a caller who may see the record; otherwise "received": submitting never tells the submitter whether Harbour already knew the person',
      }),
    }),
  ),
  rag: Nullable(oneOf(RAG_RATINGS)),
  receivedAt: IsoDateTime(),
  screeningDueAt: IsoDateTime(),
  decisionDueAt: IsoDateTime(),
  duplicateOf: Nullable(Uuid()),
  linkKind: Type.Union([Type.Literal('duplicate'), Type.Literal('joined'), Type.Null()]),
  encompassNotices: Type.Optional(
    Type.Array(
      Type.Object({
        id: Uuid(),
        schoolAgencyId: Type.Union([Uuid(), Type.Literal('local-authority')], {
          description: 'The school told, or "local-authority" for a child with no school in the partnership',
        }),
        dueBy: IsoDateTime(),
      }),
      { description: 'A DAN’s Operation Encompass notices: one per child of school age' },
    ),
  ),
});

export const EnquiryItem = Type.Object({
  id: Uuid(),
  contactId: Uuid(),
  contactReference: Type.String(),
  area: Type.String(),
  question: Type.String(),
  status: oneOf(ENQUIRY_STATUSES),
  requestedAt: IsoDateTime(),
  requestedBy: Type.String(),
  dueAt: IsoDateTime(),
  overdue: Type.Boolean(),
  respondedAt: Nullable(IsoDateTime()),
  /**
   * The people the enquiry concerns: every adult on the contact, and the children the agency
   * serves (a school its pupils, a GP practice its patients; every child when it holds none).
   */
  people: Type.Array(
    Type.Object({
      role: oneOf(ROLE_LABELS),
      givenName: NullableString(),
      familyName: NullableString(),
      dateOfBirth: Nullable(Type.String({ description: 'YYYY-MM-DD' })),
    }),
  ),
});

export const ContactStatusResponse = Type.Object({
  contactId: Uuid(),
  reference: Type.String(),
  status: Type.String(),
  receivedAt: IsoDateTime(),
  decisionDueAt: IsoDateTime(),
  duplicateOf: Nullable(Uuid()),
  outcome: Type.Union([
    Type.Object({
      outcome: oneOf(OUTCOMES),
      levelOfNeed: Type.String(),
      decidedAt: IsoDateTime(),
      feedback: Type.String(),
    }),
    Type.Null(),
  ]),
  enquiries: Type.Array(
    Type.Object({
      agency: Type.String(),
      status: Type.String(),
      respondedAt: Nullable(IsoDateTime()),
      response: Type.Union([Type.String(), Type.Null()], {
        description: 'Shown only to those allowed to see that agency’s response',
      }),
    }),
  ),
});
