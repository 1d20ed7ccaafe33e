import Type, { type Static } from 'typebox';
import { Nullable, NullableString, problems, Text, Uuid as uuid } from '../../platform/http/schemas/atoms.ts';

const Uuid = uuid();

export const DiscussionParams = Type.Object({ id: Uuid });
export const DiscussionActionParams = Type.Object({ id: Uuid, actionId: Uuid });

export const RequestBody = Type.Object(
  {
    childPersonIds: Type.Array(Uuid, { minItems: 1, maxItems: 20 }),
    reason: Text(4000, 'Why a strategy discussion is needed'),
    knownInformation: Type.Optional(Text(8000, 'What the requesting agency knows')),
  },
  { additionalProperties: false },
);
export type RequestBodyInput = Static<typeof RequestBody>;

export const ScheduleBody = Type.Object(
  {
    scheduledFor: Type.String({ format: 'date-time' }),
    joiningDetail: Text(1000, 'How participants join: a room, a call, a link'),
    agencyIds: Type.Optional(
      Type.Array(Uuid, { maxItems: 30, description: 'Agencies to invite beyond those suggested' }),
    ),
  },
  { additionalProperties: false },
);

export const DeclineBody = Type.Object({ reason: Text(4000) }, { additionalProperties: false });

export const ContributionBody = Type.Object({ information: Text(8000) }, { additionalProperties: false });

export const OutcomeBody = Type.Object(
  {
    attendeeAgencyIds: Type.Array(Uuid, { maxItems: 30 }),
    informationShared: Text(16000),
    section47: Type.Boolean({ description: 'Whether a section 47 enquiry follows' }),
    conference: Type.Boolean({ description: 'Whether an initial child protection conference is to be held' }),
    levelOfNeed: Text(100),
    rationale: Text(8000),
    actions: Type.Array(
      Type.Object(
        {
          ownerAgencyId: Uuid,
          ownerUserId: Type.Optional(Uuid),
          description: Text(4000),
          dueBy: Type.String({ format: 'date-time' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);
export type OutcomeBodyInput = Static<typeof OutcomeBody>;

const When = Nullable(Type.String({ format: 'date-time' }));

export const DiscussionSchema = Type.Object(
  {
    id: Type.String(),
    reference: Type.String(),
    status: Type.String(),
    areaId: Type.String(),
    childPersonIds: Type.Array(Type.String()),
    requestedByAgencyId: NullableString(),
    reason: Type.String(),
    knownInformation: Type.String(),
    declineReason: NullableString(),
    scheduledFor: When,
    joiningDetail: NullableString(),
    participants: Type.Array(
      Type.Object({ agencyId: Type.String(), name: Type.String(), why: Type.String() }),
    ),
    contributions: Type.Array(
      Type.Object({
        agencyId: NullableString(),
        author: Type.String(),
        information: Type.String(),
        at: Type.String(),
      }),
    ),
    outcome: Nullable(
      Type.Object({
        heldAt: Type.String(),
        attendeeAgencyIds: Type.Array(Type.String()),
        informationShared: Type.String(),
        section47: Type.Boolean(),
        conference: Type.Boolean(),
        levelOfNeed: Type.String(),
        rationale: Type.String(),
        dueToBeSharedBy: When,
        sharedAt: When,
        icpcDueBy: When,
      }),
    ),
    actions: Type.Array(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: false },
);

export const PROBLEMS = problems(400, 401, 403, 404, 409);
