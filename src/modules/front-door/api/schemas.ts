import Type from 'typebox';
import { RAG_RATINGS } from '../../../domain/clock.ts';
import { IsoDateTime, oneOf, Uuid } from '../../../platform/http/schemas/atoms.ts';
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
  rag: Type.Union([oneOf(RAG_RATINGS), Type.Null()]),
  receivedAt: IsoDateTime(),
  screeningDueAt: IsoDateTime(),
  decisionDueAt: IsoDateTime(),
  duplicateOf: Type.Union([Uuid(), Type.Null()]),
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
  respondedAt: Type.Union([IsoDateTime(), Type.Null()]),
  /**
   * The people the enquiry concerns: every adult on the contact, and the children the agency
   * serves (a school its pupils, a GP practice its patients; every child when it holds none).
   */
  people: Type.Array(
    Type.Object({
      role: oneOf(ROLE_LABELS),
      givenName: Type.Union([Type.String(), Type.Null()]),
      familyName: Type.Union([Type.String(), Type.Null()]),
      dateOfBirth: Type.Union([Type.String({ description: 'YYYY-MM-DD' }), Type.Null()]),
    }),
  ),
});

export const ContactStatusResponse = Type.Object({
  contactId: Uuid(),
  reference: Type.String(),
  status: Type.String(),
  receivedAt: IsoDateTime(),
  decisionDueAt: IsoDateTime(),
  duplicateOf: Type.Union([Uuid(), Type.Null()]),
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
      respondedAt: Type.Union([IsoDateTime(), Type.Null()]),
      response: Type.Union([Type.String(), Type.Null()], {
        description: 'Shown only to those allowed to see that agency’s response',
      }),
    }),
  ),
});
