import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { isoOrNull } from '../../platform/http/api-json.ts';
import { auditContext } from '../../platform/http/context.ts';
import { ActionDoneBody } from '../actions/index.ts';
import {
  ContributionBody,
  DeclineBody,
  DiscussionActionParams,
  DiscussionParams,
  DiscussionSchema,
  OutcomeBody,
  PROBLEMS,
  RequestBody,
  ScheduleBody,
} from './schemas.ts';
import type { StrategyDiscussionService } from './service.ts';

const Ok = Type.Object({ id: Type.String() });

type Viewed = Awaited<ReturnType<StrategyDiscussionService['view']>>;

/** A discussion as the API returns it. */
export function discussionJson(v: Viewed) {
  const r = v.row;
  return {
    id: r.id,
    reference: v.reference,
    status: r.status,
    areaId: r.area_id,
    childPersonIds: r.child_person_ids,
    requestedByAgencyId: r.requested_by_agency_id,
    reason: r.reason,
    knownInformation: r.known_information,
    declineReason: r.decline_reason,
    scheduledFor: isoOrNull(r.scheduled_for),
    joiningDetail: r.joining_detail,
    participants: v.participants,
    contributions: v.contributions.map((x) => ({
      agencyId: x.agency_id,
      author: x.author_name,
      information: x.information,
      at: x.created_at.toISOString(),
    })),
    outcome: r.held_at
      ? {
          heldAt: r.held_at.toISOString(),
          attendeeAgencyIds: r.attendee_agency_ids,
          informationShared: r.information_shared ?? '',
          section47: r.section_47 ?? false,
          conference: r.conference ?? false,
          levelOfNeed: r.level_of_need ?? '',
          rationale: r.rationale ?? '',
          dueToBeSharedBy: isoOrNull(r.outcome_due_at),
          sharedAt: isoOrNull(r.outcome_shared_at),
          icpcDueBy: isoOrNull(r.icpc_due_at),
        }
      : null,
    actions: v.actions.map((a) => ({
      id: a.id,
      ownerAgencyId: a.ownerAgencyId,
      ownerAgencyName: a.ownerAgencyName,
      description: a.description,
      dueBy: a.dueBy.toISOString(),
      status: a.status,
      overdue: a.overdue,
      doneAt: isoOrNull(a.doneAt),
      doneNote: a.doneNote,
    })),
  };
}

export function strategyDiscussionApi(sd: StrategyDiscussionService): FastifyPluginAsyncTypebox {
  const tags = ['Strategy discussions'];
  return async (app) => {
    app.post(
      '/api/v1/strategy-discussions',
      {
        schema: {
          tags,
          summary: 'Request a strategy discussion about one or more children (any agency)',
          body: RequestBody,
          response: { 201: Ok, ...PROBLEMS },
        },
      },
      async (request, reply) => reply.code(201).send(await sd.request(auditContext(request), request.body)),
    );

    app.get(
      '/api/v1/strategy-discussions/:id',
      {
        schema: {
          tags,
          summary:
            'A strategy discussion: for the MASH of the area and the agencies that are part of it only',
          params: DiscussionParams,
          response: { 200: DiscussionSchema, ...PROBLEMS },
        },
      },
      async (request) => discussionJson(await sd.view(auditContext(request), request.params.id)),
    );

    app.post(
      '/api/v1/strategy-discussions/:id/schedule',
      {
        schema: {
          tags,
          summary: 'Schedule a requested discussion (MASH manager of the area): invites the participants',
          params: DiscussionParams,
          body: ScheduleBody,
          response: { 200: Ok, ...PROBLEMS },
        },
      },
      async (request) => {
        const { scheduledFor, ...rest } = request.body;
        await sd.schedule(auditContext(request), request.params.id, {
          ...rest,
          scheduledFor: new Date(scheduledFor),
        });
        return { id: request.params.id };
      },
    );

    app.post(
      '/api/v1/strategy-discussions/:id/decline',
      {
        schema: {
          tags,
          summary:
            'Decline a requested discussion with a reason the requester sees (MASH manager of the area)',
          params: DiscussionParams,
          body: DeclineBody,
          response: { 200: Ok, ...PROBLEMS },
        },
      },
      async (request) => {
        await sd.decline(auditContext(request), request.params.id, request.body);
        return { id: request.params.id };
      },
    );

    app.post(
      '/api/v1/strategy-discussions/:id/information',
      {
        schema: {
          tags,
          summary: 'Send information before a scheduled discussion starts (a participating agency)',
          params: DiscussionParams,
          body: ContributionBody,
          response: { 201: Ok, ...PROBLEMS },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await sd.contribute(auditContext(request), request.params.id, request.body)),
    );

    app.post(
      '/api/v1/strategy-discussions/:id/outcome',
      {
        schema: {
          tags,
          summary: 'Record the discussion: attendees, information shared, decision, rationale and actions',
          description:
            'Writes the record, each child’s chronology and the actions in one transaction. The outcome is then due to be shared with every participant within the configured deadline.',
          params: DiscussionParams,
          body: OutcomeBody,
          response: { 200: Ok, ...PROBLEMS },
        },
      },
      async (request) => {
        const body = request.body;
        await sd.recordOutcome(auditContext(request), request.params.id, {
          ...body,
          actions: body.actions.map((a) => ({ ...a, dueBy: new Date(a.dueBy) })),
        });
        return { id: request.params.id };
      },
    );

    app.post(
      '/api/v1/strategy-discussions/:id/share',
      {
        schema: {
          tags,
          summary: 'Share the recorded outcome and actions with every participating agency',
          params: DiscussionParams,
          response: { 200: Ok, ...PROBLEMS },
        },
      },
      async (request) => {
        await sd.shareOutcome(auditContext(request), request.params.id);
        return { id: request.params.id };
      },
    );

    app.post(
      '/api/v1/strategy-discussions/:id/actions/:actionId/done',
      {
        schema: {
          tags,
          summary: 'Mark one of your agency’s actions from this discussion done, with a note',
          params: DiscussionActionParams,
          body: ActionDoneBody,
          response: { 200: Ok, ...PROBLEMS },
        },
      },
      async (request) => {
        await sd.markActionDone(
          auditContext(request),
          request.params.id,
          request.params.actionId,
          request.body,
        );
        return { id: request.params.actionId };
      },
    );
  };
}
